"""CEJA clean energy hubs and ConstructionWorks."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "changes, determination, first_code",
    [
        ({"zip_code": "60621"}, "likely", "ceja_priority_area_likely"),  # Englewood
        ({"zip_code": "60614", "barriers": ["justice_involved"]}, "likely", "ceja_barrier"),
        ({"zip_code": "60614", "barriers": ["english_learner"]}, "likely", "ceja_barrier"),  # language barrier
        ({"zip_code": "60614", "education": "some_high_school"}, "likely", "ceja_barrier"),  # low education
        ({"zip_code": "60614", "barriers": ["disability"]}, "possible", "ceja_other_barrier"),  # "not limited to"
        ({"zip_code": "60614"}, "possible", "ceja_area_check"),  # census tracts, not ZIPs
        ({"zip_code": "60187"}, "possible", "ceja_area_check"),  # Wheaton: Illinois resident
        ({"zip_code": "90210", "barriers": ["justice_involved"]}, "unlikely", "ceja_not_illinois"),
        ({"zip_code": "60621", "age": 17}, "unlikely", "age_below_min"),
    ],
)
def test_ceja(screened, changes, determination, first_code):
    ceja = screened(**changes).program("ceja")
    assert ceja.determination == determination
    assert ceja.reasons[0].code == first_code


def test_ceja_needs_a_zip(screened):
    ceja = screened(drop=("zip_code",)).program("ceja")
    assert ceja.determination == "needs_info"
    assert "zip_code" in ceja.missing_answers


def test_ceja_hub_is_suggested_for_interest_or_eligibility(screened):
    interested = screened(zip_code="60644", sectors=["clean_energy"])
    assert interested.referral.ceja_hub.id == "ceja_southwest_west_sides"
    assert interested.program("ceja").interested is True
    uninterested = screened(zip_code="60644", sectors=["it"], barriers=["justice_involved"])
    assert uninterested.referral.ceja_hub is not None  # eligible: the hub is still named
    needs_info = screened(zip_code="60644", sectors=["it"], drop=("age",))
    assert needs_info.referral.ceja_hub is None


@pytest.mark.parametrize(
    "age, education, determination",
    [
        (17, "diploma", "unlikely"),  # 18+ is one of the program's screening points
        (18, "diploma", "likely"),
        (18, "ged", "likely"),
        (30, "some_high_school", "possible"),  # unverified requirement: possible, never unlikely
    ],
)
def test_constructionworks(screened, age, education, determination):
    assert screened(age=age, education=education).program("constructionworks").determination == determination


def test_constructionworks_interest_follows_sectors(screened):
    assert screened(sectors=["construction"]).program("constructionworks").interested is True
    assert screened(sectors=["it"]).program("constructionworks").interested is False
    assert screened(drop=("sectors",)).program("constructionworks").interested is None
    assert screened(drop=("education",)).program("constructionworks").missing_answers == ("education",)
