"""Reviews: two-sided blind reviews of completed orders, one per side, with the seller's reply.

Revision ID: b1d5a7e3c9f2
Revises: f7a3b9c1d5e2
Create Date: 2026-11-27 19:46:44.961937
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'b1d5a7e3c9f2'
down_revision = 'f7a3b9c1d5e2'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('gig_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('side', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('overall', sa.SmallInteger(), nullable=False),
    sa.Column('communication', sa.SmallInteger(), nullable=True),
    sa.Column('quality', sa.SmallInteger(), nullable=True),
    sa.Column('on_time', sa.SmallInteger(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revealed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reply', sa.Text(), nullable=False),
    sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(side = 'buyer' AND communication BETWEEN 1 AND 5 AND quality BETWEEN 1 AND 5 AND on_time BETWEEN 1 AND 5) OR (side = 'seller' AND communication IS NULL AND quality IS NULL AND on_time IS NULL)", name=op.f('ck_review_sub_ratings')),
    sa.CheckConstraint("side IN ('buyer', 'seller')", name=op.f('ck_review_side')),
    sa.CheckConstraint('overall BETWEEN 1 AND 5', name=op.f('ck_review_overall')),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_review_author_id_user_account')),
    sa.ForeignKeyConstraint(['gig_id'], ['gig.id'], name=op.f('fk_review_gig_id_gig')),
    sa.ForeignKeyConstraint(['order_id'], ['gig_order.id'], name=op.f('fk_review_order_id_gig_order')),
    sa.ForeignKeyConstraint(['subject_id'], ['user_account.id'], name=op.f('fk_review_subject_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review')),
    sa.UniqueConstraint('order_id', 'side', name='uq_review_order_side')
    )
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.create_index('ix_review_gig_side_revealed', ['gig_id', 'side', 'revealed_at'], unique=False)
        batch_op.create_index('ix_review_revealed_order', ['revealed_at', 'order_id'], unique=False)
        batch_op.create_index('ix_review_subject_side_revealed', ['subject_id', 'side', 'revealed_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_index('ix_review_subject_side_revealed')
        batch_op.drop_index('ix_review_revealed_order')
        batch_op.drop_index('ix_review_gig_side_revealed')

    op.drop_table('review')
