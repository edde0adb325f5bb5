"""`python -m bot.cli telegram-webhook`: tells Telegram where to deliver updates, with our secret.

Uses TELEGRAM_BOT_TOKEN, TELEGRAM_SECRET_TOKEN, PUBLIC_BASE_URL (https, reachable by Telegram)
and TELEGRAM_API_BASE_URL from the environment.
"""
from __future__ import annotations

import asyncio

from bot.channels.settings import ChannelSettings, channel_settings
from bot.channels.telegram_webhook import ALLOWED_UPDATES, WEBHOOK_PATH


class NotConfigured(Exception):
    pass


async def register_webhook(settings: ChannelSettings) -> str:
    from telegram import Bot

    if not settings.telegram_bot_token or not settings.telegram_secret_token:
        raise NotConfigured("set TELEGRAM_BOT_TOKEN and TELEGRAM_SECRET_TOKEN")
    url = settings.public_url(WEBHOOK_PATH)
    if not url:
        raise NotConfigured("set PUBLIC_BASE_URL to the https address Telegram can reach")
    bot = Bot(settings.telegram_bot_token, base_url=f"{settings.telegram_api_base_url}/bot")
    async with bot:
        await bot.set_webhook(
            url,
            secret_token=settings.telegram_secret_token,
            allowed_updates=list(ALLOWED_UPDATES),
            drop_pending_updates=False,
        )
        info = await bot.get_webhook_info()
    return info.url


def main() -> int:
    try:
        url = asyncio.run(register_webhook(channel_settings()))
    except NotConfigured as missing:
        print(f"Cannot register the Telegram webhook: {missing}.")
        return 1
    print(f"Telegram now delivers updates to {url} (with the secret token).")
    return 0
