"""Calendar files, as the Rasa server loads them (credentials.yml); the route itself is in
calendar_webhook.py."""
from __future__ import annotations

from bot.channels.calendar_webhook import CALENDAR_WEBHOOKS
from bot.channels.rasa_channel import WebhookChannel


class CalendarFeed(WebhookChannel):
    webhooks = CALENDAR_WEBHOOKS
