"""Mandatory exclusions, 13 CSR 35-32.020 (7)(C)1.A-F."""

from datetime import date

import pytest

from models.exclusions import (Category, Disposition, Finding, Level, five_years_before,
                               mandatory_exclusions)

AS_OF = date(2026, 11, 24)


def finding(category: str, level: str = "felony", when: date = date(2010, 1, 1)) -> Finding:
    return Finding(Category(category), Level(level), Disposition.convicted, when)


@pytest.mark.parametrize("found, expected", [
    (finding("child_abuse_neglect"), ["(7)(C)1.A"]),
    (finding("spousal_abuse"), ["(7)(C)1.A"]),
    (finding("child_abuse_neglect", "misdemeanor"), []),
    (finding("crime_against_child", "misdemeanor"), ["(7)(C)1.B"]),
    (finding("child_pornography", "felony"), ["(7)(C)1.B"]),
    (finding("violent_or_sexual", "misdemeanor"), ["(7)(C)1.C"]),
    (finding("failure_to_report", "misdemeanor"), ["(7)(C)1.D"]),
    (finding("drug_related", "felony", date(2022, 1, 1)), ["(7)(C)1.E"]),
    (finding("battery", "felony", date(2021, 11, 24)), ["(7)(C)1.E"]),
    (finding("physical_assault", "felony", date(2021, 11, 23)), []),
    (finding("drug_related", "misdemeanor", date(2025, 1, 1)), []),
    (finding("rsmo_210_117", "misdemeanor"), ["(7)(C)1.F"]),
    (finding("other", "felony", date(2026, 1, 1)), []),
], ids=["A-felony-child-abuse", "A-felony-spousal-abuse", "A-misdemeanor-child-abuse-not-mandatory",
        "B-any-level", "B-child-pornography", "C-violence-any-level", "D-failure-to-report",
        "E-drug-felony-within-5-years", "E-battery-exactly-5-years-ago", "E-assault-a-day-older-than-5-years",
        "E-drug-misdemeanor-not-mandatory", "F-rsmo-210-117", "other-offence-goes-to-designee"])
def test_each_subparagraph(found, expected):
    assert mandatory_exclusions([found], AS_OF) == expected


def test_several_findings_cite_every_subparagraph_once():
    found = [finding("violent_or_sexual"), finding("failure_to_report"), finding("violent_or_sexual")]
    assert mandatory_exclusions(found, AS_OF) == ["(7)(C)1.C", "(7)(C)1.D"]


@pytest.mark.parametrize("as_of, start", [
    (date(2026, 11, 24), date(2021, 11, 24)),
    (date(2028, 2, 29), date(2023, 2, 28)),
], ids=["plain", "leap-day-falls-back-to-feb-28"])
def test_five_year_window_is_measured_from_as_of(as_of, start):
    assert five_years_before(as_of) == start
