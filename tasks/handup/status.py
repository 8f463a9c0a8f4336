"""Where a Hand-Up participant stands, for `cwa handup status` (staff only: this shows personal data)."""

from sqlmodel import select

from models.errors import NotFound
from models.tables import HearingRequest, Notice, Participant, PremiumBill, PremiumPayment
from tasks.context import transaction
from tasks.handup.common import dollars


def participant_status(participant_id: str) -> dict:
    with transaction() as session:
        p = session.get(Participant, participant_id)
        if p is None:
            raise NotFound(f"no Hand-Up participant {participant_id!r}")
        bills = session.exec(select(PremiumBill).where(PremiumBill.participant_id == participant_id)
                             .order_by(PremiumBill.coverage_month)).all()
        payments = session.exec(select(PremiumPayment).where(PremiumPayment.participant_id == participant_id)
                                .order_by(PremiumPayment.received_on)).all()
        hearings = session.exec(select(HearingRequest).where(HearingRequest.participant_id == participant_id)).all()
        notices = session.exec(select(Notice).where(Notice.subject_id == participant_id)
                               .order_by(Notice.id)).all()
        premium = dollars(p.premium) if p.premium is not None else "not yet computed"
        ended = f"; ended {p.ended_on} ({p.end_reason})" if p.ended_on else ""
        return {
            "provider_id": p.provider_id, "status": p.status,
            "summary": f"premium {premium} a month, benefit {dollars(p.benefit)}, credit {dollars(p.credit)}; "
                       f"enrolled {p.enrolled_on or '-'}, first month {p.first_month or '-'}{ended}",
            "unmet": [{"paragraph": u["paragraph"], "reason": u["reason"]} for u in p.unmet],
            "bills": [{"month": b.coverage_month.strftime("%Y-%m"), "due": b.due_on, "mail by": b.mail_by,
                       "amount": dollars(b.amount), "paid": dollars(b.paid), "status": b.status} for b in bills],
            "payments": [{"reference": x.reference, "received": x.received_on, "amount": dollars(x.amount),
                          "source": x.source} for x in payments],
            "hearings": [{"id": h.id, "requested": h.requested_on, "timely": h.timely, "status": h.status}
                         for h in hearings],
            "notices": [{"id": n.id, "type": n.notice_type, "channel": n.channel, "status": n.status}
                        for n in notices],
        }
