"""Sealing and checking the audit chain (docs/architecture.md, "The system of record"; `cwa audit-verify`).

Writers insert audit rows as before, some in bulk and several at once; the sealer then walks the unsealed rows in id
order and links each to the chain (models/audit_chain.py). One sealer at a time: on PostgreSQL a transaction-level
advisory lock, on SQLite the database's single writer lock, taken before reading the end of the chain. Rows are
sealed by the next daily deadline sweep at the latest, or by `cwa audit-verify --seal`.
"""

from dataclasses import dataclass

from sqlalchemy import bindparam, func, select, text, update
from sqlmodel import Session

from models.audit_chain import FIELDS, GENESIS, ChainBreak, first_break, row_hash
from models.tables import AuditEvent
from tasks.context import transaction

__all__ = ["ChainReport", "seal_batch", "seal_chain", "verify_chain"]

SEALER_LOCK = 0x43574141  # the advisory lock key of the sealer on PostgreSQL ("CWAA")
_TABLE = AuditEvent.__table__
_DATA = [_TABLE.c[name] for name in FIELDS]
_CHAIN = [_TABLE.c.seal_seq, _TABLE.c.prev_hash, _TABLE.c.row_hash]


@dataclass(frozen=True)
class ChainReport:
    sealed: int
    unsealed: int
    head: str  # the hash of the last good row (GENESIS when none)
    broken: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _lock(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SEALER_LOCK})
    else:  # SQLite: a write that matches nothing takes the writer lock before the end of the chain is read
        session.execute(update(_TABLE).where(text("0")).values(seal_seq=_TABLE.c.seal_seq))


def seal_batch(session: Session, limit: int = 1000) -> int:
    """Seal up to `limit` unsealed rows in the caller's transaction; returns how many."""
    _lock(session)
    last = session.execute(select(_TABLE.c.seal_seq, _TABLE.c.row_hash).where(_TABLE.c.seal_seq.is_not(None))
                           .order_by(_TABLE.c.seal_seq.desc()).limit(1)).first()
    seq, prev = (last.seal_seq, last.row_hash) if last else (0, GENESIS)
    rows = session.execute(select(*_DATA).where(_TABLE.c.seal_seq.is_(None)).order_by(_TABLE.c.id)
                           .limit(limit)).mappings().all()
    params = []
    for row in rows:
        seq += 1
        sealed = row_hash(prev, row, seq)
        params.append({"b_id": row["id"], "b_seq": seq, "b_prev": prev, "b_hash": sealed})
        prev = sealed
    if params:
        session.execute(update(_TABLE).where(_TABLE.c.id == bindparam("b_id"))
                        .values(seal_seq=bindparam("b_seq"), prev_hash=bindparam("b_prev"),
                                row_hash=bindparam("b_hash")), params)
    return len(params)


def seal_chain(batch: int = 1000) -> int:
    """Seal every unsealed row, one transaction per batch; returns how many were sealed."""
    total = 0
    while True:
        with transaction() as session:
            sealed = seal_batch(session, batch)
        total += sealed
        if sealed < batch:
            return total


def verify_chain(session: Session) -> ChainReport:
    """Recompute the chain over the sealed rows, in chain order; changes nothing."""
    unsealed = session.execute(select(func.count()).select_from(_TABLE)
                               .where(_TABLE.c.seal_seq.is_(None))).scalar_one()
    rows = session.execute(select(*_DATA, *_CHAIN).where(_TABLE.c.seal_seq.is_not(None))
                           .order_by(_TABLE.c.seal_seq).execution_options(yield_per=5000)).mappings()
    checked, head, broken = first_break(rows)
    if broken is None:
        return ChainReport(checked, unsealed, head, None)
    sealed = session.execute(select(func.count()).select_from(_TABLE)
                             .where(_TABLE.c.seal_seq.is_not(None))).scalar_one()
    return ChainReport(sealed, unsealed, head, broken)
