"""Favourites (المفضلة): the gigs each user saved, one row per user and gig.

Revision ID: c680d4921d6c
Revises: e4a1c0de5eed
Create Date: 2026-11-27 15:22:15.692057
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'c680d4921d6c'
down_revision = 'e4a1c0de5eed'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('favourite',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('gig_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['gig_id'], ['gig.id'], name=op.f('fk_favourite_gig_id_gig')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_favourite_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_favourite')),
    sa.UniqueConstraint('user_id', 'gig_id', name='uq_favourite_user_gig')
    )
    with op.batch_alter_table('favourite', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_favourite_gig_id'), ['gig_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_favourite_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('favourite', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_favourite_user_id'))
        batch_op.drop_index(batch_op.f('ix_favourite_gig_id'))

    op.drop_table('favourite')
