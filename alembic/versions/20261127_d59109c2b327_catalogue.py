"""Catalogue: taxonomy, gigs, packages, search documents and index, lexicon; seller level.

The full-text index is created by hand: a contentless FTS5 table on SQLite, a tsvector column
with a GIN index on Postgres (see app/search/index.py).

Revision ID: d59109c2b327
Revises: f17cba27102d
Create Date: 2026-11-27 14:09:26.818865
"""

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = 'd59109c2b327'
down_revision = 'f17cba27102d'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('name_ar', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('name_en', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('description_ar', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('description_en', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('icon', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['category.id'], name=op.f('fk_category_parent_id_category')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_category')),
    sa.UniqueConstraint('slug', name=op.f('uq_category_slug'))
    )
    with op.batch_alter_table('category', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_category_parent_id'), ['parent_id'], unique=False)

    op.create_table('city',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('name_ar', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('name_en', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_city')),
    sa.UniqueConstraint('slug', name=op.f('uq_city_slug'))
    )
    op.create_table('dialect',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('name_ar', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('name_en', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dialect')),
    sa.UniqueConstraint('slug', name=op.f('uq_dialect_slug'))
    )
    op.create_table('search_term',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('concept', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_term')),
    sa.UniqueConstraint('term', 'concept', name='uq_search_term_term_concept')
    )
    with op.batch_alter_table('search_term', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_term_concept'), ['concept'], unique=False)

    op.create_table('gig',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('dialect_id', sa.Integer(), nullable=True),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('tags', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('moderation_note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('price_minor', sa.BigInteger(), nullable=False),
    sa.Column('delivery_days', sa.Integer(), nullable=False),
    sa.Column('rating_sum', sa.Integer(), nullable=False),
    sa.Column('rating_count', sa.Integer(), nullable=False),
    sa.Column('orders_completed', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_gig_category_id_category')),
    sa.ForeignKeyConstraint(['city_id'], ['city.id'], name=op.f('fk_gig_city_id_city')),
    sa.ForeignKeyConstraint(['dialect_id'], ['dialect.id'], name=op.f('fk_gig_dialect_id_dialect')),
    sa.ForeignKeyConstraint(['seller_id'], ['user_account.id'], name=op.f('fk_gig_seller_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gig')),
    sa.UniqueConstraint('ref', name=op.f('uq_gig_ref'))
    )
    with op.batch_alter_table('gig', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gig_seller_id'), ['seller_id'], unique=False)
        batch_op.create_index('ix_gig_status_category', ['status', 'category_id'], unique=False)
        batch_op.create_index('ix_gig_status_price', ['status', 'price_minor'], unique=False)
        batch_op.create_index('ix_gig_status_published', ['status', 'published_at'], unique=False)

    op.create_table('gig_package',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gig_id', sa.Integer(), nullable=False),
    sa.Column('tier', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('price_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('delivery_days', sa.Integer(), nullable=False),
    sa.Column('revisions', sa.Integer(), nullable=False),
    sa.Column('words_included', sa.Integer(), nullable=True),
    sa.Column('minutes_included', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['gig_id'], ['gig.id'], name=op.f('fk_gig_package_gig_id_gig')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_gig_package')),
    sa.UniqueConstraint('gig_id', 'tier', name='uq_gig_package_gig_tier')
    )
    with op.batch_alter_table('gig_package', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_gig_package_gig_id'), ['gig_id'], unique=False)

    op.create_table('gig_search_doc',
    sa.Column('gig_id', sa.Integer(), nullable=False),
    sa.Column('analyzer_version', sa.Integer(), nullable=False),
    sa.Column('t_exact', sa.Text(), nullable=False),
    sa.Column('t_stem', sa.Text(), nullable=False),
    sa.Column('t_concept', sa.Text(), nullable=False),
    sa.Column('t_root', sa.Text(), nullable=False),
    sa.Column('d_exact', sa.Text(), nullable=False),
    sa.Column('d_stem', sa.Text(), nullable=False),
    sa.Column('d_concept', sa.Text(), nullable=False),
    sa.Column('d_root', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['gig_id'], ['gig.id'], name=op.f('fk_gig_search_doc_gig_id_gig')),
    sa.PrimaryKeyConstraint('gig_id', name=op.f('pk_gig_search_doc'))
    )
    with op.batch_alter_table('seller_profile', schema=None) as batch_op:
        batch_op.add_column(sa.Column('level', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False, server_default='new'))
        batch_op.add_column(sa.Column('dialects', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False, server_default=''))

    _create_index()


def _create_index() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE gig_fts USING fts5("
            "t_exact, t_stem, t_concept, t_root, d_exact, d_stem, d_concept, d_root, "
            "content='', tokenize=\"unicode61 remove_diacritics 0 categories 'L* N* Co Mn'\")"
        )
    else:
        op.execute("ALTER TABLE gig_search_doc ADD COLUMN tsv tsvector")
        op.execute("CREATE INDEX ix_gig_search_doc_tsv ON gig_search_doc USING gin (tsv)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE gig_fts")
    with op.batch_alter_table('seller_profile', schema=None) as batch_op:
        batch_op.drop_column('dialects')
        batch_op.drop_column('level')

    op.drop_table('gig_search_doc')
    with op.batch_alter_table('gig_package', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_gig_package_gig_id'))

    op.drop_table('gig_package')
    with op.batch_alter_table('gig', schema=None) as batch_op:
        batch_op.drop_index('ix_gig_status_published')
        batch_op.drop_index('ix_gig_status_price')
        batch_op.drop_index('ix_gig_status_category')
        batch_op.drop_index(batch_op.f('ix_gig_seller_id'))

    op.drop_table('gig')
    with op.batch_alter_table('search_term', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_term_concept'))

    op.drop_table('search_term')
    op.drop_table('dialect')
    op.drop_table('city')
    with op.batch_alter_table('category', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_category_parent_id'))

    op.drop_table('category')
