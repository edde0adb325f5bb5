import pytest
from tests.channels.people import SmsSeeker

SCRIPTS = {
 "questions": ["hi", "is this free?", "maria", "where are you located", "60609", "what is wioa", "healthcare", "how long does training take", "28 yes", "working part time", "actually my zip is 60629", "some college"],
 "events": ["any hiring events coming up?", "1", "Tom", "yes", "my events"],
 "code": ["hey i got a flyer that says text HHC to sign up", "Luis", "yes"],
 "es_full": ["Hola buenas tardes", "Guadalupe", "60632", "cocina o limpieza de hoteles", "tengo 52 años y si tengo permiso", "trabajo medio tiempo", "nada mas la secundaria", "no", "si recibo link", "ninguno", "no soy hombre"],
 "emoji": ["👋", "Keisha 😊", "6 0 6 2 1", "IT 💻", "twenty five, yea", "unemployed 😩", "GED", "nope", "nope", "none"],
}

@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_probe(assistant, twilio_api, name):
    person = SmsSeeker(assistant, twilio_api)
    out = []
    for text in SCRIPTS[name]:
        replies = person.text(text)
        out.append(f">>> {text}")
        for r in replies:
            out.append("<<< " + r.replace("\n", "\n    "))
    print("\n".join(out))
    s = assistant.store.latest_screening("twilio", person.number)
    print("SCREENING:", s and s.answers)
