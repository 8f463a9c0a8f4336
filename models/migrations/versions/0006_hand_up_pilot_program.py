"""Hand-Up Pilot Program (13 CSR 35-32.040): reference tables, pilot providers, participants, bills, payments,
removal batches, fair hearings; the day a letter must be mailed by

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('handup_reference',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('version', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('provenance', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.Column('imported_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'version')
    )
    op.create_table('pilot_provider',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('county', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('county_class', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('families_served', sa.Integer(), nullable=False),
    sa.Column('license_number', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('license_valid_until', sa.Date(), nullable=False),
    sa.Column('contract_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('contract_ends_on', sa.Date(), nullable=False),
    sa.Column('agreed_on', sa.Date(), nullable=True),
    sa.Column('designated_on', sa.Date(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('removal_batch',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('decided_by', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('flow_run_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('handup_participant',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('person_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('address_line1', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('address_line2', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('city', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('zip_code', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.Column('email_opt_in', sa.Boolean(), nullable=False),
    sa.Column('provider_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('family_size', sa.Integer(), nullable=False),
    sa.Column('adjusted_gross_income', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('benefit', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('premium', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('months_full_benefits', sa.Integer(), nullable=False),
    sa.Column('meets_program_requirements', sa.Boolean(), nullable=False),
    sa.Column('lost_eligibility_on', sa.Date(), nullable=False),
    sa.Column('consented_on', sa.Date(), nullable=False),
    sa.Column('agrees_to_pay', sa.Boolean(), nullable=False),
    sa.Column('payroll_deduction', sa.Boolean(), nullable=False),
    sa.Column('applied_on', sa.Date(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('unmet', sa.JSON(), nullable=False),
    sa.Column('enrolled_on', sa.Date(), nullable=True),
    sa.Column('first_month', sa.Date(), nullable=True),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('end_reason', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('adverse_action_on', sa.Date(), nullable=True),
    sa.Column('credit', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('flow_run_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
    sa.ForeignKeyConstraint(['provider_id'], ['pilot_provider.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('handup_participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_handup_participant_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_handup_participant_status'), ['status'], unique=False)

    op.create_table('hearing_request',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('participant_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('adverse_action_on', sa.Date(), nullable=False),
    sa.Column('requested_on', sa.Date(), nullable=False),
    sa.Column('timely', sa.Boolean(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('decided_by', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('reasons', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('flow_run_id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=True),
    sa.ForeignKeyConstraint(['participant_id'], ['handup_participant.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('hearing_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hearing_request_participant_id'), ['participant_id'], unique=False)

    op.create_table('premium_bill',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('coverage_month', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('mail_by', sa.Date(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('paid', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['handup_participant.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('participant_id', 'coverage_month')
    )
    with op.batch_alter_table('premium_bill', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_premium_bill_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_premium_bill_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_premium_bill_status'), ['status'], unique=False)

    op.create_table('premium_payment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('participant_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('import_id', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['handup_participant.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('reference')
    )
    with op.batch_alter_table('premium_payment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_premium_payment_import_id'), ['import_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_premium_payment_participant_id'), ['participant_id'], unique=False)

    op.create_table('removal_candidate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('participant_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('oldest_due', sa.Date(), nullable=False),
    sa.Column('months_unpaid', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('days_unpaid', sa.Integer(), nullable=False),
    sa.Column('decision', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('hold_reason', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['removal_batch.id'], ),
    sa.ForeignKeyConstraint(['participant_id'], ['handup_participant.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('participant_id', 'oldest_due')
    )
    with op.batch_alter_table('removal_candidate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_removal_candidate_batch_id'), ['batch_id'], unique=False)

    op.create_table('payment_allocation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=False),
    sa.Column('bill_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['bill_id'], ['premium_bill.id'], ),
    sa.ForeignKeyConstraint(['payment_id'], ['premium_payment.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('payment_allocation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_allocation_bill_id'), ['bill_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payment_allocation_payment_id'), ['payment_id'], unique=False)

    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mail_by', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_notice_mail_by'), ['mail_by'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('notice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_mail_by'))
        batch_op.drop_column('mail_by')

    with op.batch_alter_table('payment_allocation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payment_allocation_payment_id'))
        batch_op.drop_index(batch_op.f('ix_payment_allocation_bill_id'))

    op.drop_table('payment_allocation')
    with op.batch_alter_table('removal_candidate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_removal_candidate_batch_id'))

    op.drop_table('removal_candidate')
    with op.batch_alter_table('premium_payment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_premium_payment_participant_id'))
        batch_op.drop_index(batch_op.f('ix_premium_payment_import_id'))

    op.drop_table('premium_payment')
    with op.batch_alter_table('premium_bill', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_premium_bill_status'))
        batch_op.drop_index(batch_op.f('ix_premium_bill_participant_id'))
        batch_op.drop_index(batch_op.f('ix_premium_bill_due_on'))

    op.drop_table('premium_bill')
    with op.batch_alter_table('hearing_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hearing_request_participant_id'))

    op.drop_table('hearing_request')
    with op.batch_alter_table('handup_participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_handup_participant_status'))
        batch_op.drop_index(batch_op.f('ix_handup_participant_person_id'))

    op.drop_table('handup_participant')
    op.drop_table('removal_batch')
    op.drop_table('pilot_provider')
    op.drop_table('handup_reference')
