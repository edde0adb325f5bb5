"""ZIP code to area, American Job Center, CEJA hub and outside-Cook referral.

The product routes by ZIP and never refuses service by ZIP: every valid 5-digit ZIP gets somewhere
to go. The facts live in data/geography/ (each file cites its source); this module only reads them,
once, on first use.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

import yaml

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "geography"

CHICAGO = "chicago"
SUBURBAN_COOK = "suburban_cook"
ILLINOIS_OTHER = "illinois_other"
OUT_OF_STATE = "out_of_state"
UNKNOWN_AREA = "unknown"
AREAS = (CHICAGO, SUBURBAN_COOK, ILLINOIS_OTHER, OUT_OF_STATE, UNKNOWN_AREA)

COOK_LWIA = "7"
# USPS assigns the 3-digit prefixes 600-629 to Illinois.
ILLINOIS_PREFIXES = range(600, 630)


def is_illinois_zip(zip_code: str) -> bool:
    return int(zip_code[:3]) in ILLINOIS_PREFIXES
# A ZIP mostly outside Cook is routed to the other county first.
MOSTLY_IN_COOK_PERCENT = 50.0

_ZIP_PATTERN = re.compile(r"\d{5}")


@dataclass(frozen=True)
class Center:
    id: str
    kind: str  # american_job_center | sector_center | ceja_hub
    name_en: str
    name_es: str
    website: str
    region: str | None = None
    sector: str | None = None
    address: str | None = None
    phone: str | None = None
    verified: bool = False

    def name(self, language: str) -> str:
        return self.name_es if language == "es" else self.name_en


@dataclass(frozen=True)
class Referral:
    """Where to send a seeker the Partnership does not serve (or may not serve) directly."""

    kind: str  # lwia | illinois_worknet | careeronestop | partnership
    name_en: str
    name_es: str
    website: str
    lwia: str | None = None

    def name(self, language: str) -> str:
        return self.name_es if language == "es" else self.name_en


@dataclass(frozen=True)
class Location:
    zip_code: str
    area: str  # one of AREAS
    county: str | None
    lwia: str | None
    district: str | None = None  # suburban Cook district: north, west, southwest, south
    side: str | None = None  # Chicago side: north, west, southwest, south, central
    center: Center | None = None
    ceja_hub: Center | None = None
    # The hub is the nearest one, not the one for the seeker's own area (hubs serve residents "in or near" them).
    ceja_hub_is_nearest: bool = False
    # A ZIP only hints at a CEJA priority (R3 / environmental-justice) area; staff confirm by address.
    ceja_priority_likely: bool = False
    # The ZIP straddles the Cook line: whoever lives in the Cook part can use Cook centers.
    partly_in_cook: bool = False
    referral: Referral | None = None

    @property
    def in_cook(self) -> bool:
        return self.area in (CHICAGO, SUBURBAN_COOK)

    @property
    def in_illinois(self) -> bool | None:
        if self.area == UNKNOWN_AREA:
            return None
        return self.area != OUT_OF_STATE


def locate(zip_code: str) -> Location:
    """Where a 5-digit ZIP code is and where its resident should go next. ValueError if not 5 digits."""
    zip_code = normalize_zip(zip_code)
    data = _geography()
    if zip_code in data.chicago:
        return _chicago_location(zip_code, data)
    if zip_code in data.suburban_cook:
        return _suburban_location(zip_code, data)
    if zip_code in data.invalid:
        return Location(zip_code, UNKNOWN_AREA, None, None, referral=data.partnership_referral)
    if is_illinois_zip(zip_code):
        return _illinois_location(zip_code, data.illinois_counties.get(zip_code), data)
    return Location(zip_code, OUT_OF_STATE, None, None, referral=data.out_of_state_referral)


def normalize_zip(zip_code: str) -> str:
    """The ZIP without surrounding spaces; ValueError unless it is exactly 5 digits."""
    if not isinstance(zip_code, str):
        raise ValueError(f"ZIP code must be text, got {type(zip_code).__name__}")
    cleaned = zip_code.strip()
    if not _ZIP_PATTERN.fullmatch(cleaned):
        raise ValueError(f"ZIP code must be 5 digits, got {zip_code!r}")
    return cleaned


def is_valid_zip(zip_code: str) -> bool:
    try:
        normalize_zip(zip_code)
    except ValueError:
        return False
    return True


def center(center_id: str) -> Center:
    """A center by id (KeyError if unknown)."""
    return _geography().centers[center_id]


def sector_centers(sectors: Iterable[str]) -> tuple[Center, ...]:
    """The Partnership centers for the given sectors, in the order asked, without repeats."""
    by_sector: dict[str, list[Center]] = {}
    for item in _geography().centers.values():
        if item.kind == "sector_center" and item.sector:
            by_sector.setdefault(item.sector, []).append(item)
    found: list[Center] = []
    for sector in sectors:
        for item in by_sector.get(sector, []):
            if item not in found:
                found.append(item)
    return tuple(found)


def ceja_hubs() -> tuple[Center, ...]:
    return tuple(c for c in _geography().centers.values() if c.kind == "ceja_hub")


def chicago_zip_codes() -> frozenset[str]:
    """The City of Chicago's 59 residential ZIP codes (`source_list=city` in chicago_zip_codes.csv)."""
    return frozenset(z for z, row in _geography().chicago.items() if row["source_list"] == "city")


def contact_website() -> str:
    return _geography().contact_website


# --- building locations ---------------------------------------------------------------------


def _chicago_location(zip_code: str, data: _Geography) -> Location:
    row = data.chicago[zip_code]
    side = row["side"] or None
    hub = data.hub_by_side.get(side) if side else None
    nearest = data.nearest_hub_by_side.get(side) if side and hub is None else None
    return Location(
        zip_code=zip_code,
        area=CHICAGO,
        county="Cook",
        lwia=COOK_LWIA,
        side=side,
        center=data.centers[data.region_centers[CHICAGO]],
        ceja_hub=hub or nearest,
        ceja_hub_is_nearest=nearest is not None,
        ceja_priority_likely=row["ceja_priority_likely"] == "yes",
    )


def _suburban_location(zip_code: str, data: _Geography) -> Location:
    row = data.suburban_cook[zip_code]
    district = row["district"] or None
    cook_center = data.centers[data.region_centers[district]] if district else None
    # No CEJA hub is in suburban Cook: the nearest one serves residents "in or near" its area.
    nearest = data.nearest_hub_by_district.get(district) if district else None
    percent = float(row["percent_in_cook"]) if row["percent_in_cook"] else None
    other_county = row["other_county"] or None
    mostly_elsewhere = percent is not None and percent < MOSTLY_IN_COOK_PERCENT and other_county
    if mostly_elsewhere:
        # Most addresses are in the other county: refer there, but keep the Cook center for the Cook part.
        located = _illinois_location(zip_code, other_county, data)
        return Location(
            zip_code=zip_code,
            area=ILLINOIS_OTHER,
            county=located.county,
            lwia=located.lwia,
            district=district,
            center=cook_center,
            partly_in_cook=True,
            referral=located.referral,
        )
    return Location(
        zip_code=zip_code,
        area=SUBURBAN_COOK,
        county="Cook",
        lwia=COOK_LWIA,
        district=district,
        center=cook_center,
        ceja_hub=nearest,
        ceja_hub_is_nearest=nearest is not None,
        partly_in_cook=percent is not None and percent < 100.0,
    )


def _illinois_location(zip_code: str, county: str | None, data: _Geography) -> Location:
    lwia = data.county_lwia.get(county) if county else None
    if lwia is None:
        return Location(zip_code, ILLINOIS_OTHER, county, None, referral=data.illinois_referral)
    area_name = data.lwia_names[lwia]
    referral = Referral(
        kind="lwia",
        name_en=f"{county} County area: {area_name}",
        name_es=f"Condado de {county}: {area_name}",
        # Individual area websites are not verified; the state locator finds their centers.
        website=data.illinois_referral.website,
        lwia=lwia,
    )
    return Location(zip_code, ILLINOIS_OTHER, county, lwia, referral=referral)


# --- loading the data files -----------------------------------------------------------------


@dataclass(frozen=True)
class _Geography:
    chicago: Mapping[str, Mapping[str, str]]
    suburban_cook: Mapping[str, Mapping[str, str]]
    invalid: frozenset[str]
    illinois_counties: Mapping[str, str]
    county_lwia: Mapping[str, str]
    lwia_names: Mapping[str, str]
    centers: Mapping[str, Center]
    region_centers: Mapping[str, str]
    hub_by_side: Mapping[str, Center]
    nearest_hub_by_side: Mapping[str, Center]
    nearest_hub_by_district: Mapping[str, Center]
    contact_website: str
    illinois_referral: Referral
    out_of_state_referral: Referral
    partnership_referral: Referral


def _read_csv(name: str) -> list[dict[str, str]]:
    """Rows of a data CSV, skipping its '#' header comment lines."""
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines))


def _read_yaml(name: str) -> dict:
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _referral_from(entry: Mapping) -> Referral:
    return Referral(entry["kind"], entry["name"]["en"], entry["name"]["es"], entry["website"])


@lru_cache(maxsize=1)
def _geography() -> _Geography:
    centers_file = _read_yaml("centers.yaml")
    centers = {
        center_id: Center(
            id=center_id,
            kind=entry["kind"],
            name_en=entry["name"]["en"],
            name_es=entry["name"]["es"],
            website=entry.get("website") or centers_file["contact_website"],
            region=entry.get("region"),
            sector=entry.get("sector"),
            address=entry.get("address"),
            phone=entry.get("phone"),
            verified=bool(entry.get("verified", False)),
        )
        for center_id, entry in centers_file["centers"].items()
    }
    def hubs_by(field: str) -> dict[str, Center]:
        return {
            place: centers[center_id]
            for center_id, entry in centers_file["centers"].items()
            for place in entry.get(field, [])
        }

    areas = _read_yaml("workforce_areas.yaml")
    county_lwia = {
        county: str(number) for number, area in areas["areas"].items() for county in area["counties"]
    }
    return _Geography(
        chicago={row["zip_code"]: row for row in _read_csv("chicago_zip_codes.csv")},
        suburban_cook={row["zip_code"]: row for row in _read_csv("suburban_cook_zip_codes.csv")},
        invalid=frozenset(row["zip_code"] for row in _read_csv("invalid_zip_codes.csv")),
        illinois_counties={row["zip_code"]: row["county"] for row in _read_csv("illinois_zip_counties.csv")},
        county_lwia=county_lwia,
        lwia_names={str(number): area["name"] for number, area in areas["areas"].items()},
        centers=centers,
        region_centers=centers_file["region_centers"],
        hub_by_side=hubs_by("serves_sides"),
        nearest_hub_by_side=hubs_by("nearest_for_sides"),
        nearest_hub_by_district=hubs_by("nearest_for_districts"),
        contact_website=centers_file["contact_website"],
        illinois_referral=_referral_from(areas["fallbacks"]["illinois"]),
        out_of_state_referral=_referral_from(areas["fallbacks"]["out_of_state"]),
        partnership_referral=_referral_from(areas["fallbacks"]["partnership"]),
    )
