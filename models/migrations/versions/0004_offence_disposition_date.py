"""offence disposition date: 13 CSR 35-32.020 (7)(C)1.E counts five years from the conviction

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('offence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('disposition_date', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('offence', schema=None) as batch_op:
        batch_op.drop_column('disposition_date')
