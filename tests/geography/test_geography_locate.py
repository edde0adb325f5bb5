"""locate(): every ZIP gets an area and somewhere to go; real Cook data as the check."""
from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from bot.geography import (
    CHICAGO,
    ILLINOIS_OTHER,
    OUT_OF_STATE,
    SUBURBAN_COOK,
    UNKNOWN_AREA,
    ceja_hubs,
    chicago_zip_codes,
    locate,
    sector_centers,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_COOK_ZIPS = REPO_ROOT / ".." / "shared" / "data" / "cook_county_zip_codes.csv"


def _expand(spec: str) -> list[str]:
    """'60601-60603' -> ['60601', '60602', '60603']; '60649' -> ['60649']."""
    first, _, last = spec.partition("-")
    return [str(number) for number in range(int(first), int(last or first) + 1)]


# The City of Chicago's ZIP codes (City of Chicago Data Portal, "Boundaries - ZIP Codes"), written as ranges
# independently of the data file, so the data file is checked against them.
CITY_OF_CHICAGO_ZIPS = [
    zip_code
    for spec in "60601-60626 60628-60634 60636-60647 60649 60651-60657 60659-60661 60666 60707 60827".split()
    for zip_code in _expand(spec)
]


def _shared_cook_rows() -> list[dict[str, str]]:
    """The county's own ZIP list, the real-world check of our data files. It lives beside the
    repository (../shared/data, not copied in); a laptop without it skips, CI must never pass
    without it."""
    if not SHARED_COOK_ZIPS.exists():
        reason = f"the Cook County ZIP file is missing: {SHARED_COOK_ZIPS.resolve()}"
        if os.environ.get("CI"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    with open(SHARED_COOK_ZIPS, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_city_list_has_59_zip_codes():
    assert len(CITY_OF_CHICAGO_ZIPS) == 59
    assert chicago_zip_codes() == frozenset(CITY_OF_CHICAGO_ZIPS)


@pytest.mark.parametrize("zip_code", CITY_OF_CHICAGO_ZIPS)
def test_every_city_zip_is_chicago_with_the_chicago_center(zip_code):
    location = locate(zip_code)
    assert location.area == CHICAGO
    assert location.lwia == "7"
    assert location.center is not None and location.center.id == "ajc_chicago"
    assert location.referral is None


def test_mostly_cook_zips_in_the_county_file_are_served_in_cook():
    rows = [
        row
        for row in _shared_cook_rows()
        if row["percent_addresses"] != "NA" and float(row["percent_addresses"]) >= 50
    ]
    assert len(rows) > 200  # the real file, not an empty stand-in
    wrong = {row["zip_code"]: locate(row["zip_code"]).area for row in rows}
    wrong = {z: area for z, area in wrong.items() if area not in (CHICAGO, SUBURBAN_COOK)}
    assert wrong == {}


def test_every_suburban_cook_zip_has_a_district_center():
    rows = [row for row in _shared_cook_rows() if row["percent_addresses"] not in ("NA",)]
    for row in rows:
        location = locate(row["zip_code"])
        if location.area == SUBURBAN_COOK:
            assert location.district in ("north", "west", "southwest", "south"), row["zip_code"]
            assert location.center is not None and location.center.kind == "american_job_center"


@pytest.mark.parametrize(
    "zip_code, area, expected",
    [
        ("60707", CHICAGO, {"side": "west"}),  # shared with Elmwood Park, on the city list
        ("60827", CHICAGO, {"side": "south"}),  # shared with Riverdale village
        ("60201", SUBURBAN_COOK, {"district": "north"}),  # Evanston: own health department (OOJ)
        ("60302", SUBURBAN_COOK, {"district": "west"}),  # Oak Park (OOJ)
        ("60459", SUBURBAN_COOK, {"district": "southwest"}),  # Burbank (OOJ)
        ("60426", SUBURBAN_COOK, {"district": "south"}),  # Harvey
        ("60133", SUBURBAN_COOK, {"partly_in_cook": True}),  # Hanover Park, 60% in Cook
        ("60004", SUBURBAN_COOK, {"partly_in_cook": False}),
        ("60015", ILLINOIS_OTHER, {"county": "Lake", "partly_in_cook": True}),  # Deerfield, 6.6% in Cook
        ("60187", ILLINOIS_OTHER, {"county": "DuPage", "lwia": "6"}),  # Wheaton
        ("60085", ILLINOIS_OTHER, {"county": "Lake", "lwia": "1"}),  # Waukegan
        ("60435", ILLINOIS_OTHER, {"county": "Will", "lwia": "10"}),  # Joliet
        ("60505", ILLINOIS_OTHER, {"county": "Kane", "lwia": "5"}),  # Aurora
        ("60901", ILLINOIS_OTHER, {"county": "Kankakee", "lwia": "11"}),
        ("60570", UNKNOWN_AREA, {}),  # not delivered to by USPS
        ("90210", OUT_OF_STATE, {}),
        ("46320", OUT_OF_STATE, {}),  # Hammond, Indiana: next door, still another state
    ],
)
def test_area_and_details(zip_code, area, expected):
    location = locate(zip_code)
    assert location.area == area
    for field, value in expected.items():
        assert getattr(location, field) == value, field


def test_dupage_zip_refers_to_dupage_workforce_area():
    referral = locate("60187").referral
    assert referral is not None
    assert referral.kind == "lwia" and referral.lwia == "6"
    assert "DuPage" in referral.name("en") and "DuPage" in referral.name("es")


@pytest.mark.parametrize(
    "zip_code, kind, website_part",
    [
        ("90210", "careeronestop", "careeronestop.org"),
        ("61999", "illinois_worknet", "illinoisworknet.com"),  # Illinois prefix, not in the county table
        ("60570", "partnership", "chicookworks.org"),
    ],
)
def test_no_zip_is_refused(zip_code, kind, website_part):
    referral = locate(zip_code).referral
    assert referral is not None
    assert referral.kind == kind
    assert website_part in referral.website


@pytest.mark.parametrize(
    "zip_code, hub_id, priority_likely",
    [
        ("60621", "ceja_south_side", True),  # Englewood
        ("60649", "ceja_south_side", True),  # South Shore
        ("60644", "ceja_southwest_west_sides", True),  # Austin
        ("60629", "ceja_southwest_west_sides", True),  # Chicago Lawn
        # 20 ILCS 730/5-20: hubs serve residents "in or near" their areas; the north side and Loop get the nearest.
        ("60614", "ceja_southwest_west_sides", False),  # Lincoln Park
        ("60601", "ceja_southwest_west_sides", False),  # Loop
    ],
)
def test_ceja_hub_and_priority_hint(zip_code, hub_id, priority_likely):
    location = locate(zip_code)
    assert (location.ceja_hub.id if location.ceja_hub else None) == hub_id
    assert location.ceja_priority_likely is priority_likely


def test_every_residential_cook_zip_has_a_ceja_hub():
    from bot.geography import _geography

    data = _geography()
    residential = [zip_code for zip_code, row in data.chicago.items() if row["source_list"] == "city"]
    residential += [zip_code for zip_code, row in data.suburban_cook.items() if row["district"]]
    without_hub = [zip_code for zip_code in residential if locate(zip_code).in_cook and locate(zip_code).ceja_hub is None]
    assert without_hub == []


@pytest.mark.parametrize("bad", ["6060", "606011", "6o601", "", "     ", "60601-1234", None, 60601])
def test_not_five_digits_raises(bad):
    with pytest.raises(ValueError):
        locate(bad)


def test_surrounding_spaces_are_ignored():
    assert locate(" 60601 ").zip_code == "60601"


def test_centers_have_no_invented_addresses():
    every_center = list(sector_centers(["healthcare", "hospitality", "transportation", "it", "construction"]))
    every_center += list(ceja_hubs()) + [locate("60601").center]
    assert len(every_center) == 8
    for item in every_center:
        assert item.verified or (item.address is None and item.phone is None), item.id
        assert item.name("en") and item.name("es") and item.name("en") != item.name("es")


def test_sector_centers_follow_the_order_asked():
    assert [c.id for c in sector_centers(["it", "healthcare", "it", "clean_energy"])] == [
        "sector_it",
        "sector_healthcare",
    ]
