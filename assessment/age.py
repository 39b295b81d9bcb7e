"""The applicant's age as the procedure uses it, defined once (legal-test.md, "Age, consent and representation").

- The **age group** (adult or child) is the age at the START of the exploitation: art. 273f lid 1 sub 2 Sr
  asks whether the person was under 18 at the time of the act, not when they applied. The intake, the
  instrument's profile (no means for a minor), letters and the evaluators' figures all read `age_group_at_start`.
- **Consent** of an applicant under 16 is given by the legal representative (UAVG art. 5): that is the age on
  the day the consent is given (`under_consent_age`).

With only a year of birth an age is known to within one year; where that year straddles the limit the answer
is None (not known), and the secretary's own choice stands.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

ADULT_AGE = 18  # art. 273f lid 1 sub 2 Sr: a minor is under 18 at the time of the act
CONSENT_AGE = 16  # UAVG art. 5: under 16 the legal representative consents

AgeGroup = Literal["adult", "child"]


def age_on(date_of_birth: dt.date, on: dt.date) -> int:
    """Completed years of age on `on`."""
    return on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))


def _below(limit: int, date_of_birth: dt.date | None, birth_year: int | None, on: dt.date) -> bool | None:
    """Was the person under `limit` on `on`? None when the birth data cannot tell."""
    if date_of_birth is not None:
        return age_on(date_of_birth, on) < limit
    if birth_year is None:
        return None
    years = on.year - birth_year  # the age is `years` or `years - 1`
    if years < limit:
        return True
    if years - 1 >= limit:
        return False
    return None


def age_group_at_start(date_of_birth: dt.date | None, birth_year: int | None,
                       period_start: dt.date | None) -> AgeGroup | None:
    """Child or adult at the start of the exploitation; None when the start or the birth data cannot tell."""
    if period_start is None:
        return None
    below = _below(ADULT_AGE, date_of_birth, birth_year, period_start)
    return None if below is None else ("child" if below else "adult")


def under_consent_age(date_of_birth: dt.date | None, birth_year: int | None, on: dt.date) -> bool | None:
    """Was the applicant under 16 on the day of a consent? None when the birth data cannot tell."""
    return _below(CONSENT_AGE, date_of_birth, birth_year, on)


def age_at_start(birth_year: int | None, period_start: dt.date | None, age_group: AgeGroup | None) -> int | None:
    """The age at the start of the exploitation as the evaluators' age bands use it (they never see a date
    of birth): the years since the year of birth, or one less where that is exactly 18 and the case's age
    group (decided on the date of birth, or the secretary's choice) is child, so that band and group always
    read the same definition (`age_group_at_start`). None when either date is unknown or not plausible."""
    years = years_at(birth_year, period_start)
    return years - 1 if years == ADULT_AGE and age_group == "child" else years


def years_at(birth_year: int | None, on: dt.date | None) -> int | None:
    """The approximate age (year of birth only) on a day: what the evaluators' age bands use, who never see
    a date of birth. None when either is unknown or the result is not a plausible age."""
    if birth_year is None or on is None:
        return None
    years = on.year - birth_year
    return years if 0 <= years <= 120 else None
