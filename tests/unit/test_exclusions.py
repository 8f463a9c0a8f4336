"""Mandatory exclusions, 13 CSR 35-32.020 (7)(C)1.A-F."""

from datetime import date

import pytest
from pydantic import ValidationError

from models.exclusions import (Category, Disposition, Finding, Level, conviction_date, five_year_felony,
                               five_years_before, mandatory_exclusions)
from models.intake import OffenceIn, ScreeningResult

AS_OF = date(2026, 11, 24)
E = "13 CSR 35-32.020 (7)(C)1.E"


def finding(category: str, level: str = "felony", when: date = date(2010, 1, 1),
            convicted: date | None = None) -> Finding:
    return Finding(Category(category), Level(level), Disposition.convicted, when, convicted)


@pytest.mark.rule("13 CSR 35-32.020 (7)(C)1.A", "13 CSR 35-32.020 (7)(C)1.B", "13 CSR 35-32.020 (7)(C)1.C",
                  "13 CSR 35-32.020 (7)(C)1.D", E, "13 CSR 35-32.020 (7)(C)1.F")
@pytest.mark.parametrize("found, expected", [
    (finding("child_abuse_neglect"), ["(7)(C)1.A"]),
    (finding("spousal_abuse"), ["(7)(C)1.A"]),
    (finding("child_abuse_neglect", "misdemeanor"), []),
    (finding("crime_against_child", "misdemeanor"), ["(7)(C)1.B"]),
    (finding("child_pornography", "felony"), ["(7)(C)1.B"]),
    (finding("violent_or_sexual", "misdemeanor"), ["(7)(C)1.C"]),
    (finding("failure_to_report", "misdemeanor"), ["(7)(C)1.D"]),
    (finding("drug_related", "felony", date(2021, 6, 1), date(2022, 1, 1)), ["(7)(C)1.E"]),
    (finding("drug_related", "misdemeanor", date(2025, 1, 1), date(2025, 3, 1)), []),
    (finding("rsmo_210_117", "misdemeanor"), ["(7)(C)1.F"]),
    (finding("other", "felony", date(2026, 1, 1)), []),
], ids=["A-felony-child-abuse", "A-felony-spousal-abuse", "A-misdemeanor-child-abuse-not-mandatory",
        "B-any-level", "B-child-pornography", "C-violence-any-level", "D-failure-to-report",
        "E-drug-felony-convicted-within-5-years", "E-drug-misdemeanor-not-mandatory", "F-rsmo-210-117",
        "other-offence-goes-to-designee"])
def test_each_subparagraph(found, expected):
    assert mandatory_exclusions([found], AS_OF) == expected


@pytest.mark.rule("13 CSR 35-32.020 (7)(C)1")
def test_several_findings_cite_every_subparagraph_once():
    found = [finding("violent_or_sexual"), finding("failure_to_report"), finding("violent_or_sexual")]
    assert mandatory_exclusions(found, AS_OF) == ["(7)(C)1.C", "(7)(C)1.D"]


@pytest.mark.rule(E)
@pytest.mark.parametrize("as_of, start", [
    (date(2026, 11, 24), date(2021, 11, 24)),
    (date(2028, 2, 29), date(2023, 2, 28)),
], ids=["plain", "leap-day-falls-back-to-feb-28"])
def test_five_year_window_is_measured_from_as_of(as_of, start):
    assert five_years_before(as_of) == start


@pytest.mark.rule(E)
def test_an_old_offence_with_a_recent_conviction_is_excluded():
    """Seven years since the offence, three since the conviction: "a felony conviction ... within the past
    five (5) years"."""
    old = finding("physical_assault", "felony", date(2019, 11, 24), date(2023, 11, 24))
    assert mandatory_exclusions([old], AS_OF) == ["(7)(C)1.E"]


@pytest.mark.rule(E)
@pytest.mark.parametrize("convicted, expected", [
    (date(2021, 11, 24), ["(7)(C)1.E"]),
    (date(2021, 11, 25), ["(7)(C)1.E"]),
    (date(2021, 11, 23), []),
], ids=["exactly-five-years-ago", "a-day-less-than-five-years-ago", "a-day-more-than-five-years-ago"])
def test_five_years_count_from_the_conviction_to_the_day(convicted, expected):
    offence = finding("battery", "felony", date(2018, 5, 5), convicted)
    assert mandatory_exclusions([offence], AS_OF) == expected


@pytest.mark.rule(E)
def test_the_offence_date_alone_no_longer_decides():
    recent_offence_old_conviction = finding("drug_related", "felony", date(2021, 1, 1), date(2021, 11, 1))
    assert mandatory_exclusions([recent_offence_old_conviction], date(2026, 12, 1)) == []


@pytest.mark.rule(E)
def test_a_record_kept_without_a_disposition_date_counts_from_the_offence():
    assert conviction_date(finding("battery", "felony", date(2022, 3, 1))) == date(2022, 3, 1)
    assert mandatory_exclusions([finding("battery", "felony", date(2022, 3, 1))], AS_OF) == ["(7)(C)1.E"]


@pytest.mark.rule(E)
@pytest.mark.parametrize("category, level, barred", [
    ("physical_assault", "felony", True), ("battery", "felony", True), ("drug_related", "felony", True),
    ("drug_related", "misdemeanor", False), ("violent_or_sexual", "felony", False), ("other", "felony", False),
])
def test_which_offences_count_their_five_years(category, level, barred):
    assert five_year_felony(Category(category), Level(level)) is barred


@pytest.mark.rule(E)
def test_intake_requires_the_disposition_date_of_a_felony_under_e():
    with pytest.raises(ValidationError, match=r"disposition_date is required for a drug_related felony.*"
                                              r"\(7\)\(C\)1\.E"):
        OffenceIn(category="drug_related", level="felony", offence_date=date(2019, 1, 1))
    assert OffenceIn(category="drug_related", level="misdemeanor", offence_date=date(2019, 1, 1)).finding() == \
        Finding(Category.drug_related, Level.misdemeanor, Disposition.convicted, date(2019, 1, 1), None)


@pytest.mark.rule(E)
def test_intake_refuses_a_disposition_before_the_offence():
    with pytest.raises(ValidationError, match="disposition_date 2018-12-31 is before the offence_date 2019-01-01"):
        OffenceIn(category="battery", level="felony", offence_date=date(2019, 1, 1),
                  disposition_date=date(2018, 12, 31))


@pytest.mark.rule(E)
def test_intake_refuses_a_disposition_after_the_screening():
    offence = {"category": "battery", "level": "felony", "offence_date": "2019-01-01",
               "disposition_date": "2026-12-01"}
    with pytest.raises(ValidationError, match="offence 1: disposition_date 2026-12-01 is after the screening date"):
        ScreeningResult(review_id="HR-1", contractor_id="C-001", prospect_id="P-1", prospect_name="A. Person",
                        screened_on=date(2026, 11, 24), offences=[offence])
