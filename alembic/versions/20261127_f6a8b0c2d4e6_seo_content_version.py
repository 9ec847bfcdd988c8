"""SEO: the content version of the public pages, raised by triggers on what they show.

One row (id 1) counts changes to the tables the server-rendered public pages read; the page
cache (app/seo/cache.py) keeps a page only while the counter has not moved. On Postgres the
triggers are DEFERRABLE INITIALLY DEFERRED constraint triggers: the counter row is updated just
before commit, so a writer holds its lock for an instant and takes no other lock after it.
On SQLite (one writer at a time) they are plain AFTER triggers.

Note for later migrations: SQLite batch mode (``batch_alter_table``) recreates a table and drops
its triggers; a migration that rebuilds one of TABLES must call ``create_triggers`` again.

Revision ID: f6a8b0c2d4e6
Revises: b7c9d1e3f5a7
Create Date: 2026-11-27 23:10:00
"""

from alembic import op
import sqlalchemy as sa


revision = 'f6a8b0c2d4e6'
down_revision = 'b7c9d1e3f5a7'
branch_labels = None
depends_on = None

TABLES = (
    "gig", "gig_package", "gig_faq", "gig_media", "gig_extra", "review", "user_account",
    "seller_profile", "category", "city", "dialect", "search_term",
)


def create_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION bump_content_version() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN UPDATE content_version SET version = version + 1 WHERE id = 1; RETURN NULL; END $$"
        )
        for table in TABLES:
            op.execute(
                f"CREATE CONSTRAINT TRIGGER trg_{table}_content_version AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_content_version()"
            )
        return
    for table in TABLES:
        for event in ("INSERT", "UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER trg_{table}_content_version_{event.lower()} AFTER {event} ON {table} "
                "BEGIN UPDATE content_version SET version = version + 1 WHERE id = 1; END"
            )


def drop_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_content_version ON {table}")
        op.execute("DROP FUNCTION IF EXISTS bump_content_version()")
        return
    for table in TABLES:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_content_version_{event}")


def upgrade() -> None:
    op.create_table('content_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_version'))
    )
    op.execute("INSERT INTO content_version (id, version) VALUES (1, 1)")
    create_triggers()


def downgrade() -> None:
    drop_triggers()
    op.drop_table('content_version')
