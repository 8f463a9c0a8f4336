"""A Hand-Up cohort through fourteen simulated months on a real Prefect server (13 CSR 35-32.040): enrolment,
premium notices every month, payments, a removal after sixty days unpaid, a fair hearing that reverses it, a
late request refused, an opt-out and a refused re-enrolment. Time moves with `as_of`."""

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import select

from flows.handup_billing import handup_billing
from models.handup import coverage_due_date, latest_mailing_date
from models.tables import HearingRequest, Notice, Participant, PremiumBill, RemovalBatch
from tasks.context import settings, transaction
from tasks.handup.hearings import request_hearing, start_hearing_run
from tasks.handup.opt_out import opt_out
from tasks.handup.payments import import_payments
from tests.handup_cohort import application, apply, seed_providers
from tests.workflow import (everything_in_prefects_database, everything_prefect_holds, resume, run_sweep, wait_final,
                            wait_for_task)

PAYS, LATE, GONE, LEAVES = "HU-C-PAYS", "HU-C-LATE", "HU-C-GONE", "HU-C-LEAVES"
MONTHS = [date(2026 + (m - 1) // 12, (m - 1) % 12 + 1, 1) for m in range(1, 15)]  # 2026-01 .. 2027-02
UNPAID_FROM = date(2026, 3, 1)  # LATE and GONE pay nothing from March: due 2026-03-31
DAY_60, DAY_61 = date(2026, 5, 30), date(2026, 5, 31)
OFFICER, SUPERVISOR, WORKER = "S-008", "S-007", "S-006"


def enrol(app) -> None:
    run_id = apply(app)
    wait_for_task(run_id, "approve-enrolment")
    resume(run_id, approve=True, enrolled_on=app.applied_on, decided_by=WORKER)
    assert wait_final(run_id)["state"]["type"] == "COMPLETED"


def bill(month: date, as_of: date | None = None) -> dict:
    return handup_billing(coverage_month=month, as_of=as_of or month)


def pay(month: date, participants: list[str]) -> None:
    """Payroll pays each participant's premium for the month on its 15th."""
    with transaction() as session:
        premiums = {p: session.get(Participant, p).premium for p in participants}
    lines = [f"PR-{p}-{month:%Y%m},{p},{month.replace(day=15)},{premiums[p]}" for p in participants]
    with transaction() as session:
        import_payments(session, csv_text="reference,participant_id,received_on,amount\n" + "\n".join(lines),
                        source="payroll", actor="test")


def participant(pid: str) -> Participant:
    with transaction() as session:
        return session.get(Participant, pid)


def notices(pid: str, notice_type: str, channel: str = "mail") -> list[Notice]:
    with transaction() as session:
        return list(session.exec(select(Notice).where(Notice.subject_id == pid, Notice.notice_type == notice_type,
                                                      Notice.channel == channel).order_by(Notice.id)).all())


def bills(pid: str) -> list[PremiumBill]:
    with transaction() as session:
        return list(session.exec(select(PremiumBill).where(PremiumBill.participant_id == pid)
                                 .order_by(PremiumBill.coverage_month)).all())


def hearing(pid: str, on: date) -> HearingRequest:
    with transaction() as session:
        h = request_hearing(session, participant_id=pid, requested_on=on, actor="test")
        session.flush()
        return HearingRequest(**h.model_dump())


@pytest.mark.rule("13 CSR 35-32.040 (4)(A)", "13 CSR 35-32.040 (4)(B)", "13 CSR 35-32.040 (4)(C)",
                  "13 CSR 35-32.040 (5)", "13 CSR 35-32.040 (6)", "13 CSR 35-32.040 (4)(D)")
def test_a_cohort_through_fourteen_months(stack):
    seed_providers()
    enrol(application(PAYS, name="Philippa Underhill-Oyelaran", email="p.underhill@example.org"))
    for pid in (LATE, GONE, LEAVES):
        enrol(application(pid, name=f"Cohort Family {pid[-4:]}"))
    premium = participant(PAYS).premium
    assert premium == Decimal("290.04") and notices(PAYS, "handup-enrolled")  # 44% of 2600.00 - 1940.82

    for month in MONTHS:
        as_of = date(2026, 1, 6) if month == MONTHS[0] else month
        counts = bill(month, as_of)
        assert counts["bills"] >= 1
        paying = [p for p in (PAYS, LATE, GONE, LEAVES) if participant(p).status == "enrolled"
                  and not (p in (LATE, GONE) and UNPAID_FROM <= month < date(2026, 8, 1))]
        pay(month, paying)
        if month == date(2026, 3, 1):
            assert bill(month)["bills"] == 0  # the same month again changes nothing
        if month == date(2026, 5, 1):
            assert run_sweep(DAY_60)["state"]["type"] == "COMPLETED"
            with transaction() as session:
                assert session.get(RemovalBatch, f"RB-{DAY_60}") is None  # day 60: still in the program
            assert run_sweep(DAY_61)["state"]["type"] == "COMPLETED"
            with transaction() as session:
                run_id = session.get(RemovalBatch, f"RB-{DAY_61}").flow_run_id
            wait_for_task(run_id, "approve-removals")
            resume(run_id, approve=True, hold_back="", decided_on=DAY_61, reasons="Sixty days unpaid.",
                   decided_by=SUPERVISOR)
            assert wait_final(run_id)["state"]["type"] == "COMPLETED"
            assert participant(LATE).status == participant(GONE).status == "removed"
        if month == date(2026, 6, 1):
            with transaction() as session:
                opt_out(session, participant_id=LEAVES, on=date(2026, 6, 20), actor="test")
        if month == date(2026, 7, 1):
            timely = hearing(LATE, date(2026, 7, 10))
            run_id = start_hearing_run(timely.id, date(2026, 7, 10))
            wait_for_task(run_id, "decide-hearing")
            resume(run_id, outcome="reversed: reinstate the participant and restore the bills",
                   reasons="Payroll deduction was not started by the employer.", decided_on=date(2026, 7, 20),
                   decided_by=OFFICER)
            assert wait_final(run_id)["state"]["type"] == "COMPLETED"
            assert participant(LATE).status == "enrolled"
            assert [b.status for b in bills(LATE)][2:] == ["open", "open", "open"]  # March to May restored
            pay_restored = [b for b in bills(LATE) if b.status == "open"]
            with transaction() as session:
                import_payments(session, csv_text="reference,participant_id,received_on,amount\n" + "\n".join(
                    f"PR-BACK-{b.id},{LATE},2026-07-25,{b.amount}" for b in pay_restored),
                    source="processor", actor="test")
        if month == date(2026, 8, 1):
            late = hearing(GONE, date(2026, 8, 30))  # the ninety-first day after 2026-05-31
            assert (late.timely, late.status) == (False, "refused")
        if month == date(2026, 10, 1):
            again = application("HU-C-LEAVES-2", person_id=f"PER-{LEAVES}", applied_on=month)
            run_id = apply(again)
            assert wait_final(run_id)["state"]["type"] == "COMPLETED"

    # (4)(A)-(B): one premium letter a month, due on the month's last day, mailed in time; the email copy only to
    # the participant who opted in
    letters = notices(PAYS, "handup-premium")
    assert len(letters) == 14 and len(notices(PAYS, "handup-premium", "email")) == 14
    assert notices(LATE, "handup-premium", "email") == []
    assert [b.due_on for b in bills(PAYS)] == [coverage_due_date(m) for m in MONTHS]
    transit = settings().handup_transit_days
    assert all(b.mail_by == latest_mailing_date(b.due_on, transit) for b in bills(PAYS))
    assert all(n.mail_by and n.status != "queued" for n in letters)
    assert all(b.status == "paid" and b.paid == premium for b in bills(PAYS))
    assert participant(PAYS).credit == 0

    # (4)(C), (5): removed after sixty days unpaid; the timely hearing reversed it and the bills came back
    assert len(notices(LATE, "adverse-action")) == 1 and len(notices(GONE, "adverse-action")) == 1
    assert "2026-08-29" in " ".join(notices(GONE, "adverse-action")[0].body_text.split())
    assert [n.notice_type for n in notices(LATE, "hearing-decision")] == ["hearing-decision"]
    assert participant(LATE).status == "enrolled" and all(b.status == "paid" for b in bills(LATE))
    assert {b.coverage_month for b in bills(LATE)}.isdisjoint({date(2026, 6, 1), date(2026, 7, 1)})
    assert participant(GONE).status == "removed" and len(notices(GONE, "hearing-refused")) == 1

    # (6): left for good; the later application is refused with the reason, by the rules
    assert participant(LEAVES).status == "opted_out" and len(notices(LEAVES, "handup-opted-out")) == 1
    assert max(b.coverage_month for b in bills(LEAVES) if b.status != "cancelled") == date(2026, 6, 1)
    refused_again = participant("HU-C-LEAVES-2")
    assert refused_again.status == "refused"
    assert [u["paragraph"] for u in refused_again.unmet] == ["13 CSR 35-32.040 (6)"]
    assert "may not participate again" in notices("HU-C-LEAVES-2", "handup-refused")[0].body_text

    # none of it reached Prefect: no name, email or street, in runs, forms, artifacts, logs or its own tables
    held = everything_prefect_holds() + everything_in_prefects_database()
    assert f"handup-removal-rb-{DAY_61}" in held and "approve-removals" in held and "decide-hearing" in held
    private = ["Underhill", "Oyelaran", "p.underhill@example.org", "Wornall", "Cohort Family"]
    assert sorted(p for p in private if p.lower() in held.lower()) == []
