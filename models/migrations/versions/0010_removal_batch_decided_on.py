"""The day a supervisor approved a removal batch (13 CSR 35-32.040 (4)(C)), kept on the batch so that several runs
can carry out the decision (tasks/handup/removal_decision.py)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('removal_batch') as batch:
        batch.add_column(sa.Column('decided_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('removal_batch') as batch:
        batch.drop_column('decided_on')
