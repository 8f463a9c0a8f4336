"""The tamper-evident audit chain (docs/architecture.md, "The system of record"): the canonical form of an audit row,
its hash, and the check of a chain. Pure: no database.

Each sealed row carries its place in the chain (`seal_seq`, 1, 2, ...), the hash of the row sealed before it
(`prev_hash`, GENESIS for the first) and its own hash: sha256(prev_hash + canonical JSON of the row). Changing a
sealed row breaks its own hash; removing or inserting one breaks the `prev_hash` of the row after it.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

GENESIS = "0" * 64
FIELDS = ("id", "at", "actor", "action", "subject_type", "subject_id", "rule", "flow_run_id", "detail")


def canonical_at(at: datetime) -> str:
    """UTC with microseconds; a naive time (SQLite hands them back so) is UTC."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(row: Mapping[str, Any], seal_seq: int) -> bytes:
    """The row's fields and its place in the chain as JSON with sorted keys, compact, UTF-8."""
    data = {name: row[name] for name in FIELDS}
    data["at"] = canonical_at(row["at"])
    data["seal_seq"] = seal_seq
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def row_hash(prev_hash: str, row: Mapping[str, Any], seal_seq: int) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + canonical(row, seal_seq)).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    row_id: int
    seal_seq: int
    reason: str


def first_break(rows: Iterable[Mapping[str, Any]], prev: str = GENESIS) -> tuple[int, str, ChainBreak | None]:
    """Walk sealed rows in `seal_seq` order (each with FIELDS, seal_seq, prev_hash, row_hash).
    Returns (rows checked, hash of the last good row, the first break or None)."""
    checked = 0
    for row in rows:
        seq = row["seal_seq"]
        if row_hash(row["prev_hash"], row, seq) != row["row_hash"]:
            return checked, prev, ChainBreak(row["id"], seq, "hash mismatch: the row was changed after sealing")
        if row["prev_hash"] != prev or seq != checked + 1:
            return checked, prev, ChainBreak(row["id"], seq, "prev mismatch: a row before it was removed or "
                                                             "inserted")
        prev = row["row_hash"]
        checked += 1
    return checked, prev, None
