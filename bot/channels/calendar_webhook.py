"""`GET /webhooks/calendar/<calendar token>.ics`: the calendar file linked from a registration
confirmation. The key is the registration's 32-character random token, not the 6-character
confirmation code (which checks the person in at the door, and could be guessed in a few hundred
million tries); requests are limited per caller besides. The file names the event, its time and
place, and the code, nothing about the person. `?lang=es` gives it in Spanish."""
from __future__ import annotations

import asyncio

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.flood import FloodGate
from bot.channels.reception import Reception, Webhooks
from bot.hiring_events.calendar import ICS_MEDIA_TYPE, event_ics

# A person opens their link once or twice; this is far above that and far below guessing speed.
CALENDAR_REQUESTS_PER_MINUTE = 30


def calendar_blueprint(reception: Reception) -> Blueprint:
    """Starts with the message channels' blueprints (it needs the reception they start)."""
    feed = Blueprint("calendar_feed", __name__)
    # Per caller address (behind a proxy, one limit for everyone it forwards).
    requests_gate = FloodGate(limit=CALENDAR_REQUESTS_PER_MINUTE, window_seconds=60.0)

    @feed.route("/<file_name>", methods=["GET"])
    async def calendar_file(request: Request, file_name: str) -> HTTPResponse:
        if not requests_gate.admit(request.ip or "unknown"):
            return response.text("Too many requests", status=429, headers={"Retry-After": "60"})
        if not reception.started or not file_name.endswith(".ics"):
            return response.text("Not found", status=404)
        token = file_name[: -len(".ics")]
        found = await asyncio.to_thread(reception.stores.registrations.find_by_calendar_token, token)
        if found is None or found.registration.status != "registered":
            return response.text("Not found", status=404)
        language = "es" if request.args.get("lang") == "es" else "en"
        body = event_ics(
            found.event.event, found.registration.confirmation_code, language, stamped_at=reception.clock()
        )
        return response.raw(
            body,
            content_type=ICS_MEDIA_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{found.event.code}.ics"'},
        )

    return feed


CALENDAR_WEBHOOKS = Webhooks("calendar", calendar_blueprint)
