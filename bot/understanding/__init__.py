"""Parsers that turn a seeker's free text (English, Spanish, Spanglish, misspelled) into screening
answers. Pure: standard library and PyYAML only.

Entry point: `extract(text, requested=..., language=..., today=...)`.
"""
from __future__ import annotations

from bot.understanding.choices import MILITARY, QUESTIONS, ChoiceQuestion, Option
from bot.understanding.extract import Extraction, dont_know_answers, extract
from bot.understanding.sectors import SectorMatch, match_sectors, sectors_in
from bot.understanding.yes_no import parse_yes_no

__all__ = [
    "MILITARY",
    "QUESTIONS",
    "ChoiceQuestion",
    "Extraction",
    "dont_know_answers",
    "Option",
    "SectorMatch",
    "extract",
    "match_sectors",
    "parse_yes_no",
    "sectors_in",
]
