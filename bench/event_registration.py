"""Hospitality Hires Chicago scale: N seekers register for one event by SMS, 20 at once.

    .venv/bin/python bench/event_registration.py [--seekers 2500] [--capacity 2000] [--concurrency 20]

Each seeker texts the event's code, their name and "yes" through the signed Twilio webhook of
the real assistant (local Twilio API server, SQLite); once the event is full, the rest join the
waitlist ("1"). Prints the time, turns/s, webhook and reply p99, and checks the database: exactly
one registration per seeker, never more registered than the capacity.
"""
from __future__ import annotations

import argparse
import itertools
import os
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.channel_latency import BENCH_FLOOD_LIMIT, RecipientIndexedTwilioApi, Sms, TurnFailed, run_turn  # noqa: E402
from bench.latency import percentile  # noqa: E402
from bench.machine import machine_line  # noqa: E402
from bot.cli.harness import running_assistant  # noqa: E402
from bot.hiring_events.model import Event  # noqa: E402
from tests.channels.settings import TEST_CHANNEL_ENV, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN  # noqa: E402

CODE = "HHCBENCH"


def bench_event(capacity: int) -> Event:
    start = (datetime.now(timezone.utc) + timedelta(days=14)).replace(minute=0, second=0, microsecond=0)
    return Event(
        code=CODE,
        name={"en": "Hospitality Hires Chicago", "es": "Hospitality Hires Chicago"},
        sectors=("hospitality",),
        starts_at=start,
        ends_at=start + timedelta(hours=5),
        venue="Example Convention Hall",
        address="100 Example Ave, Chicago, IL 60601",
        capacity=capacity,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seekers", type=int, default=2500)
    parser.add_argument("--capacity", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args(argv)
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    webhook_ms: list[float] = []
    reply_ms: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    numbers = itertools.count(1)

    with RecipientIndexedTwilioApi(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN) as twilio_api, tempfile.TemporaryDirectory() as work:
        env = {**TEST_CHANNEL_ENV, "TWILIO_API_BASE_URL": twilio_api.base_url, "FLOOD_LIMIT_PER_MINUTE": BENCH_FLOOD_LIMIT}
        with running_assistant(Path(work), env) as assistant:
            assistant.catalog.upsert_event(bench_event(args.capacity))
            sms = Sms(assistant.webhook_url, twilio_api)

            def register_one(_: int) -> None:
                address = f"+1773{next(numbers):07d}"
                try:
                    replies = []
                    for text in (CODE, "Maria", "yes"):
                        timing = run_turn(assistant, sms, address, text)
                        replies.append(timing)
                    last = twilio_api.messages_to(address)[-1].body
                    if "waitlist" in last:
                        replies.append(run_turn(assistant, sms, address, "1"))
                except (TurnFailed, OSError) as error:
                    with lock:
                        failures.append(f"{address}: {error}")
                    return
                with lock:
                    webhook_ms.extend(t.webhook_seconds * 1000 for t in replies)
                    reply_ms.extend(t.reply_seconds * 1000 for t in replies if t.reply_seconds is not None)

            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
                list(pool.map(register_one, range(args.seekers)))
            wall = time.perf_counter() - started
            counts = assistant.registrations.counts(CODE)
            per_seeker = assistant.registrations.registrations_per_seeker(CODE)

    turns = len(webhook_ms)
    one_each = all(count == 1 for count in per_seeker.values()) and len(per_seeker) == args.seekers - len(failures)
    print(
        f"\n{args.seekers} seekers registering for one event (capacity {args.capacity}) through the signed "
        f"Twilio webhook, {args.concurrency} at once; SQLite; local Twilio API server.\n"
    )
    print("| seekers | at once | time | turns | turns/s | webhook p99 ms | reply p50 / p99 ms | registered | waitlisted | one registration per seeker | within capacity | failed |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {args.seekers} | {args.concurrency} | {wall:.0f} s | {turns} | {turns / wall:.1f} | "
        f"{percentile(webhook_ms, 0.99):.0f} | {percentile(reply_ms, 0.5):.0f} / {percentile(reply_ms, 0.99):.0f} | "
        f"{counts['registered']} | {counts['waitlisted']} | {'yes' if one_each else 'NO'} | "
        f"{'yes' if counts['registered'] <= args.capacity else 'NO'} | {len(failures)} |"
    )
    print("\n" + machine_line())
    for failure in failures[:10]:
        print("  " + failure)
    ok = one_each and counts["registered"] <= args.capacity and not failures
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
