"""Notice types and the elements each must carry before it may be queued (docs/architecture.md, "Notices")."""

from dataclasses import dataclass
from typing import Any


LETTER = "letter"  # a first-class letter always; an email copy to recipients who opted in
EMAIL = "email"  # staff notices: email only


@dataclass(frozen=True)
class NoticeType:
    """A notice: its template version, subject, the rule it is issued under, the elements it must
    carry (refused before queueing when any is missing) and how it must go."""

    name: str
    version: str
    subject: str
    rule: str
    required: tuple[str, ...]
    delivery: str = LETTER


_COMMON = ("division_name", "notice_date", "recipient_name")

NOTICE_TYPES: dict[str, NoticeType] = {
    t.name: t
    for t in (
        NoticeType(
            "exclusion-mandatory", "1", "Hiring review {review_id}: mandatory exclusion",
            "13 CSR 35-32.020 (7)(C)1", _COMMON + ("review_id", "prospect_id", "paragraphs"),
        ),
        NoticeType(
            "designee-decision", "1", "Hiring review {review_id}: decision of the designee",
            "13 CSR 35-32.020 (7)(C)2",
            _COMMON + ("review_id", "prospect_id", "decision", "reasons", "decision_date",
                       "review_right", "request_deadline"),
        ),
        NoticeType(
            "review-request-refused", "1", "Hiring review {review_id}: request for review refused",
            "13 CSR 35-32.020 (7)(C)2", _COMMON + ("review_id", "received_on", "reason", "rule_cited"),
        ),
        NoticeType(
            "review-scheduled", "1", "Hiring review {review_id}: administrative review scheduled",
            "13 CSR 35-32.020 (7)(C)2.C", _COMMON + ("review_id", "review_at", "review_place"),
        ),
        NoticeType(
            "final-decision", "1", "Hiring review {review_id}: final decision of the director",
            "13 CSR 35-32.020 (7)(C)2.D(II)",
            _COMMON + ("review_id", "prospect_id", "decision", "reasons", "final_on"),
        ),
        NoticeType(
            "task-escalation", "1", "Overdue: {count} task(s) past their due date",
            "13 CSR 35-32.020 (7)(C)2.C", _COMMON + ("count", "tasks"), EMAIL,
        ),
        NoticeType(
            "task-reminder", "1", "Reminder: {count} task(s) due soon",
            "the division's task deadlines", _COMMON + ("count", "tasks"), EMAIL,
        ),
        NoticeType(
            "pip-required", "1", "Contract {contract_id}: practice improvement plan required",
            "13 CSR 35-32.020 (16)", _COMMON + ("contract_id", "plan_id", "outcomes", "reasons"),
        ),
        NoticeType(
            "pip-accepted", "1", "Contract {contract_id}: practice improvement plan {plan_id} accepted",
            "13 CSR 35-32.020 (16)", _COMMON + ("contract_id", "plan_id", "effective_on", "days", "deadline"),
        ),
        NoticeType(
            "pip-reminder", "1", "Contract {contract_id}: plan {plan_id} due {deadline} ({days_left} days)",
            "13 CSR 35-32.020 (16)", _COMMON + ("contract_id", "plan_id", "deadline", "days_left"), EMAIL,
        ),
        NoticeType(
            "pip-closed", "1", "Contract {contract_id}: practice improvement plan {plan_id} {outcome}",
            "13 CSR 35-32.020 (16)", _COMMON + ("contract_id", "plan_id", "outcome", "detail"),
        ),
        NoticeType(
            "pip-breach", "1", "Contract {contract_id}: breach of contract, plan {plan_id}",
            "13 CSR 35-32.020 (16)", _COMMON + ("contract_id", "plan_id", "deadline"),
        ),
        NoticeType(
            "pip-remedy", "1", "Contract {contract_id}: remedy for breach of plan {plan_id}",
            "13 CSR 35-32.020 (15)-(16)", _COMMON + ("contract_id", "plan_id", "remedy", "detail", "effective_on"),
        ),
        NoticeType(
            "adverse-action", "1", "Notice of adverse action: {action}",
            "13 CSR 35-32.040 (5)",
            _COMMON + ("action", "effective_date", "reasons", "rule_paragraph", "hearing_right", "how_to_ask",
                       "last_day_to_ask"),
        ),
        NoticeType(
            "handup-enrolled", "1", "Hand-Up {participant_id}: notice of enrolment and your monthly premium",
            "13 CSR 35-32.040 (4)(A)",
            _COMMON + ("participant_id", "enrolled_on", "premium", "family_size", "limit", "first_month"),
        ),
        NoticeType(
            "handup-refused", "1", "Hand-Up {participant_id}: application refused",
            "13 CSR 35-32.040 (1)", _COMMON + ("participant_id", "decided_on", "reasons"),
        ),
        NoticeType(
            "handup-premium", "1", "Hand-Up {participant_id}: premium of {amount} due {due_on}",
            "13 CSR 35-32.040 (4)(A)-(B)",
            _COMMON + ("participant_id", "coverage_month", "amount", "due_on", "credit", "amount_to_pay",
                       "how_to_pay"),
        ),
        NoticeType(
            "handup-opted-out", "1", "Hand-Up {participant_id}: you have left the program",
            "13 CSR 35-32.040 (6)", _COMMON + ("participant_id", "effective_date"),
        ),
        NoticeType(
            "hearing-refused", "1", "Hand-Up {participant_id}: request for a fair hearing refused",
            "13 CSR 35-32.040 (5)",
            _COMMON + ("participant_id", "requested_on", "issued_on", "last_day_to_ask", "days_after"),
        ),
        NoticeType(
            "hearing-decision", "1", "Hand-Up {participant_id}: fair hearing decision",
            "13 CSR 35-32.040 (5)", _COMMON + ("participant_id", "decision", "reasons", "effect", "decided_on"),
        ),
        NoticeType(
            "renewal-preliminary", "1",
            "Contract {contract_id}: preliminary outcomes for {year}, review by {review_closes_on}",
            "13 CSR 35-32.020 (15)",
            _COMMON + ("contract_id", "renewal_id", "year", "outcomes", "review_closes_on", "how_to_correct"),
        ),
        NoticeType(
            "renewal-decision", "1", "Contract {contract_id}: renewal decision for {next_year}",
            "13 CSR 35-32.020 (15)-(16)",
            _COMMON + ("contract_id", "renewal_id", "next_year", "decision", "reasons", "detail"),
        ),
    )
}


def missing_elements(notice_type: NoticeType, context: dict[str, Any]) -> list[str]:
    """Every required element that is absent or blank in context, in declaration order."""
    return [
        name for name in notice_type.required
        if context.get(name) is None or (isinstance(context.get(name), str) and not context[name].strip())
    ]
