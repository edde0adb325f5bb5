"""Hiring events (job fairs, sector hiring days; named so to keep them apart from Rasa's
conversation events): what an event is, loading events from YAML/CSV, calendar files and the plan
of reminders around a registration.

Modules: model (the Event value and its registration window, pure), loader (YAML/CSV files to
events, with bad rows reported by line, pure), calendar (.ics files), schedule (reminder and
follow-up plans, pure), seats (who gets a seat, offers from the waitlist and when they
expire, pure), registration (the registration dialogue by text: a step and a reply in, what
happens next out, pure; its Rasa side is bot/actions/events.py). The database side lives in
`bot.store.event_catalog`, `bot.store.registration_store` and `bot.store.scheduled_message_store`.
"""
