"""What staff see of a review from the command line: status, open tasks, notices, audit trail."""

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from sqlmodel import select

from models.errors import NotFound
from models.review import EXCLUSION_IN_EFFECT, ReviewStatus
from models.tables import AuditEvent, HiringReview, HumanTask, Notice, TaskStatus
from tasks.context import run_link, settings, transaction

EXPLAIN = {
    ReviewStatus.received: "screening result received",
    ReviewStatus.excluded_mandatory: "excluded without review: 13 CSR 35-32.020 {paragraphs}",
    ReviewStatus.awaiting_designee: "waiting for the designee's written response",
    ReviewStatus.approved: "the individual may provide case management",
    ReviewStatus.denied: "denied by the designee; the contractor may request a review within 30 days",
    ReviewStatus.request_refused: "the request for review was refused; the denial stands",
    ReviewStatus.review_requested: "review requested; to be scheduled within 3 business days",
    ReviewStatus.review_scheduled: "administrative review scheduled for {review_at}",
    ReviewStatus.awaiting_director: "designee recommends '{recommendation}'; waiting for the director",
    ReviewStatus.final_affirmed: "final: the director affirmed the denial",
    ReviewStatus.final_reversed: "final: the director reversed the denial",
    ReviewStatus.final_no_request: "final: no review was requested within 30 days",
}


def _local(moment: datetime | None) -> str:
    """A stored UTC timestamp in the division's time zone (SQLite keeps it naive)."""
    if moment is None:
        return ""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return aware.astimezone(ZoneInfo(settings().timezone)).strftime("%Y-%m-%d %H:%M %Z")


def review_status(review_id: str) -> dict:
    """Status with its explanation, open human tasks, notices and the audit trail of one review."""
    with transaction() as session:
        r = session.get(HiringReview, review_id)
        if r is None:
            raise NotFound(f"no hiring review {review_id!r}")
        status = ReviewStatus(r.status)
        review_at = _local(r.review_at)
        explanation = EXPLAIN[status].format(paragraphs=r.exclusion_paragraphs, review_at=review_at,
                                             recommendation=r.recommendation)
        if status in EXCLUSION_IN_EFFECT:
            explanation += "; the employment exclusion is in effect"
            if status in (ReviewStatus.review_requested, ReviewStatus.review_scheduled,
                          ReviewStatus.awaiting_director):
                explanation += " pending the administrative review (13 CSR 35-32.020 (7)(C)2.C)"
        tasks = session.exec(select(HumanTask).where(HumanTask.subject_id == review_id,
                                                     HumanTask.status == TaskStatus.open)).all()
        notices = session.exec(select(Notice).where(Notice.subject_id == review_id).order_by(Notice.id)).all()
        trail = session.exec(select(AuditEvent).where(AuditEvent.subject_id == review_id)
                             .order_by(AuditEvent.id)).all()
        return {
            "review_id": r.id, "contractor_id": r.contractor_id, "prospect_id": r.prospect_id,
            "status": status.value, "explanation": explanation,
            "run": run_link(r.flow_run_id) if r.flow_run_id else "",
            "open_tasks": [{"task": t.kind, "role": t.required_role, "due": t.due_date,
                            "last_error": t.last_error or ""} for t in tasks],
            "notices": [{"type": n.notice_type, "to": n.recipient_id, "channel": n.channel,
                         "status": n.status, "error": n.last_error or ""} for n in notices],
            "audit": [{"at": a.at, "actor": a.actor, "action": a.action, "rule": a.rule} for a in trail],
        }
