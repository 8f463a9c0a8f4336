"""Contract renewal (13 CSR 35-32.020 (13)-(16), 35-32.030 (5)-(6)): contract terms by year, case data and its
imports, payment adjustments, renewals

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_import',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('imported_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('case_child',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('child_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('referred_on', sa.Date(), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('funding', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('import_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('contract_id', 'child_id')
    )
    with op.batch_alter_table('case_child', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_child_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_child_import_id'), ['import_id'], unique=False)

    op.create_table('case_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('child_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('detail', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('import_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.create_index('ix_case_event_contract_kind', ['contract_id', 'kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_event_import_id'), ['import_id'], unique=False)

    op.create_table('contract_terms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('year_start', sa.Date(), nullable=False),
    sa.Column('year_end', sa.Date(), nullable=False),
    sa.Column('cases_awarded', sa.Integer(), nullable=False),
    sa.Column('monthly_rate', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('permanency_target', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('safety_target', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('reentry_target', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('region_county_permanency', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('region_contractor_permanency', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('allowable_reentries', sa.Integer(), nullable=False),
    sa.Column('appropriation', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('recorded_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('contract_id', 'year_start')
    )
    with op.batch_alter_table('contract_terms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_terms_contract_id'), ['contract_id'], unique=False)

    op.create_table('payment_adjustment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('cases', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('import_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('payment_adjustment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_adjustment_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_adjustment_import_id'), ['import_id'], unique=False)

    op.create_table('renewal',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=48), nullable=False),
    sa.Column('contract_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('year_start', sa.Date(), nullable=False),
    sa.Column('year_end', sa.Date(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('review_closes_on', sa.Date(), nullable=True),
    sa.Column('preliminary', sa.JSON(), nullable=True),
    sa.Column('final', sa.JSON(), nullable=True),
    sa.Column('corrections', sa.JSON(), nullable=False),
    sa.Column('report_path', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('recommendation', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('recommended_by', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('decision', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('decided_by', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('reduced_cases', sa.Integer(), nullable=True),
    sa.Column('plan_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('flow_run_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('renewal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_renewal_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_renewal_status'), ['status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('renewal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_renewal_status'))
        batch_op.drop_index(batch_op.f('ix_renewal_contract_id'))

    op.drop_table('renewal')
    with op.batch_alter_table('payment_adjustment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_adjustment_import_id'))
        batch_op.drop_index(batch_op.f('ix_payment_adjustment_contract_id'))

    op.drop_table('payment_adjustment')
    with op.batch_alter_table('contract_terms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contract_terms_contract_id'))

    op.drop_table('contract_terms')
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_event_import_id'))
        batch_op.drop_index('ix_case_event_contract_kind')

    op.drop_table('case_event')
    with op.batch_alter_table('case_child', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_child_import_id'))
        batch_op.drop_index(batch_op.f('ix_case_child_contract_id'))

    op.drop_table('case_child')
    op.drop_table('case_import')
