"""Synthetic case data for one contract year, as the case management system's extracts (models/case_data_csv.py), for
the demo, the tests and the benchmarks: fictional IDs, no people.

`synthetic_contract_year("K-001", children=5000, year_start=date(2025, 10, 1), seed=1)` returns the CSV text of
every kind, in the order they are imported (referrals first). Deterministic by seed, IDs only (no names), and valid
for tasks/renewal/case_data.py. About:

- referrals: three in five children referred in the two years before the year, the rest during it (up to a month
  before its end); ages 0-17 at referral, three in five Title IV-E;
- exits: a sixth of the children referred before the year left before it; of the children served in the year,
  about 28% exit to permanency in it (reunification, adoption, guardianship) and 4% exit otherwise;
- re-entries: about 5% of the children who exited re-enter within 12 months (up to the year's end);
- reports: about 3% of the children served have a substantiated report in the year, a third naming the
  out-of-home provider;
- placement changes: none for half of the children served, one to three for the others;
- residential days: about 8% of the children served spend one to six months in residential care;
- resource homes: one per 250 children; adjustments: two of each reason A, B, C, E and F (D is computed
  from the re-entries).

With `methods=True`, also the optional data of the report's method sections (models/case_data_methods_csv.py),
drawn from a random stream of their own so that the other kinds are the same either way:

- placement_exits: about 12% of the children served leave a residential placement in the year (a facility type
  of the Texas method, placed 1 to 540 days before, a reason of Attachment F or, for about a third, another reason);
- residential_costs: the contractor's cost report for a base year one to four state fiscal years before the
  year's, its days of service mostly in one supervision category.
"""

import random
from datetime import date, timedelta

from models.case_data_csv import COLUMNS
from models.case_data_methods_csv import METHOD_KINDS
from models.funding import fiscal_year
from models.methods.texas import FACILITY_TYPES, REASONS

PERMANENCY = ("reunification",) * 12 + ("adoption",) * 5 + ("guardianship",) * 3
PERPETRATOR = ("out_of_home_provider", "parent", "parent", "other")
MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
FACILITY_WEIGHTS = (40, 15, 5, 15, 10, 5, 5, 5)  # FACILITY_TYPES: mostly CPA, then RTC and GRO treatment
OTHER_REASONS = ("ran_away", "hospitalized")  # not among Attachment F's: counted


def _month_days(day: date) -> int:
    leap = day.year % 4 == 0 and (day.year % 100 != 0 or day.year % 400 == 0)
    return 29 if day.month == 2 and leap else MONTH_DAYS[day.month - 1]


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _methods(contract_id: str, served: list[tuple[str, int, int]], year_start: date, seed: int) -> dict[str, list]:
    """The rows of placement_exits and residential_costs for the children served: (child, first day, last day)."""
    rnd = random.Random(f"methods-{seed}")
    exits = []
    for child, first, last in served:
        if rnd.random() < 0.12:
            out = rnd.randint(first, last)
            reason = rnd.choice(OTHER_REASONS) if rnd.random() < 0.35 else rnd.choice(tuple(REASONS))
            exits.append(f"{contract_id},{child},{rnd.choices(FACILITY_TYPES, FACILITY_WEIGHTS)[0]},"
                         f"{date.fromordinal(out - rnd.randint(1, 540))},{date.fromordinal(out)},{reason}")
    main = rnd.randrange(4)
    days = [rnd.randint(20_000, 40_000) if n == main else rnd.choice((0, rnd.randint(500, 5_000))) for n in range(4)]
    costs = (f"{sum(days) * rnd.randint(25, 40)}.{rnd.randint(0, 99):02d}",
             f"{sum(days) * rnd.randint(60, 120)}.{rnd.randint(0, 99):02d}")
    base_year = fiscal_year(year_start) - rnd.randint(1, 4)
    return {"placement_exits": exits,
            "residential_costs": [f"{contract_id},{costs[0]},{costs[1]},{','.join(map(str, days))},{base_year}"]}


def synthetic_contract_year(contract_id: str, *, children: int = 5000, year_start: date,
                            seed: int, methods: bool = False) -> dict[str, str]:
    """The CSV text of each kind for one contract year (year_start to the day before its anniversary); with
    `methods`, also placement_exits and residential_costs."""
    rnd = random.Random(seed)
    rand, randint = rnd.random, rnd.randint
    year_end = year_start.replace(year=year_start.year + 1) - timedelta(days=1)
    ys, ye = year_start.toordinal(), year_end.toordinal()
    day = date.fromordinal
    rows: dict[str, list[str]] = {kind: [] for kind in COLUMNS if kind not in METHOD_KINDS}
    served: list[tuple[str, int, int]] = []
    referrals, exits, reentries = rows["referrals"], rows["exits"], rows["reentries"]
    reports, changes, residential = rows["reports"], rows["placement_changes"], rows["residential_days"]
    for k in range(children):
        child = f"{contract_id}-C{k:05d}"[-32:]
        ref = ys - randint(1, 730) if rand() < 0.6 else randint(ys, ye - 30)
        born = ref - randint(0, 18 * 365 - 1)
        referrals.append(f"{contract_id},{child},{day(ref)},{day(born)},{'ive' if rand() < 0.6 else 'hdn'}")
        exit_on = None
        if ref < ys - 1 and rand() < 1 / 6:  # left before the year: not served, may re-enter in it
            exit_on = randint(ref + 1, ys - 1)
            exits.append(f"{contract_id},{child},{day(exit_on)},{rnd.choice(PERMANENCY + ('other',))}")
        else:
            draw, first = rand(), max(ref, ys)
            if draw < 0.32:
                exit_on = randint(ys, ye)  # over the whole year, then after the referral if it came first
                exit_on = exit_on if exit_on >= ref else randint(ref, ye)
                exits.append(f"{contract_id},{child},{day(exit_on)},"
                             f"{rnd.choice(PERMANENCY) if draw < 0.28 else 'other'}")
            last = exit_on or ye
            served.append((child, first, last))
            if rand() < 0.03:
                reports.append(f"{contract_id},{child},{day(randint(first, last))},{rnd.choice(PERPETRATOR)}")
            moves = rnd.choices((0, 1, 2, 3), (50, 30, 15, 5))[0]
            changes.extend(f"{contract_id},{child},{day(randint(first, last))}" for _ in range(moves))
            if rand() < 0.08:
                month = day(randint(first, last)).replace(day=1)
                for _ in range(randint(1, 6)):
                    if month.toordinal() > last:
                        break
                    residential.append(f"{contract_id},{child},{month:%Y-%m},{randint(1, _month_days(month))}")
                    month = _next_month(month)
        if exit_on is not None and rand() < 0.05 and exit_on < ye:
            back = randint(exit_on + 1, min(exit_on + 365, ye))
            reentries.append(f"{contract_id},{child},{day(back)}")
    for h in range(max(1, children // 250)):
        rows["resource_homes"].append(f"{contract_id},RH-{contract_id}-{h:03d},{day(randint(ys, ye))}")
    for reason in "ABCEF":  # D comes from the re-entries beyond the allowable number
        for _ in range(2):
            month = day(randint(ys, ye))
            amount = f"{randint(50, 400)}.{randint(0, 99):02d}" if reason in "EF" else "0"
            rows["adjustments"].append(f"{contract_id},{month:%Y-%m},{reason},{randint(1, 5)},{amount}")
    if methods:
        rows.update(_methods(contract_id, served, year_start, seed))
    return {kind: "\n".join([",".join(COLUMNS[kind]), *lines]) + "\n" for kind, lines in rows.items()}
