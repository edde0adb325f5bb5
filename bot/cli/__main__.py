"""`python -m bot.cli run | serve NAME | chat | prepare | events | staff | warn | recontact | telegram-webhook`: what the Makefile targets call."""
from __future__ import annotations

import argparse
import signal
import sys
from datetime import datetime

from bot.cli.settings import load_settings


def prepare(settings) -> None:
    """Database migrated and model trained: everything a run or a test run needs first."""
    from bot.cli.training import train_if_stale
    from bot.store import migrate

    settings.var_dir.mkdir(parents=True, exist_ok=True)
    migrate(settings.database_url)
    if settings.profile == "embedded":
        from bot.store.timestamps import utc_now

        example_events_when_none_is_upcoming(settings.database_url, utc_now())
    train_if_stale(settings.model_path)
    from bot.language.training import write_if_stale

    if write_if_stale():
        # The NLU examples or the tuning messages changed: the language detector's table follows,
        # and shows up in `git status` to be committed with them.
        print("Language model retrained: bot/language/data/char_ngrams.json", flush=True)


def example_events_when_none_is_upcoming(database_url: str, now: datetime) -> bool:
    """On a laptop, "job fair" should find something: the example events (dates relative to the
    day they are loaded) are loaded when no event is upcoming, so a newcomer's database never
    runs dry. Re-loading updates the examples by code, moving their dates to the new day.
    Production imports its own (`events import FILE`). True when they were loaded."""
    from bot.cli.settings import REPO_ROOT
    from bot.hiring_events.loader import load_events
    from bot.hiring_events.model import EVENT_ZONE
    from bot.store import make_engine
    from bot.bootstrap import build_stores

    engine = make_engine(database_url)
    try:
        events = build_stores(engine, clock=lambda: now).event_catalog
        if events.list_upcoming(now):
            return False
        examples = REPO_ROOT / "data" / "events" / "example_events.yml"
        for event in load_events(examples, now.astimezone(EVENT_ZONE).date()).events:
            events.upsert_event(event, now)
        print(f"Loaded the example hiring events from {examples.relative_to(REPO_ROOT)}")
        return True
    finally:
        engine.dispose()


def run(settings, instances: int = 1) -> int:
    from bot.cli.supervisor import AlreadyRunning, Supervisor, acquire_run_lock, refuse_unsafe_production_settings

    if instances < 1:
        raise SystemExit("--instances must be 1 or more")
    if instances > 1 and settings.profile != "production":
        # SQLite serves one process: several instances share PostgreSQL and Redis.
        raise SystemExit("Several instances need the production profile (INTAKE_PROFILE=production).")
    refuse_unsafe_production_settings(settings)  # before migrating or training anything
    try:
        lock = acquire_run_lock(settings.var_dir)
    except AlreadyRunning as running:
        print(
            f"The assistant is already running from this folder (process {running}). "
            "Stop it with Ctrl-C in its terminal, or use `make chat` to talk to it."
        )
        return 1
    prepare(settings)
    supervisor = Supervisor(settings, instances=instances)
    print(f"Starting the assistant ({settings.profile} profile, {instances} instance(s))...", flush=True)

    def request_stop(signum, frame):  # noqa: ARG001 - signal handler signature
        print("\nStopping...", flush=True)
        supervisor.stop()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    supervisor.start()
    print(
        "Ready. Try it with `make chat` in another terminal. A process that stops is started again; "
        "Ctrl-C stops everything.",
        flush=True,
    )
    status = supervisor.wait()
    lock.close()
    print("Stopped.")
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="migrate, train if stale, start every process")
    run_parser.add_argument(
        "--instances",
        type=int,
        default=1,
        help="production profile: this many Rasa servers, action servers and ingest processes behind nginx",
    )
    commands.add_parser("prepare", help="migrate the database and train the model if stale")
    serve_parser = commands.add_parser(
        "serve", help="run one process as `run` would (rasa-server, action-server, webhook-ingest, staff-console)"
    )
    serve_parser.add_argument("process")
    serve_parser.add_argument(
        "--instance", type=int, default=None,
        help="production profile, several instances: instance N's process, on the ports plus 10 x N (deploy/systemd/*@.service)",
    )
    chat_parser = commands.add_parser("chat", help="talk to the running assistant in this terminal")
    chat_parser.add_argument(
        "--sender", default=None, help="phone number (SMS) or conversation id (--rest); default: a new one"
    )
    chat_parser.add_argument(
        "--rest", action="store_true", help="Rasa's REST channel instead of SMS (no consent gate, no pause)"
    )
    commands.add_parser(
        "telegram-webhook", help="register PUBLIC_BASE_URL's Telegram webhook with the secret token"
    )
    events_parser = commands.add_parser("events", help="import hiring events (events import FILE...) or list them")
    events_parser.add_argument("rest", nargs=argparse.REMAINDER)
    staff_parser = commands.add_parser("staff", help="staff console accounts (staff add USERNAME, token, list...)")
    staff_parser.add_argument("rest", nargs=argparse.REMAINDER)
    warn_parser = commands.add_parser("warn", help="WARN notices (warn import PATH [--all-areas] [--json])")
    warn_parser.add_argument("rest", nargs=argparse.REMAINDER)
    recontact_parser = commands.add_parser(
        "recontact", help="seekers whose latest screening would be better under the current rules"
    )
    recontact_parser.add_argument("rest", nargs=argparse.REMAINDER)
    seeker_parser = commands.add_parser("seeker", help="a seeker's data (seeker erase PHONE, seeker retention)")
    seeker_parser.add_argument("rest", nargs=argparse.REMAINDER)
    arguments = parser.parse_args(argv)
    if arguments.command == "warn":
        from bot.cli.warn import main as warn_main

        return warn_main(arguments.rest)
    if arguments.command == "events":
        from bot.cli.events import main as events_main

        return events_main(arguments.rest)
    if arguments.command == "seeker":
        from bot.cli.seeker import main as seeker_main

        return seeker_main(arguments.rest)
    if arguments.command == "staff":
        from bot.cli.staff import main as staff_main

        return staff_main(arguments.rest)
    if arguments.command == "recontact":
        from bot.cli.recontact import main as recontact_main

        return recontact_main(arguments.rest)
    if arguments.command == "telegram-webhook":
        from bot.cli.telegram_webhook import main as register_telegram_webhook

        return register_telegram_webhook()
    settings = load_settings()
    if arguments.command == "run":
        return run(settings, arguments.instances)
    if arguments.command == "prepare":
        prepare(settings)
        return 0
    if arguments.command == "serve":
        from bot.cli.supervisor import serve_one

        serve_one(settings, arguments.process, arguments.instance)  # returns only by raising
    if arguments.command == "chat":
        from bot.cli.chat import chat, sms_chat

        if arguments.rest:
            return chat(settings.rasa_url, arguments.sender, settings.rasa_api_token())
        return sms_chat(settings.rasa_url, settings.database_url, settings.wake_port, arguments.sender)
    return 2


if __name__ == "__main__":
    sys.exit(main())
