"""Personal data never reaches the logs in clear: not the phone number, not what the seeker wrote."""
from __future__ import annotations


def test_a_conversation_leaves_no_phone_number_or_message_text_in_the_logs(assistant):
    chat = assistant.conversation("+13125550142")
    chat.say("hi")
    chat.say("my name is Quetzalli")
    chat.say("60623")
    chat.say("i get snap and ssi")
    logs = "\n".join(path.read_text(errors="replace") for path in assistant.log_dir.glob("*.log"))
    assert logs, "the servers write logs"
    for secret in ("+13125550142", "3125550142", "Quetzalli", "i get snap and ssi"):
        assert secret not in logs, secret
