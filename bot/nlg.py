"""Response generation that honours an opt-out: nothing is said to a person who opted out,
whichever rule or action would have said it, until they opt back in.

The one place every bot response passes through (rules, forms and custom actions alike), so the
guarantee does not depend on each rule remembering the consent state. The opt-out and opt-in
confirmations and the HELP answer are the only responses that go out regardless: carriers require
them, and each is sent once, in answer to the person's own keyword.
"""
from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.responses import ALWAYS_ANSWERED
from bot.slots import LANGUAGE, OPTED_OUT


class ConsentAwareNLG(TemplatedNaturalLanguageGenerator):
    def __init__(self, endpoint_config: EndpointConfig | None = None, domain: Domain | None = None) -> None:
        super().__init__((domain or Domain.empty()).responses)

    async def generate(
        self, utter_action: Text, tracker: DialogueStateTracker, output_channel: Text, **kwargs: Any
    ) -> Optional[Dict[Text, Any]]:
        if tracker.get_slot(OPTED_OUT) and utter_action not in ALWAYS_ANSWERED:
            # An empty message: recorded as withheld, sent to no one.
            return {}
        message = await super().generate(utter_action, tracker, output_channel, **kwargs)
        if message:
            # The channel renders choices ("Reply 1 for ...") in the language the text is in.
            message["language"] = tracker.get_slot(LANGUAGE) or "en"
        return message
