"""Drives many conversations over Rasa's REST channel, a fixed number at a time, and times every
turn. asyncio + aiohttp so 20 conversations at once cost the client almost nothing."""
from __future__ import annotations

import asyncio
import re
import time
import uuid
from typing import Sequence

import aiohttp

from bench.conversation_scripts import ConversationScript
from bench.latency import PhaseResult

TURN_TIMEOUT_SECONDS = 60


async def _run_conversation(
    session: aiohttp.ClientSession, webhook_url: str, sender: str, script: ConversationScript,
    latencies: list[float], failures: list[str],
) -> None:
    replies: list[dict] = []
    for turn, message in enumerate(script.messages, start=1):
        started = time.perf_counter()
        try:
            async with session.post(webhook_url, json={"sender": sender, "message": message}) as response:
                response.raise_for_status()
                replies = await response.json()
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            failures.append(f"{script.name} {sender} turn {turn}: {type(error).__name__}: {error}")
            return
        latencies.append(time.perf_counter() - started)
    last = " ".join(reply.get("text", "") for reply in replies)
    if script.last_reply_contains not in last:
        failures.append(f"{script.name} {sender}: last reply lacks {script.last_reply_contains!r}: {last[:160]!r}")


async def _run_phase(
    rasa_url: str, scripts: Sequence[ConversationScript], conversations: int, concurrency: int, tag: str,
    token: str = "",
) -> PhaseResult:
    # Our Rasa server's REST channel wants the API token; stock Rasa ignores the parameter.
    webhook_url = f"{rasa_url}/webhooks/rest/webhook" + (f"?token={token}" if token else "")
    latencies: list[float] = []
    failures: list[str] = []
    slots = asyncio.Semaphore(concurrency)
    run_id = uuid.uuid4().hex[:8]
    sender_tag = re.sub(r"[^a-z0-9]+", "-", tag.lower())  # sender ids stay plain, whatever the label

    async def one(index: int) -> None:
        async with slots:
            # Alternate the scripts; every conversation gets its own sender so trackers never mix.
            await _run_conversation(
                session, webhook_url, f"bench-{sender_tag}-{run_id}-{index:04d}",
                scripts[index % len(scripts)], latencies, failures,
            )

    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=TURN_TIMEOUT_SECONDS)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        started = time.perf_counter()
        await asyncio.gather(*(one(index) for index in range(conversations)))
        wall = time.perf_counter() - started
    return PhaseResult(concurrency, conversations, tuple(latencies), wall, tuple(failures))


def run_phase(
    rasa_url: str, scripts: Sequence[ConversationScript], conversations: int, concurrency: int, tag: str,
    token: str = "",
) -> PhaseResult:
    return asyncio.run(_run_phase(rasa_url, scripts, conversations, concurrency, tag, token))
