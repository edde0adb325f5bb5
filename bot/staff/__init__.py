"""The staff console: a server-rendered Flask app where staff work the handoff queue.

    python -m bot.staff            # serves it with waitress on STAFF_CONSOLE_HOST:STAFF_CONSOLE_PORT

`bot.staff.app.create_app(settings)` builds the app (tests use it with Flask's test client).
It talks only to the database: replies are queued with the Outbox and delivered by the Rasa
process's sender. Accounts are made with `python -m bot.cli staff add`.
"""
