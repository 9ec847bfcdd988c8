"""Moyasar gateway: links to its invoices, the refunds made through Mihan, the webhook events handled.

Revision ID: e4a9c2d7f1b3
Revises: 7d5485b32413
Create Date: 2026-12-01 10:00:00.000000
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'e4a9c2d7f1b3'
down_revision = '7d5485b32413'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('moyasar_invoice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('idempotency_key', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('invoice_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('url', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount_minor > 0', name=op.f('ck_moyasar_invoice_positive_amount')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moyasar_invoice')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_moyasar_invoice_idempotency_key')),
    sa.UniqueConstraint('invoice_id', name=op.f('uq_moyasar_invoice_invoice_id')),
    sa.UniqueConstraint('reference', name=op.f('uq_moyasar_invoice_reference'))
    )
    op.create_table('moyasar_webhook_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('type', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('refunded_minor', sa.BigInteger(), nullable=False),
    sa.Column('message', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moyasar_webhook_event')),
    sa.UniqueConstraint('event_id', name=op.f('uq_moyasar_webhook_event_event_id'))
    )
    op.create_table('moyasar_refund',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invoice_row_id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('idempotency_key', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('refunded_after_minor', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount_minor > 0', name=op.f('ck_moyasar_refund_positive_amount')),
    sa.ForeignKeyConstraint(['invoice_row_id'], ['moyasar_invoice.id'], name=op.f('fk_moyasar_refund_invoice_row_id_moyasar_invoice')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moyasar_refund')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_moyasar_refund_idempotency_key'))
    )
    with op.batch_alter_table('moyasar_refund', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moyasar_refund_invoice_row_id'), ['invoice_row_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('moyasar_refund', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_moyasar_refund_invoice_row_id'))

    op.drop_table('moyasar_refund')
    op.drop_table('moyasar_webhook_event')
    op.drop_table('moyasar_invoice')
