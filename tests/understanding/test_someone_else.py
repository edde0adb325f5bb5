"""Whether a text is sent for someone else who wants the work (a child, a spouse, a friend)."""
from __future__ import annotations

import pytest

from bot.understanding.someone_else import texting_for_someone_else


@pytest.mark.parametrize(
    "text",
    [
        "my son is 17 and needs a job",
        "My son is 17 and he needs a job",
        "hi im texting for my daughter she is 19 and cant find work",
        "my grandson needs work he is 18",
        "looking for a job for my son",
        "my husband got laid off and needs work",
        "my kid wants a summer job hes 16",
        "my son, 17, is looking for work",
        "my 17 yo son needs a job",
        "can you help my daughter find a job",
        "asking for my nephew",
        "my wife is looking for cna jobs",
        "mi hijo tiene 17 y necesita trabajo",
        "busco trabajo para mi hijo",
        "mi esposa busca trabajo de limpieza",
    ],
)
def test_a_job_search_for_someone_else(text: str) -> None:
    assert texting_for_someone_else(text)


@pytest.mark.parametrize(
    "text",
    [
        # A relative only mentioned: the texter is the one looking.
        "i have a son he is 3 and i need a job",
        "my son is 3",
        "my daughter is 2 i need daycare and a job",
        "my daughter is 2 and needs daycare so i can work",
        "my mom lost her job so i need one",
        "my husband got laid off from ford",  # why the texter needs work now
        "my husband left me and i need work",
        # Working for their sake.
        "i need a job for my kids",
        "i need a job to support my son",
        "single mom of 3 need a job asap",
        "necesito trabajo para mis hijos",
        "i worked for my brother",
        "im looking for work",
    ],
)
def test_a_relative_only_mentioned_is_not_a_search_for_them(text: str) -> None:
    assert not texting_for_someone_else(text)
