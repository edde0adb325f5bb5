import pytest
from tests.channels.people import SmsSeeker

SCRIPTS = {
 "spanglish": ["hola", "si", "me llamo rosa", "vivo en cicero 60804", "quiero trabajar en warehouse o hospital",
               "tengo 34 y si tengo papeles", "me despidieron hace 2 semanas", "amazon", "no se", "no", "termine high school", "no", "no", "ninguno", "somos 4, gano como 2000 al mes", "ok"],
 "oneshot": ["Hi my name is Derrick im 45 laid off from Ford in chicago heights 60411 want CDL training", "yes", "yes", "3 weeks ago", "yes I get unemployment", "no", "diploma", "army vet", "no", "none", "2, 40k"],
 "teen": ["hey", "yeah", "jaylen", "60628", "anything tbh", "17", "yea", "im in 11th grade", "no", "nah", "no"],
 "agent": ["I need to talk to a real person", "what", "help", "AGENT"],
 "confused": ["?", "who is this", "how did u get my number", "ok what is this for", "stop"],
}

@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_probe(assistant, twilio_api, name):
    person = SmsSeeker(assistant, twilio_api)
    out = []
    for text in SCRIPTS[name]:
        replies = person.text(text)
        out.append(f">>> {text}")
        for r in replies:
            out.append(f"<<< {r}")
    print("\n".join(out))
    print("SCREENING:", assistant.store.latest_screening("twilio", person.number) and assistant.store.latest_screening("twilio", person.number).answers)
