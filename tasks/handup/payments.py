"""Premium payments, 13 CSR 35-32.040 (4)(B) and (4)(D): a payroll or payment-processor file is imported all or
nothing; each payment pays the participant's oldest open bill first and what is left is carried as credit.

A payment for a participant who opted out or was removed is recorded like any other and pays their open bills:
an opted-out participant's bills for the months before leaving stay open (their debt, (6)). A removed
participant's bills were cancelled at removal, so the payment is kept as credit; if a fair hearing reverses the
removal, `tasks.handup.removal.reinstate` reopens the bills and applies that credit to them.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from uuid import uuid4

from sqlalchemy import bindparam, case, insert, update
from sqlmodel import Session, select

from models.errors import RuleViolation
from models.handup import apply_payment
from models.handup_payments_csv import SOURCES, check_payments, read_payments
from models.tables import Participant, PaymentAllocation, PremiumBill, PremiumPayment
from tasks.human.audit import audit

RULE = "13 CSR 35-32.040 (4)(D)"
CHUNK = 5000  # IDs per IN (...) list
ZERO = Decimal("0.00")
_BILL, _PARTICIPANT = PremiumBill.__table__, Participant.__table__
# relative updates: a bill or credit changed by another transaction meanwhile is not overwritten
_PAY_BILL = (update(_BILL).where(_BILL.c.id == bindparam("b_id"))
             .values(paid=_BILL.c.paid + bindparam("b_add"),
                     status=case((_BILL.c.paid + bindparam("b_add") >= _BILL.c.amount, "paid"), else_=_BILL.c.status)))
_ADD_CREDIT = (update(_PARTICIPANT).where(_PARTICIPANT.c.id == bindparam("b_id"))
               .values(credit=_PARTICIPANT.c.credit + bindparam("b_add")))


@dataclass(frozen=True)
class ImportSummary:
    """What one import did (IDs and counts only)."""

    import_id: str
    source: str
    payments: int
    participants: int
    total: Decimal
    applied: Decimal
    to_credit: Decimal
    bills_paid: int


def _chunked(session: Session, query: Callable[[list], object], ids: Iterable[str]) -> list:
    """Run query over the IDs CHUNK at a time (keeps IN lists within the database's limits)."""
    ordered, found = sorted(set(ids)), []
    for start in range(0, len(ordered), CHUNK):
        found += session.exec(query(ordered[start:start + CHUNK])).all()
    return found


def import_payments(session: Session, *, csv_text: str, source: str, actor: str) -> ImportSummary:
    """Check every row, then record the payments and apply them, in the caller's transaction; a file with any
    bad row raises ImportRejected naming each one, and nothing is written."""
    if source not in SOURCES:
        raise RuleViolation(f"the source must be one of {', '.join(SOURCES)}, not {source!r}", RULE)
    read = read_payments(csv_text)
    pids = {row.participant_id for _, row in read.rows}
    credit = dict(_chunked(session, lambda c: select(Participant.id, Participant.credit)
                           .where(Participant.id.in_(c)).with_for_update(), pids))
    imported = set(_chunked(session, lambda c: select(PremiumPayment.reference)
                            .where(PremiumPayment.reference.in_(c)), {row.reference for _, row in read.rows}))
    rows = check_payments(read, set(credit), imported)

    import_id = f"PI-{uuid4().hex[:20]}"
    session.exec(insert(PremiumPayment), params=[
        {"reference": r.reference, "participant_id": r.participant_id, "received_on": r.received_on,
         "amount": r.amount, "source": source, "import_id": import_id} for r in rows])
    payment_ids = dict(session.exec(select(PremiumPayment.reference, PremiumPayment.id)
                                    .where(PremiumPayment.import_id == import_id)).all())

    bills = _chunked(session, lambda c: select(PremiumBill.id, PremiumBill.participant_id, PremiumBill.amount,
                                               PremiumBill.paid)
                     .where(PremiumBill.participant_id.in_(c), PremiumBill.status == "open",
                            PremiumBill.paid < PremiumBill.amount)
                     .order_by(PremiumBill.participant_id, PremiumBill.due_on, PremiumBill.coverage_month,
                               PremiumBill.id).with_for_update(), pids)
    open_bills: dict[str, list[list]] = defaultdict(list)  # participant -> [[bill id, balance], ...] oldest first
    bill_state = {}
    for bill_id, pid, amount, paid in bills:
        open_bills[pid].append([bill_id, amount - paid])
        bill_state[bill_id] = [amount, paid]

    allocations, extra_credit = [], defaultdict(lambda: ZERO)
    for row in sorted(rows, key=lambda r: r.received_on):  # stable: the file's order within a day
        owed = open_bills[row.participant_id]
        applied, left = apply_payment([(b, balance) for b, balance in owed], row.amount)
        for bill_id, part in applied:
            allocations.append({"payment_id": payment_ids[row.reference], "bill_id": bill_id, "amount": part})
            bill_state[bill_id][1] += part
        for entry, (_, part) in zip(owed, applied):
            entry[1] -= part
        open_bills[row.participant_id] = [e for e in owed if e[1] > 0]
        extra_credit[row.participant_id] += left

    added: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for a in allocations:
        added[a["bill_id"]] += a["amount"]
    if allocations:
        session.exec(insert(PaymentAllocation), params=allocations)
        session.connection().execute(_PAY_BILL, [{"b_id": b, "b_add": add} for b, add in sorted(added.items())])
    credited = [{"b_id": pid, "b_add": left} for pid, left in sorted(extra_credit.items()) if left > 0]
    if credited:
        session.connection().execute(_ADD_CREDIT, credited)

    total = sum((r.amount for r in rows), ZERO)
    to_credit = sum(extra_credit.values(), ZERO)
    summary = ImportSummary(import_id=import_id, source=source, payments=len(rows), participants=len(pids),
                            total=total, applied=total - to_credit, to_credit=to_credit,
                            bills_paid=sum(1 for b in added if bill_state[b][1] >= bill_state[b][0]))
    audit(session, actor=actor, action="handup.payments.imported", subject_type="payment_import",
          subject_id=import_id, rule=RULE,
          detail={"import_id": import_id, "source": source, "payments": summary.payments,
                  "participants": summary.participants, "total": str(total), "applied": str(summary.applied),
                  "to_credit": str(to_credit), "allocations": len(allocations), "bills_paid": summary.bills_paid})
    return summary
