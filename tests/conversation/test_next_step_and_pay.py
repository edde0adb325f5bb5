"""Questions texted around the intake, through the signed Twilio webhook as a phone sends them:
"what happens next?" (the next step again after the summary; what the questions lead to before
it), what the jobs pay (not "it is free", which answers what our help costs), and coming in
person (where to go, not a request for staff)."""
from __future__ import annotations

from tests.channels.people import SmsSeeker

WAREHOUSE_INTAKE = [
    "got laid off from my warehouse job", "Marcus", "60644", "im 41", "yea", "amazon", "2 weeks ago",
    "1", "3", "3", "none", "none", "3, 48000",
]


def test_after_the_summary_what_happens_next_gives_the_next_step_again(assistant, twilio_api):
    person = SmsSeeker(assistant, twilio_api)
    for text in WAREHOUSE_INTAKE:
        person.text(text)
    assert "Next step: American Job Center" in " ".join(person.text("yes")), person.dump()

    reply = person.say("ok now what?")
    assert reply.startswith("Next step: American Job Center, City of Chicago"), person.dump()
    assert "Bring the papers" in reply and "AGENT" in reply
    assert "Pay depends on the job" in person.say("how much does it pay"), person.dump()
    screening = assistant.store.latest_screening("twilio", person.number)
    assert screening.status == "complete" and screening.answers["zip_code"] == "60644"


def test_during_the_intake_the_questions_are_explained_and_asked_again(assistant, twilio_api):
    person = SmsSeeker(assistant, twilio_api)
    assert "nombre" in person.say("hola busco trabajo")
    assert "codigo postal" in person.say("Rosa").lower()
    reply = person.say("y que sigue?")
    assert "Unas preguntas cortas" in reply and "codigo postal" in reply.lower(), person.dump()
    reply = person.say("cuanto pagan?")
    assert "El pago depende" in reply and "codigo postal" in reply.lower(), person.dump()
    reply = person.say("can i come in person")
    assert "70 job centers" in reply or "70 centros" in reply, person.dump()
    assert assistant.handoffs.open_for("twilio", person.number) is None, "coming in is not asking for staff"


def test_a_first_question_about_a_trade_keeps_the_trade_as_the_work_wanted(assistant, twilio_api):
    person = SmsSeeker(assistant, twilio_api)
    reply = person.say("Hi, I saw your ad on the bus. How long is CNA training?")
    assert "few weeks to a few months" in reply and "first name" in reply, person.dump()
    assert "ZIP" in person.say("Tanya")
    assert "How old" in person.say("60621"), person.dump()  # the kind of work is not asked
    assert assistant.store.latest_screening("twilio", person.number).answers["sectors"] == ["healthcare"]
