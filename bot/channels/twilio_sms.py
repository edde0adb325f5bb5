"""SMS through Twilio, as the Rasa server loads it (credentials.yml); the webhooks themselves are
in twilio_webhook.py."""
from __future__ import annotations

from bot.channels.rasa_channel import WebhookChannel
from bot.channels.twilio_webhook import TWILIO_WEBHOOKS


class TwilioSmsInput(WebhookChannel):
    webhooks = TWILIO_WEBHOOKS
