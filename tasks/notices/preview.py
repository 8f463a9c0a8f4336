"""Render any notice type with sample data to HTML, text and a PDF letter (`cwa preview`)."""

from datetime import datetime, timezone
from pathlib import Path

from models.notice_types import LETTER, NOTICE_TYPES
from models.tables import Channel, Notice
from tasks.context import settings
from tasks.notices.letters import render_letter
from tasks.notices.render import render_notice

SAMPLE = {
    "division_name": "Missouri Children's Division", "notice_date": "2026-11-24",
    "recipient_name": "Gateway Family Partners", "review_id": "HR-0001", "prospect_id": "P-0001",
    "paragraphs": "(7)(C)1.C", "decision": "may not provide case management",
    "reasons": "The findings bear directly on the duties of a case manager.", "decision_date": "2026-11-24",
    "review_right": "If you dispute this decision you may request an administrative review, in writing, "
                    "setting out your reasons, no later than thirty days from the date of this decision.",
    "request_deadline": "2026-12-24", "received_on": "2026-12-01", "reason": "the request gives no reasons",
    "rule_cited": "13 CSR 35-32.020 (7)(C)2.B", "review_at": "2026-12-03 at 10:00 (Central time)",
    "review_place": "Room 210, 615 Howerton Ct, Jefferson City", "final_on": "2026-12-10", "count": 1,
    "tasks": [{"kind": "schedule administrative review", "subject_id": "HR-0001", "due_date": "2026-11-27",
               "role": "designee", "link": "http://127.0.0.1:4200/runs/flow-run/example"}],
    "action": "removal from the Hand-Up program", "effective_date": "2027-01-31",
    "rule_paragraph": "13 CSR 35-32.040 (4)(C)",
    "hearing_right": "You have the right to a fair hearing before a hearing officer.",
    "how_to_ask": "Ask by writing to the address above or by calling the number below.",
    "last_day_to_ask": "2027-04-30",
    "contract_id": "K-001", "plan_id": "PIP-2026-001", "outcomes": "placement stability",
    "effective_on": "2026-12-01", "days": 90, "deadline": "2027-03-01", "days_left": 14,
    "outcome": "verified and closed", "detail": "The division verified that the actions in the plan were taken.",
    "remedy": "reduce the contractor's caseload",
    "renewal_id": "RN-K-001-2025-10-01", "year": "2025-10-01 to 2026-09-30", "review_closes_on": "2026-10-20",
    "how_to_correct": "Update the case management system, and tell your contract administrator of any programming "
                      "error you find: the division corrects it.",
    "next_year": "the contract year from 2026-10-01",
    "participant_id": "HU-0001", "enrolled_on": "2026-11-24", "premium": "$88.00", "family_size": 3,
    "limit": "$1,940.82", "first_month": "December 2026", "decided_on": "2026-11-24",
    "coverage_month": "December 2026", "amount": "$88.00", "due_on": "2026-12-31", "credit": "$10.00",
    "amount_to_pay": "$78.00",
    "how_to_pay": "Pay by payroll deduction if your employer offers it, or send a check or money order with your "
                  "participant number to the address below.",
    "requested_on": "2027-05-10", "issued_on": "2027-01-30", "days_after": 100,
    "effect": "The removal stands. A participant removed for non-payment may not take part in the program again "
              "(13 CSR 35-32.040 (6)).",
}
# Where one notice type needs its own reading of a shared element.
SAMPLE_BY_TYPE = {
    "renewal-preliminary": {
        "outcomes": "Permanency within 12 months: 24.68% (target 25.00%): not met.\n"
                    "No substantiated abuse or neglect by the out-of-home provider: 99.10% (target 98.00%): met.\n"
                    "No re-entry within 12 months: 91.20% (target 90.00%): met."},
    "renewal-decision": {
        "decision": "renew with a practice improvement plan",
        "reasons": "Permanency within 12 months was below the contract's target; the other outcomes were met.",
        "detail": "The contract goes on for the next contract year with the targets recorded. Practice improvement "
                  "plan PIP-K-001-2026 is required for: Permanency within 12 months."},
}


def sample_for(notice_type: str) -> dict:
    """The sample context of a notice type."""
    return {**SAMPLE, **SAMPLE_BY_TYPE.get(notice_type, {})}


SAMPLE_ADDRESS = {"name": "Gateway Family Partners", "line1": "1200 Market St", "line2": "Suite 400",
                  "city": "St. Louis", "state": "MO", "zip_code": "63103-2814"}


def preview(notice_type: str, out_dir: Path) -> list[Path]:
    """Write <type>.html, <type>.txt and, for a letter notice, <type>.pdf; returns the paths."""
    from tasks.notices.delivery import letter_for

    rendered = render_notice(notice_type, sample_for(notice_type))
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / f"{notice_type}.html", out_dir / f"{notice_type}.txt"]
    paths[0].write_text(rendered.html)
    paths[1].write_text(rendered.text)
    if NOTICE_TYPES[notice_type].delivery == LETTER:
        notice = Notice(id=0, notice_type=notice_type, recipient_type="contractor", recipient_id="C-001",
                        address="", subject_type="preview", subject_id=SAMPLE["review_id"], template=notice_type,
                        template_version=NOTICE_TYPES[notice_type].version, subject_line=rendered.subject,
                        body_text=rendered.text, body_html=rendered.html, content_hash=rendered.content_hash,
                        channel=Channel.mail, idempotency_key="preview", postal_address=SAMPLE_ADDRESS,
                        letter_body=rendered.body, created_at=datetime(2026, 11, 24, 18, tzinfo=timezone.utc))
        paths.append(out_dir / f"{notice_type}.pdf")
        paths[2].write_bytes(render_letter(letter_for(notice, settings())))
    return paths
