"""The summary's first message takes the next step along only while all of it fits one message's
SMS budget (bot/actions/summary.py): one text fewer for most seekers, never a fourth segment."""
from __future__ import annotations

import pytest

from bot.actions.summary import PROGRAMS_AND_NEXT_STEP, fits_one_message
from tests.flows.test_domain_responses import DOMAIN

PROGRAM_LINE = "- WIOA Adult (priority group 2): likely a fit. Low income or skill needs: you are served before others."
NEXT_STEP = "American Job Center, City of Chicago; Hospitality and Tourism sector center. chicookworks.org"


def _values(program_count: int) -> dict[str, str]:
    return {
        "name_part": ", Guadalupe",
        "sectors": "Hospitality and tourism",
        "programs": "\n".join([PROGRAM_LINE] * program_count),
        "next_step": NEXT_STEP,
    }


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("program_count, fits", [(1, True), (2, True), (4, False)])
def test_the_next_step_joins_the_programs_only_while_it_fits(language, program_count, fits):
    assert fits_one_message(DOMAIN["responses"], PROGRAMS_AND_NEXT_STEP, language, _values(program_count)) is fits


def test_a_response_missing_from_the_domain_never_fits():
    assert not fits_one_message(DOMAIN["responses"], "utter_no_such_response", "en", _values(1))


def test_the_action_server_reads_the_same_responses_the_model_is_trained_with():
    from bot.actions.response_texts import shipped_responses

    assert shipped_responses() == DOMAIN["responses"]
