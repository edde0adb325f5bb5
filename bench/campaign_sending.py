"""A 3,200-person WARN outreach campaign (the Partnership's yearly count, all at once) through the
running assistant and the local Twilio API server; prints a table.

    .venv/bin/python bench/campaign_sending.py [--roster 3200] [--rate 50] [--reply-share 0.10]

Measures: the time to create the campaign and store its roster; the sending rate the local
Twilio server saw against the configured limit (CAMPAIGN_MESSAGES_PER_SECOND; target within 2%);
CPU of the assistant's processes per text and their peak memory; and the webhook answer time
while a share of the roster replies during the send (each reply is a real dialogue turn).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Sequence

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))  # run as a script: make `bot`, `bench` and `tests` importable

from bench.channel_latency import CpuMeter, RecipientIndexedTwilioApi, Sms  # noqa: E402
from bench.latency import percentile  # noqa: E402
from bench.machine import machine_line  # noqa: E402
from bench.process_memory import PeakMemorySampler  # noqa: E402
from bot.cli.harness import new_test_phone_number, running_assistant  # noqa: E402
from bot.store import make_engine  # noqa: E402
from bot.store.campaign_store import CampaignStore  # noqa: E402
from bot.store.warn_store import WarnStore  # noqa: E402
from bot.warn.notices import WarnNotice  # noqa: E402
from bot.warn.roster import RosterMember  # noqa: E402
from tests.channels.settings import (  # noqa: E402
    MESSAGING_SERVICE_SID,
    TEST_CHANNEL_ENV,
    TWILIO_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN,
)


MESSAGE_EN = "Bench Foods closes; we can help."
MESSAGE_ES = "Bench Foods cierra; le ayudamos."


def _is_campaign_text(body: str) -> bool:
    """The campaign's own text, not the replies the repliers' conversations get."""
    return MESSAGE_EN in body or MESSAGE_ES in body


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--roster", type=int, default=3200)
    parser.add_argument("--rate", type=float, default=50.0, help="CAMPAIGN_MESSAGES_PER_SECOND")
    parser.add_argument("--reply-share", type=float, default=0.10)
    options = parser.parse_args(argv)

    with RecipientIndexedTwilioApi(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN) as twilio, tempfile.TemporaryDirectory() as folder:
        env = {
            **TEST_CHANNEL_ENV,
            "TWILIO_API_BASE_URL": twilio.base_url,
            "TWILIO_MESSAGING_SERVICE_SID": MESSAGING_SERVICE_SID,
            "CAMPAIGN_MESSAGES_PER_SECOND": str(options.rate),
        }
        with running_assistant(Path(folder), env) as assistant:
            supervisor = assistant.supervisor
            roots = lambda: [m.process.pid for m in supervisor.processes if m.process is not None]  # noqa: E731
            engine = make_engine(f"sqlite:///{Path(folder) / 'intake.db'}")
            # Distinct numbers: random draws of a whole roster would repeat some.
            first = int(new_test_phone_number()[-7:]) % 5_000_000
            roster = [RosterMember(n + 2, f"W{n}", f"+1312{first + n:07d}", "es" if n % 2 else "en") for n in range(options.roster)]
            numbers = {member.phone for member in roster}

            started = time.perf_counter()
            WarnStore(engine).import_notices([WarnNotice(employer="Bench Foods", iebs_id="BENCH", lwia="7", reported_on=date(2026, 11, 2))])
            campaigns = CampaignStore(engine)
            campaign = campaigns.create(WarnStore(engine).list_notices()[0].id, "Bench", MESSAGE_EN, MESSAGE_ES, [], None)
            counts = campaigns.add_roster(campaign.id, roster)
            create_seconds = time.perf_counter() - started
            assert counts.added == options.roster

            sms = Sms(assistant.webhook_url, twilio)
            repliers = [member.phone for member in roster[:: max(1, round(1 / options.reply_share))]]
            webhook_ms: list[float] = []
            stop = threading.Event()

            def reply_when_texted() -> None:
                waiting = list(repliers)
                while waiting and not stop.is_set():
                    texted = {message.to for message in twilio.messages}
                    for phone in [phone for phone in waiting if phone in texted]:
                        post = sms.prepared_post(phone, "hola, me despidieron")
                        posted = time.perf_counter()
                        answer = post()
                        if answer.status == 200:
                            webhook_ms.append((time.perf_counter() - posted) * 1000)
                        waiting.remove(phone)
                    time.sleep(0.05)

            meter = CpuMeter(assistant)
            with PeakMemorySampler(roots) as memory:
                cpu_before = meter.sample()
                campaigns.set_status(campaign.id, "sending")
                replier = threading.Thread(target=reply_when_texted, daemon=True)
                replier.start()
                deadline = time.monotonic() + options.roster / options.rate * 3 + 120
                while time.monotonic() < deadline:
                    if sum(1 for m in twilio.messages if m.to in numbers and _is_campaign_text(m.body)) >= options.roster:
                        break
                    time.sleep(0.2)
                replier.join(timeout=60)
                stop.set()
                per_process, others = meter.cores_since(cpu_before)
                elapsed = time.monotonic() - cpu_before.at
            campaign_texts = [m for m in twilio.messages if m.to in numbers and _is_campaign_text(m.body)]
            arrivals = sorted(message.received_at for message in campaign_texts)
            engine.dispose()

    sent = len(arrivals)
    achieved = (sent - 1) / (arrivals[-1] - arrivals[0]) if sent > 1 else float("nan")
    assistant_cpu = sum(cores for name, cores in per_process.items() if name != "benchmark client") * elapsed
    print(machine_line())
    print()
    print("| roster | create + store roster (s) | limit (texts/s) | achieved (texts/s) | off the limit | texts sent | "
          "CPU per text (ms, assistant) | peak memory MB (all processes) | replies during the send | webhook p50 / p99 ms | other programs' CPU (cores) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {options.roster} | {create_seconds:.1f} | {options.rate:g} | {achieved:.2f} | {abs(achieved / options.rate - 1):.1%} | "
        f"{sent} of {options.roster} | {assistant_cpu / max(sent, 1) * 1000:.1f} | {memory.peak_mib:.0f} | {len(webhook_ms)} | "
        f"{percentile(webhook_ms, 0.5):.0f} / {percentile(webhook_ms, 0.99):.0f} | {others:.2f} |"
    )
    return 0 if sent == options.roster else 1


if __name__ == "__main__":
    sys.exit(main())
