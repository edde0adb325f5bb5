"""Age from `age` or `birth_year`, as an honest range: a birth year alone spans two possible ages."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class AgeFacts:
    """Earliest and latest possible birth dates, and the ages they give on `today`."""

    earliest_birth: date
    latest_birth: date
    today: date
    # Age and birth year disagreed; we kept the age (the more direct answer).
    conflicting_answers: bool = False

    @property
    def youngest(self) -> int:
        return age_on(self.latest_birth, self.today)

    @property
    def oldest(self) -> int:
        return age_on(self.earliest_birth, self.today)

    @property
    def exact(self) -> int | None:
        return self.youngest if self.youngest == self.oldest else None

    def at_least(self, years: int) -> bool | None:
        """True/False when every possible age agrees, None when the range straddles `years`."""
        if self.youngest >= years:
            return True
        if self.oldest < years:
            return False
        return None

    def between(self, lowest: int, highest: int) -> bool | None:
        """Inclusive range check with the same three-way answer as at_least."""
        if self.youngest >= lowest and self.oldest <= highest:
            return True
        if self.oldest < lowest or self.youngest > highest:
            return False
        return None

    def born_on_or_after(self, cutoff: date) -> bool | None:
        if self.earliest_birth >= cutoff:
            return True
        if self.latest_birth < cutoff:
            return False
        return None


def age_on(birth: date, today: date) -> int:
    had_birthday = (today.month, today.day) >= (birth.month, birth.day)
    return today.year - birth.year - (0 if had_birthday else 1)


def age_facts(age: int | None, birth_year: int | None, today: date) -> AgeFacts | None:
    """AgeFacts from whichever answers exist; None when neither does."""
    from_age = _births_for_age(age, today) if age is not None else None
    from_year = (date(birth_year, 1, 1), min(date(birth_year, 12, 31), today)) if birth_year is not None else None
    if from_age and from_year:
        earliest = max(from_age[0], from_year[0])
        latest = min(from_age[1], from_year[1])
        if earliest <= latest:
            return AgeFacts(earliest, latest, today)
        return AgeFacts(from_age[0], from_age[1], today, conflicting_answers=True)
    chosen = from_age or from_year
    if chosen is None:
        return None
    return AgeFacts(chosen[0], chosen[1], today)


def _births_for_age(age: int, today: date) -> tuple[date, date]:
    """Someone `age` today was born after their (age+1)-th birthday's date and on or before their age-th."""
    latest = _years_before(today, age)
    earliest = _years_before(today, age + 1) + timedelta(days=1)
    return earliest, latest


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)
