"""The methods' data of the renewal report: placement exits by facility type (Texas DFPS FY2011 Attachment F,
Output #3) and residential cost reports (13 CSR 35-80.010)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('placement_exit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('child_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('facility_type', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('placement_start', sa.Date(), nullable=False),
    sa.Column('exit_date', sa.Date(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('import_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('placement_exit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_placement_exit_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_placement_exit_import_id'), ['import_id'], unique=False)

    op.create_table('residential_cost_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('room_and_board_costs', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('supervision_costs', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('basic_core_days', sa.Integer(), nullable=False),
    sa.Column('infant_toddler_days', sa.Integer(), nullable=False),
    sa.Column('residential_treatment_days', sa.Integer(), nullable=False),
    sa.Column('intensive_care_days', sa.Integer(), nullable=False),
    sa.Column('base_year', sa.Integer(), nullable=False),
    sa.Column('import_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('contract_id', 'base_year')
    )
    with op.batch_alter_table('residential_cost_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_residential_cost_report_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_residential_cost_report_import_id'), ['import_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('residential_cost_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_residential_cost_report_import_id'))
        batch_op.drop_index(batch_op.f('ix_residential_cost_report_contract_id'))

    op.drop_table('residential_cost_report')
    with op.batch_alter_table('placement_exit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_placement_exit_import_id'))
        batch_op.drop_index(batch_op.f('ix_placement_exit_contract_id'))

    op.drop_table('placement_exit')
