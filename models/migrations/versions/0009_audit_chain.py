"""The audit trail refuses UPDATE and DELETE (triggers) and is tamper-evident: the chain columns filled by the
sealer (models/audit_chain.py, tasks/audit_chain.py)

The triggers allow one UPDATE only: the sealing, which sets seal_seq, prev_hash and row_hash from NULL on a row whose
other columns stay as they are.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

DATA_COLUMNS = ("id", "at", "actor", "action", "subject_type", "subject_id", "rule", "flow_run_id")

PG_FUNCTION = """
CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.seal_seq IS NULL AND OLD.prev_hash IS NULL AND OLD.row_hash IS NULL
       AND NEW.seal_seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.row_hash IS NOT NULL
       AND (%(new)s, NEW.detail::text) IS NOT DISTINCT FROM (%(old)s, OLD.detail::text) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING MESSAGE = 'audit_event is append-only: ' || TG_OP || ' refused',
                          ERRCODE = 'insufficient_privilege';
END
$$
""" % {"new": ", ".join(f"NEW.{c}" for c in DATA_COLUMNS), "old": ", ".join(f"OLD.{c}" for c in DATA_COLUMNS)}

PG_TRIGGERS = [
    "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()",
]

SQLITE_TRIGGERS = [
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event WHEN NOT ("
    "OLD.seal_seq IS NULL AND OLD.prev_hash IS NULL AND OLD.row_hash IS NULL "
    "AND NEW.seal_seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.row_hash IS NOT NULL AND "
    + " AND ".join(f"NEW.{c} IS OLD.{c}" for c in (*DATA_COLUMNS, "detail"))
    + ") BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: UPDATE refused'); END",
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: DELETE refused'); END",
]


def upgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seal_seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column('row_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_event_seal_seq'), ['seal_seq'], unique=True)

    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(PG_FUNCTION)
        for statement in PG_TRIGGERS:
            op.execute(statement)
    elif dialect == "sqlite":
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event")
        op.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS audit_event_append_only()")
    elif dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_seal_seq'))
        batch_op.drop_column('row_hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('seal_seq')
