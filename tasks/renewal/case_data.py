"""Case data imports for the contract renewal, 13 CSR 35-32.020 (13): one extract of the case management system
per kind (the kinds and their columns: models/case_data_csv.py), all or nothing, in the caller's transaction. The
placement exits and the residential cost reports, the optional data of the report's method sections
(models/case_data_methods_csv.py), go to their own tables, placement_exit and residential_cost_report.

The file is streamed: rows are read one at a time, checked, and inserted 5,000 at a time; the database facts a row
is checked against (the contract, its children, earlier events) are read once per contract. If any row is bad,
ImportRejected names every bad row by its number and the caller's transaction rolls back, so nothing is written.
"""

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TextIO
from uuid import uuid4

from sqlalchemy import insert
from sqlmodel import Session, select

from models.case_data_csv import (CHILD_KINDS, COLUMNS, EVENT_KIND, KINDS, UNIQUE_KINDS, Errors, Known, check_reentries,
                                  check_row, parse_row, read_rows)
from models.case_data_methods_csv import KEY_COLUMNS, METHOD_KINDS, check_method_row, parse_method_row
from models.errors import ImportRejected, RuleViolation
from models.tables import (CaseChild, CaseEvent, CaseImport, Contract, PaymentAdjustment, PlacementExit,
                           ResidentialCostReport)
from tasks.human.audit import audit

RULE = "13 CSR 35-32.020 (13)"
CHUNK = 5000  # rows per INSERT ... executemany
_TABLE = {"referrals": CaseChild, "adjustments": PaymentAdjustment, "placement_exits": PlacementExit,
          "residential_costs": ResidentialCostReport}


@dataclass(frozen=True)
class ImportSummary:
    """What one import did (IDs and counts only)."""

    import_id: str
    kind: str
    rows: int
    contracts: tuple[str, ...]


def _hashed(stream: TextIO | Iterable[str], digest) -> Iterator[str]:
    """The stream's lines, each added to the digest as UTF-8 bytes: the file's bytes when it was opened as UTF-8
    with newline="" or decoded line by line."""
    for line in stream:
        digest.update(line.encode("utf-8"))
        yield line


def _learn(session: Session, kind: str, contract_id: str, known: Known) -> None:
    """Read what the database holds for a contract met for the first time."""
    exists = session.exec(select(Contract.id).where(Contract.id == contract_id)).first() is not None
    children = events = exits = ()
    if exists and kind in CHILD_KINDS:
        children = session.exec(select(CaseChild.child_id, CaseChild.referred_on)
                                .where(CaseChild.contract_id == contract_id)).all()
    if exists and kind in UNIQUE_KINDS:
        events = session.exec(select(CaseEvent.child_id, CaseEvent.on, CaseEvent.detail)
                              .where(CaseEvent.contract_id == contract_id, CaseEvent.kind == EVENT_KIND[kind])).all()
    if exists and kind == "reentries":
        exits = session.exec(select(CaseEvent.child_id, CaseEvent.on)
                             .where(CaseEvent.contract_id == contract_id, CaseEvent.kind == "exit")).all()
    known.add_contract(contract_id, exists, children=children, events=events, exits=exits, kind=kind)
    if exists and kind in METHOD_KINDS:
        table = _TABLE[kind]
        stored = session.exec(select(table.contract_id, *(getattr(table, c) for c in KEY_COLUMNS[kind]))
                              .where(table.contract_id == contract_id)).all()
        known.keys.update((tuple(row), 0) for row in stored)


def import_case_data(session: Session, *, kind: str, stream: TextIO | Iterable[str], actor: str) -> ImportSummary:
    """Import one extract of `kind` from a text stream or any iterable of its lines (open files with
    encoding="utf-8", newline=""), read line by line, never whole. Every row is checked; the good rows are
    inserted in chunks while no bad row has been met; a file with any bad row raises ImportRejected naming each
    one, and the caller's transaction rolls back so that nothing is written. Records the CaseImport (rows, the
    SHA-256 of the file) and one audit row."""
    if kind not in KINDS:
        raise RuleViolation(f"the kind of case data must be one of {', '.join(KINDS)}, not {kind!r}", RULE)
    import_id, digest = f"CI-{uuid4().hex}", hashlib.sha256()
    table = _TABLE.get(kind, CaseEvent)
    statement = insert(table)
    errors: Errors = []
    known, chunk, rows = Known(), [], 0
    parse, check = (parse_method_row, check_method_row) if kind in METHOD_KINDS else (parse_row, check_row)
    for line, values in read_rows(_hashed(stream, digest), COLUMNS[kind], errors):
        problems, record = parse(kind, values)
        if record is not None:
            if record.contract_id not in known.contracts:
                _learn(session, kind, record.contract_id, known)
            problems = check(kind, line, record, known)
        if problems:
            errors += [(line, p) for p in problems]
            chunk.clear()
            continue
        rows += 1
        if not errors:
            chunk.append(record._asdict() | {"import_id": import_id})
            if len(chunk) >= CHUNK:
                session.exec(statement, params=chunk)
                chunk = []
    if kind == "reentries":
        errors += check_reentries(known)
    sha256 = digest.hexdigest()
    earlier = session.exec(select(CaseImport.id).where(CaseImport.sha256 == sha256, CaseImport.kind == kind)).first()
    if earlier:
        errors.append((1, f"this file was imported before, as {earlier}"))
    if not errors and not rows:
        errors.append((1, "the file has no rows"))
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: e[0]))
    if chunk:
        session.exec(statement, params=chunk)
    contracts = tuple(sorted(known.contracts))
    session.add(CaseImport(id=import_id, kind=kind, rows=rows, sha256=sha256, imported_by=actor))
    audit(session, actor=actor, action="renewal.case_data.imported", subject_type="case_import",
          subject_id=import_id, rule=RULE,
          detail={"import_id": import_id, "kind": kind, "rows": rows, "contracts": list(contracts),
                  "sha256": sha256})
    return ImportSummary(import_id=import_id, kind=kind, rows=rows, contracts=contracts)
