"""A complete sample of the figures of a renewal (the JSON-able dict tasks/renewal/figures.py builds), for the
report's tests: 12 months, the three outcomes of 13 CSR 35-32.020 (13)(A)-(C) with permanency missed, the
monitored measures of (13)(D), the incentive of 32.030 (6)(B) month by month, the payments with reductions A-F,
the state and federal split of the four categories, corrections, and the Texas and residential sections.

The numbers agree with each other the way the rules compute them (two decimals, half-up), so a test can check
a total against its parts. IDs only, never a name.
"""

import hashlib
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
CASES = 500
RATE = Decimal("1850.00")
EXPECTED_PERCENT = Decimal("26.00")
ACHIEVED = [12, 9, 11, 13, 10, 12, 11, 14, 9, 12, 13, 11]  # children reaching permanency, month 1..12
SERVED = 620
CHILD_IDS = ("CH-000117", "CH-004410")  # children named in the case data; the report must never show them

# (month index, reason, paragraph, cases, amount per case or None for the monthly rate)
REDUCTIONS = [
    (1, "A", "13 CSR 35-32.030 (6)(B)3.A", 3, None),
    (3, "B", "13 CSR 35-32.030 (6)(B)3.B", 2, None),
    (4, "C", "13 CSR 35-32.030 (6)(B)3.C", 5, None),
    (6, "D", "13 CSR 35-32.030 (6)(B)3.D", 2, None),
    (8, "E", "13 CSR 35-32.030 (6)(B)3.E", 4, Decimal("250.00")),
    (10, "F", "13 CSR 35-32.030 (6)(B)3.F", 1, Decimal("500.00")),
    (10, "A", "13 CSR 35-32.030 (6)(B)3.A", 1, None),
]
FMAP = Decimal("0.6550")
IVE_SHARE = Decimal("0.62")
ADMINISTRATION = Decimal("120000.00")
TRAINING = Decimal("40000.00")


def money(value: Decimal) -> str:
    return str(value.quantize(CENT, ROUND_HALF_UP))


def percent(numerator: int, denominator: int) -> str:
    return str((Decimal(numerator) * 100 / denominator).quantize(CENT, ROUND_HALF_UP))


def month_label(start: date, index: int) -> str:
    year, month = divmod(start.month - 1 + index, 12)
    return f"{start.year + year:04d}-{month + 1:02d}"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def outcome(name: str, label: str, letter: str, numerator: int, denominator: int, target: str,
            definition: str) -> dict:
    value = percent(numerator, denominator)
    return {"name": name, "label": label, "paragraph": f"13 CSR 35-32.020 (13)({letter})", "numerator": numerator,
            "denominator": denominator, "percent": value, "target": target,
            "met": Decimal(value) >= Decimal(target), "definition": definition}


def monitored(name: str, label: str, numerator: int, denominator: int | None, value: str | None,
              definition: str) -> dict:
    return {"name": name, "label": label, "paragraph": "13 CSR 35-32.020 (13)(D)", "numerator": numerator,
            "denominator": denominator, "percent": value, "definition": definition}


def incentive(start: date) -> dict:
    expected = (CASES * EXPECTED_PERCENT / 100 / 12).quantize(CENT, ROUND_HALF_UP)
    months = [{"month": month_label(start, i), "expected": str(expected), "achieved": achieved,
               "difference": str(achieved - expected)} for i, achieved in enumerate(ACHIEVED)]
    total = sum((Decimal(m["difference"]) for m in months), Decimal(0))
    children = int(total.to_integral_value(ROUND_DOWN)) if total > 0 else 0
    amount = children * RATE
    appropriation = Decimal("10000.00")  # below the amount: the cap binds
    return {"method": "(6)(B)", "paragraph": "13 CSR 35-32.030 (6)(B)", "expected_percent": str(EXPECTED_PERCENT),
            "expected_basis": "the higher of the region's county average (26.00) and its contractors' (24.10)",
            "months": months, "sum_of_differences": str(total), "children_paid": children,
            "monthly_rate": str(RATE), "amount": money(amount), "appropriation": money(appropriation),
            "payment": money(min(amount, appropriation)), "meets_standard": total >= 0}


def payments(start: date) -> list[dict]:
    lines = []
    for i in range(12):
        base = CASES * RATE
        reductions = [{"reason": reason, "paragraph": paragraph, "cases": cases,
                       "amount": money(cases * (per_case if per_case is not None else RATE))}
                      for month, reason, paragraph, cases, per_case in REDUCTIONS if month == i + 1]
        paid = base - sum((Decimal(r["amount"]) for r in reductions), Decimal(0))
        lines.append({"month": month_label(start, i), "cases": CASES, "base": money(base), "reductions": reductions,
                      "paid": money(paid)})
    return lines


def share(category: str, amount: Decimal, federal_rate: Decimal, source: str) -> dict:
    federal = (amount * federal_rate).quantize(CENT, ROUND_HALF_UP)
    return {"category": category, "amount": money(amount), "state": money(amount - federal),
            "federal": money(federal), "federal_rate": str(federal_rate), "source": source}


def funding(total_paid: Decimal) -> list[dict]:
    ive = (total_paid * IVE_SHARE).quantize(CENT, ROUND_HALF_UP)
    return [share("Title IV-E children", ive, FMAP, "Title IV-E children at the FMAP of fiscal year 2026"),
            share("HDN children", total_paid - ive, Decimal("0"), "HDN children: 100% state"),
            share("IV-E administration", ADMINISTRATION, Decimal("0.50"), "IV-E administration: 50/50"),
            share("IV-E training", TRAINING, Decimal("0.75"), "IV-E training: 25% state, 75% federal")]


def texas_section() -> dict:
    return {"title": "Average length of placement (Texas method)",
            "paragraph": "Texas DFPS FY2011 Attachment F, Output #3",
            "definition": "Average days in placement of the children who left a placement during the period, "
                          "except those discharged for the reasons the method excludes for the facility type.",
            "columns": ["Facility type", "Period", "Exits counted", "Average days"],
            "rows": [["CPA", "2025-09-01 to 2025-11-30", 41, "212.37"],
                     ["CPA", "2025-12-01 to 2026-02-28", 38, "198.05"],
                     ["RTC", "2025-09-01 to 2025-11-30", 12, "143.50"],
                     ["RTC", "2025-12-01 to 2026-02-28", 0, None]],
            "notes": ["No exit counted: no average (RTC, December-February)."]}


def residential_section() -> dict:
    return {"title": "Residential maintenance rates",
            "paragraph": "13 CSR 35-80.010 (3)",
            "definition": "Each rate is the statewide room and board component plus the daily supervision "
                          "component of the supervision category: cost / days x (1 + trend), to the cent.",
            "columns": ["Category", "Paragraph", "Room and board", "Supervision", "Daily rate"],
            "rows": [["Basic core", "13 CSR 35-80.010 (3)(B)2.A", "31.42", "42.10", "73.52"],
                     ["Infant/toddler", "13 CSR 35-80.010 (3)(B)2.B", "31.42", "55.85", "87.27"],
                     ["Residential treatment", "13 CSR 35-80.010 (3)(B)2.C", "31.42", "71.30", "102.72"],
                     ["Intensive", "13 CSR 35-80.010 (3)(B)2.D", "31.42", "96.64", "128.06"]],
            "notes": ["Base year 2022: rebasing due under 13 CSR 35-80.010 (2)(D)."]}


def sample_figures(*, version: str = "final", texas: bool = True, residential: bool = True) -> dict:
    """The figures of renewal RN-K-001-2025-10-01 (contract K-001, contractor C-001, October 2025 - September
    2026); texas / residential add those sections."""
    start = date(2025, 10, 1)
    lines = payments(start)
    paid = sum((Decimal(line["paid"]) for line in lines), Decimal(0))
    shares = funding(paid)
    imports = [{"id": f"IMP-{n:04d}", "kind": kind, "rows": rows, "sha256": sha(f"{kind} extract {n}")}
               for n, (kind, rows) in enumerate([("referrals", SERVED), ("exits", 212), ("reentries", 19),
                                                 ("reports", 31), ("placement_changes", 388),
                                                 ("residential_days", 2140), ("resource_homes", 37),
                                                 ("adjustments", 7)], start=41)]
    sections = {}
    if texas:
        sections["texas"] = texas_section()
    if residential:
        sections["residential"] = residential_section()
    return {
        "renewal_id": "RN-K-001-2025-10-01", "contract_id": "K-001", "contractor_id": "C-001",
        "region": "St. Louis", "year_start": "2025-10-01", "year_end": "2026-09-30", "version": version,
        "computed_on": "2026-10-05",
        "inputs": {"imports": imports, "children": SERVED, "events": sum(i["rows"] for i in imports[1:-1])},
        "outcomes": [
            outcome("permanency", "Permanency within 12 months", "A", sum(ACHIEVED), SERVED, "25.00",
                    "Served children whose exit to permanency (reunification with a parent or guardian, adoption, "
                    "legal guardianship) falls in the contract year, over the children served."),
            outcome("safety", "No abuse or neglect by the out-of-home provider", "B", 612, SERVED, "98.00",
                    "Served children with no substantiated report naming the out-of-home provider as "
                    "perpetrator dated in the year, over the children served."),
            outcome("no_reentry", "No re-entry within 12 months", "C", 193, 212, "90.00",
                    "Children who exited during the year or the 12 months before it and did not re-enter "
                    "within 12 months of that exit, over those children."),
        ],
        "monitored": [
            monitored("placement_settings", "Placement settings per child served", 1116, SERVED, "1.80",
                      "1 + placement changes in the year, averaged over the children served."),
            monitored("residential_days", "Residential days per 1,000 care days", 2140, 183210, "11.68",
                      "Days in residential care per 1,000 days in care of the children served."),
            monitored("older_youth_permanency", "Permanency of youth 14 or older", 18, 96, percent(18, 96),
                      "Served youth 14 or older at the start of the year who exited to permanency in the year."),
            monitored("resource_homes", "Resource homes developed", 37, None, None,
                      "Resource homes the contractor developed in the year (a count)."),
        ],
        "incentive": incentive(start),
        "payments": lines,
        "payments_total": money(paid),
        "funding": shares,
        "funding_total": {key: money(sum((Decimal(s[key]) for s in shares), Decimal(0)))
                          for key in ("amount", "state", "federal")},
        "corrections": [
            {"on": "2026-10-12", "kind": "data", "by": "S-005",
             "description": "Exit of child CH-004410 dated 2026-03-14, not 2026-04-14, per the court order."},
            {"on": "2026-10-14", "kind": "programming_error", "by": "S-005",
             "description": "Re-entries counted from the exit date, not the day after; corrected by the division."},
        ],
        "sections": sections,
    }
