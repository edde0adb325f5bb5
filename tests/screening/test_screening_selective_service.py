"""Selective Service: who must be registered, and what happens when they are not."""
from __future__ import annotations

import pytest

WIOA = ("wioa_adult", "wioa_dislocated_worker", "wioa_youth")


@pytest.mark.parametrize(
    "sex, age, birth_year, required",
    [
        ("female", 20, None, False),
        ("male", 17, None, False),
        ("male", 18, None, True),
        ("male", 25, None, True),
        ("male", 26, None, True),  # still matters: staff review if not registered
        ("male", None, 1960, True),  # born on/after 1960-01-01
        ("male", None, 1959, False),  # born before the cutoff
        ("male", None, 2008, None),  # 17 or 18: the dialogue asks
        ("male", 66, None, None),  # born late 1959 or 1960: straddles the cutoff
        ("other", 30, None, None),  # follows sex assigned at birth: staff settle it
        (None, 30, None, None),
    ],
)
def test_when_registration_is_required(screened, sex, age, birth_year, required):
    changes = {}
    drop = ["age", "sex"]
    if sex is not None:
        changes["sex"] = sex
    if age is not None:
        changes["age"] = age
    if birth_year is not None:
        changes["birth_year"] = birth_year
    assert screened(drop=drop, **changes).selective_service_required is required


@pytest.mark.parametrize(
    "age, veteran, determination, code, review",
    [
        (18, False, "possible", "ss_must_register", None),
        (25, False, "possible", "ss_must_register", None),
        (25, True, "possible", "ss_must_register", None),  # an unregistered veteran under 26 must still register
        (26, False, "possible", "ss_staff_review", "selective_service_26_plus"),  # never "not eligible"
        (40, False, "possible", "ss_staff_review", "selective_service_26_plus"),
        (26, True, "likely", "ss_veteran_waiver", None),  # DD-214: waiver presumed
    ],
)
def test_not_registered(screened, age, veteran, determination, code, review):
    result = screened(sex="male", age=age, veteran=veteran, selective_service="not_registered")
    adult = result.program("wioa_adult")
    assert adult.determination == determination
    assert code in adult.reason_codes()
    if review:
        assert review in result.needs_staff_review
    assert "selective_service_26_plus" not in result.needs_staff_review or review


def test_registered_man_is_likely(screened):
    result = screened(sex="male", age=30, selective_service="registered")
    assert result.program("wioa_adult").determination == "likely"
    assert "selective_service_letter" in result.program("wioa_adult").documents


def test_unanswered_registration_needs_info_only_when_required(screened):
    man = screened(sex="male", age=30)
    assert man.program("wioa_adult").determination == "needs_info"
    assert man.program("wioa_adult").missing_answers == ("selective_service",)
    assert screened(sex="female", age=30).program("wioa_adult").determination == "likely"
    assert screened(sex="male", age=17, in_school=False, education="some_high_school").program(
        "wioa_youth"
    ).determination == "likely"


def test_registration_does_not_touch_ceja_or_constructionworks(screened):
    result = screened(sex="male", age=40, selective_service="not_registered")
    assert result.program("ceja").determination != "unlikely"
    assert all("ss_staff_review" not in result.program(p).reason_codes() for p in ("ceja", "constructionworks"))
    assert all("ss_staff_review" in result.program(p).reason_codes() for p in ("wioa_adult",))


def test_does_not_know_if_registered_is_checked_by_staff(screened):
    result = screened(sex="male", age=30, selective_service="unknown")
    assert result.program("wioa_adult").determination == "possible"
    assert "selective_service_check" in result.needs_staff_review
