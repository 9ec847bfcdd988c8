"""Alembic environment: Mihan's models' metadata, the configured database, batch mode for SQLite."""

from alembic import context

import models
from app.core.db import get_engine

config = context.config


def run_migrations() -> None:
    url = config.attributes.get("database_url") or None
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    with get_engine(url).connect() as connection:
        _run(connection)
        connection.commit()


# The full-text index lives beside the models: an FTS5 table on SQLite, a tsvector column and
# GIN index on Postgres. Migrations create them by hand; autogenerate must not drop them.
_INDEX_OBJECTS = ("gig_fts", "tsv", "ix_gig_search_doc_tsv")


def _include_object(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
    return not (name and name.startswith(_INDEX_OBJECTS))


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=models.metadata,
        include_object=_include_object,
        render_as_batch=True,
        compare_type=True,
        compare_server_default=False,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Mihan migrations run online only: use `mihan db upgrade`.")
run_migrations()
