"""Invoices: tax invoices and credit notes, each EGS unit's chain, and sellers' VAT registration.

The lead re-chains down_revision at merge.

Revision ID: f7a3b9c1d5e2
Revises: e4a9c2d7f1b3
Create Date: 2026-11-27 20:24:43.005229
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'f7a3b9c1d5e2'
down_revision = 'e4a9c2d7f1b3'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('invoice_chain',
    sa.Column('unit', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('last_icv', sa.Integer(), nullable=False),
    sa.Column('last_hash', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.PrimaryKeyConstraint('unit', name=op.f('pk_invoice_chain'))
    )
    op.create_table('invoice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('uuid', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('type', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('unit', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('icv', sa.Integer(), nullable=False),
    sa.Column('pih', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('event', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('issuer_id', sa.Integer(), nullable=True),
    sa.Column('issuer_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('recipient_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('net_minor', sa.BigInteger(), nullable=False),
    sa.Column('vat_minor', sa.BigInteger(), nullable=False),
    sa.Column('gross_minor', sa.BigInteger(), nullable=False),
    sa.Column('original_invoice_id', sa.Integer(), nullable=True),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('xml', sa.Text(), nullable=False),
    sa.Column('qr', sa.Text(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('net_minor >= 0 AND vat_minor >= 0 AND gross_minor = net_minor + vat_minor', name=op.f('ck_invoice_totals')),
    sa.ForeignKeyConstraint(['issuer_id'], ['user_account.id'], name=op.f('fk_invoice_issuer_id_user_account')),
    sa.ForeignKeyConstraint(['order_id'], ['gig_order.id'], name=op.f('fk_invoice_order_id_gig_order')),
    sa.ForeignKeyConstraint(['original_invoice_id'], ['invoice.id'], name=op.f('fk_invoice_original_invoice_id_invoice')),
    sa.ForeignKeyConstraint(['recipient_id'], ['user_account.id'], name=op.f('fk_invoice_recipient_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invoice')),
    sa.UniqueConstraint('order_id', 'purpose', 'kind', 'event', name='uq_invoice_order_event'),
    sa.UniqueConstraint('unit', 'icv', name='uq_invoice_unit_icv'),
    sa.UniqueConstraint('unit', 'number', name='uq_invoice_unit_number'),
    sa.UniqueConstraint('uuid', name=op.f('uq_invoice_uuid'))
    )
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invoice_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invoice_original_invoice_id'), ['original_invoice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invoice_recipient_id'), ['recipient_id'], unique=False)

    with op.batch_alter_table('seller_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vat_registered', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('seller_profile', schema=None) as batch_op:
        batch_op.drop_column('vat_registered')

    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invoice_recipient_id'))
        batch_op.drop_index(batch_op.f('ix_invoice_original_invoice_id'))
        batch_op.drop_index(batch_op.f('ix_invoice_order_id'))

    op.drop_table('invoice')
    op.drop_table('invoice_chain')
