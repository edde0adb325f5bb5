"""SMS (Twilio) and Telegram: Rasa input channels that store every message before answering the
webhook, process each person's messages in order after the answer, and reply through one durable
outbound sender. The public webhooks are served by a process of their own (ingest.py), which
stores and answers and then wakes the Rasa server, so answers never wait for NLU.

    webhook ─► ingest process: signature/secret check ─► message log (inbound row) ─► 200 at once
                                                                 │ wake (UDP, row id) + poll
    Rasa server: InboundProcessor (per person, in order) ─► Rasa ─► DurableOutput
                                                                            │
                              OutboundSender ◄── message log (outbound rows, queued)
                                   │
                         Twilio REST API / Telegram Bot API

Modules: settings (environment), flood (the flood gate), twilio_sms and telegram (the two input channels), ingest (the webhook process),
inbound_writer (its group commit), wake (its signal to the Rasa server), processing, outbox and
sender (the queue both ways), providers (the two APIs), runtime (the one wiring point).
"""
