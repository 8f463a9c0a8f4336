"""Sample hiring reviews waiting at each kind of human task, for `cwa seed-demo` (fictional people)."""

from datetime import date, timedelta

from models.intake import OffenceIn, ScreeningResult
from models.tables import HiringReview
from tasks.context import division_today
from tasks.demo import seed_one
from tasks.reviews.intake import start_review_run, store_screening

DENY = {"decision": "may not provide case management", "reasons": "History relevant to the duties (demo)."}
ASSAULT = OffenceIn(category="violent_or_sexual", level="misdemeanor", offence_date=date(2012, 3, 4))
OLD_DRUG = OffenceIn(category="drug_related", level="felony", offence_date=date(2015, 6, 1),
                     disposition_date=date(2016, 2, 10))


def seed_demo_reviews(report=print) -> list[str]:
    """Start the demo reviews and answer tasks until each waits where the demo wants it."""
    today = division_today()
    decided, received = today - timedelta(days=6), today - timedelta(days=1)
    steps = [
        ("designee-response", DENY | {"decision_date": decided, "decided_by": "S-001"}),
        ("review-request-1", {"received_on": received, "reasons": "Rehabilitation since 2015.",
                              "decided_by": "S-002"}),
        ("schedule-review-1", {"review_date": today + timedelta(days=1), "review_time": "10:00",
                               "place": "Room 210, 615 Howerton Ct, Jefferson City", "scheduled_on": today,
                               "decided_by": "S-002"}),
        ("review-held-1", {"outcome": "held: recommend the director affirm",
                           "reasons": "No new information (demo).", "decided_by": "S-001"}),
    ]
    plan = [("HR-DEMO-01", [ASSAULT], 0), ("HR-DEMO-02", [OLD_DRUG], 0), ("HR-DEMO-03", [OLD_DRUG], 1),
            ("HR-DEMO-04", [OLD_DRUG], 2), ("HR-DEMO-05", [OLD_DRUG], 3), ("HR-DEMO-06", [OLD_DRUG], 4)]
    started = []
    for n, (review_id, offences, answered) in enumerate(plan, start=1):
        screening = ScreeningResult(
            review_id=review_id, contractor_id=f"C-00{1 + n % 3}", prospect_id=f"P-90{n}",
            prospect_name=f"Demo Applicant {n}", screened_on=decided, offences=offences,
            release_authorization=True)
        if seed_one(HiringReview, review_id, lambda session, r=screening: store_screening(session, r, "seed-demo"),
                     start_review_run, steps[:answered], report):
            started.append(review_id)
    return started
