"""`GET /webhooks/calendar/<calendar token>.ics`: the calendar file linked from a registration
confirmation. The key is the registration's 32-character random token, not the 6-character
confirmation code (which checks the person in at the door, and could be guessed in a few hundred
million tries); requests are limited per caller besides. The file names the event, its time and
place, and the code, nothing about the person. `?lang=es` gives it in Spanish."""
from __future__ import annotations

import asyncio
from typing import Any

from rasa.core.channels.channel import InputChannel
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.flood import FloodGate
from bot.channels.processing import HandleMessage
from bot.channels.runtime import shared_runtime
from bot.events.calendar import ICS_MEDIA_TYPE, event_ics

# A person opens their link once or twice; this is far above that and far below guessing speed.
CALENDAR_REQUESTS_PER_MINUTE = 30


class CalendarFeed(InputChannel):
    works_without_dialogue = True  # also served by the webhook ingest process (ingest.py)

    @classmethod
    def name(cls) -> str:
        return "calendar"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> "CalendarFeed":
        return cls()

    def blueprint(self, on_new_message: HandleMessage) -> Blueprint:
        runtime = shared_runtime(on_new_message)
        feed = Blueprint("calendar_feed", __name__)
        # Per caller address (behind a proxy, one limit for everyone it forwards).
        requests_gate = FloodGate(limit=CALENDAR_REQUESTS_PER_MINUTE, window_seconds=60.0)

        @feed.route("/<file_name>", methods=["GET"])
        async def calendar_file(request: Request, file_name: str) -> HTTPResponse:
            if not requests_gate.admit(request.ip or "unknown"):
                return response.text("Too many requests", status=429, headers={"Retry-After": "60"})
            if not runtime.started or not file_name.endswith(".ics"):
                return response.text("Not found", status=404)
            token = file_name[: -len(".ics")]
            found = await asyncio.to_thread(runtime.events.find_by_calendar_token, token)
            if found is None or found.registration.status != "registered":
                return response.text("Not found", status=404)
            language = "es" if request.args.get("lang") == "es" else "en"
            body = event_ics(
                found.event.event, found.registration.confirmation_code, language, stamped_at=runtime.clock()
            )
            return response.raw(
                body,
                content_type=ICS_MEDIA_TYPE,
                headers={"Content-Disposition": f'attachment; filename="{found.event.code}.ics"'},
            )

        return feed
