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

Modules: settings (environment), flood (the flood gate); twilio_webhook, telegram_webhook and
calendar_webhook (the webhooks, no Rasa) on a reception (reception.py: what they need, database
only); twilio_sms, telegram and calendar_feed (the Rasa input channels credentials.yml names,
mounting those webhooks through rasa_channel.py); ingest (the webhook process, no Rasa),
inbound_writer (its group commit), wake (its signal to the Rasa server); runtime (the Rasa
server's side: processing, outbox and sender, the queue both ways; providers, the two APIs).
"""
