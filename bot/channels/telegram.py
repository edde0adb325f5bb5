"""Telegram, as the Rasa server loads it (credentials.yml); the webhook itself is in
telegram_webhook.py."""
from __future__ import annotations

from bot.channels.rasa_channel import WebhookChannel
from bot.channels.telegram_webhook import TELEGRAM_WEBHOOKS


class TelegramInput(WebhookChannel):
    webhooks = TELEGRAM_WEBHOOKS
