"""Trust: founding sellers' invite codes, reports and appeals, removed reviews, and when the
nightly level job last measured each seller.

Revision ID: b7c9d1e3f5a7
Revises: c0ffee7135a1
Create Date: 2026-11-27 23:35:45.765208
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'b7c9d1e3f5a7'
down_revision = 'c0ffee7135a1'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('invite_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('redeemed_by', sa.Integer(), nullable=True),
    sa.Column('redeemed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['user_account.id'], name=op.f('fk_invite_code_created_by_user_account')),
    sa.ForeignKeyConstraint(['redeemed_by'], ['user_account.id'], name=op.f('fk_invite_code_redeemed_by_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invite_code')),
    sa.UniqueConstraint('code', name=op.f('uq_invite_code_code')),
    sa.UniqueConstraint('redeemed_by', name=op.f('uq_invite_code_redeemed_by'))
    )
    op.create_table('report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('target_kind', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('appeal', sa.Boolean(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('handled_by', sa.Integer(), nullable=True),
    sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolution', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.ForeignKeyConstraint(['handled_by'], ['user_account.id'], name=op.f('fk_report_handled_by_user_account')),
    sa.ForeignKeyConstraint(['reporter_id'], ['user_account.id'], name=op.f('fk_report_reporter_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report')),
    sa.UniqueConstraint('reporter_id', 'target_kind', 'target_id', name='uq_report_reporter_target')
    )
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.create_index('ix_report_reporter_created', ['reporter_id', 'created_at'], unique=False)
        batch_op.create_index('ix_report_status_id', ['status', 'id'], unique=False)

    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.add_column(sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('seller_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('level_checked_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_seller_profile_level_checked_at'), ['level_checked_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('seller_profile', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seller_profile_level_checked_at'))
        batch_op.drop_column('level_checked_at')

    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_column('removed_at')

    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index('ix_report_status_id')
        batch_op.drop_index('ix_report_reporter_created')

    op.drop_table('report')
    op.drop_table('invite_code')
