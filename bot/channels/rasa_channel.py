"""The Rasa side of our channels: the input channel class credentials.yml names, which mounts the
channel's webhooks (Rasa-free, see reception.py) on the Rasa server's dialogue runtime."""
from __future__ import annotations

from typing import Any, ClassVar

from rasa.core.channels.channel import InputChannel
from sanic import Blueprint

from bot.channels.processing import HandleMessage
from bot.channels.reception import Webhooks
from bot.channels.runtime import shared_runtime


class WebhookChannel(InputChannel):
    """Secrets come from the environment, not credentials.yml: the class takes no credentials."""

    webhooks: ClassVar[Webhooks]

    @classmethod
    def name(cls) -> str:
        return cls.webhooks.name

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> "WebhookChannel":
        return cls()

    def blueprint(self, on_new_message: HandleMessage) -> Blueprint:
        return self.webhooks.blueprint(shared_runtime(on_new_message))
