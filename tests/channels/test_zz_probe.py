import pytest
from tests.channels.people import SmsSeeker
from tests.events.upcoming import upcoming_event

SCRIPTS = {
 "code": ["hey i got a flyer that says text {code} to sign up", "Luis", "yes"],
 "event_words": ["is there a job fair for hotels", "1", "Dana", "yes", "my events"],
 "youth": ["hi", "Destiny", "60644", "im 16 and i want a summer job", "yes", "im in 10th grade", "no", "none"],
 "correction": ["hola", "Pedro", "60608", "construccion", "tengo 30, si", "me corrieron del trabajo la semana pasada", "no, perdon, tengo 31", "Walsh construction", "si"],
 "long": ["Hello my name is Angela Thompson and I was recently laid off from my job as a medical biller at Advocate after 12 years. I live in Oak Lawn 60453 and I am 47 years old. I am interested in healthcare or IT training. I have a bachelors degree and I am receiving unemployment. What programs can I get into?", "yes", "no", "no", "none"],
}

@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_probe(assistant, twilio_api, name):
    event = upcoming_event(assistant.catalog, "Hospitality Hires Chicago", "Hospitality Hires Chicago", code="HHC" + name[:2].upper())
    person = SmsSeeker(assistant, twilio_api)
    out = []
    for text in SCRIPTS[name]:
        text = text.replace("{code}", event.code)
        replies = person.text(text)
        out.append(f">>> {text}")
        for r in replies:
            out.append("<<< " + r.replace("\n", "\n    "))
    print("\n".join(out))
    s = assistant.store.latest_screening("twilio", person.number)
    print("SCREENING:", s and s.answers)
