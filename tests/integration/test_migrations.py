"""Alembic is the only way the schema changes: up, check, down and up again, on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

import models
from app.core import migrations
from app.core.db import get_engine
from app.core.errors import MihanError

MODEL_TABLES = set(models.metadata.tables)


def _tables(url: str) -> set[str]:
    engine = get_engine(url)
    engine.dispose()  # a fresh connection sees DDL done by Alembic's own connection
    # the full-text index (FTS5 and its shadow tables) is not a model table
    return {name for name in inspect(engine).get_table_names() if not name.startswith("gig_fts")}


def _revision(url: str) -> str | None:
    with get_engine(url).connect() as connection:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def test_upgrade_check_downgrade_and_upgrade_again(empty_database):
    """Every migration applies and reverses cleanly, and the head matches the models."""
    # given an empty database
    assert _tables(empty_database) == set()
    # when it is upgraded to head
    migrations.upgrade()
    # then every model table exists, the version is recorded and check() passes
    assert _tables(empty_database) == MODEL_TABLES | {"alembic_version"}
    assert _revision(empty_database) is not None
    migrations.check()
    # when it is downgraded to base
    migrations.downgrade()
    # then only alembic_version is left, empty
    assert _tables(empty_database) == {"alembic_version"}
    assert _revision(empty_database) is None
    # and upgrading again works and is still in step with the models
    migrations.upgrade()
    assert _tables(empty_database) == MODEL_TABLES | {"alembic_version"}
    migrations.check()


def test_upgrade_twice_is_a_no_op(empty_database):
    """``mihan run`` upgrades on every start; the second time changes nothing."""
    # given a database at head
    migrations.upgrade()
    head = _revision(empty_database)
    # when it is upgraded again
    migrations.upgrade()
    # then it is still at the same head
    assert _revision(empty_database) == head
    migrations.check()


def test_upgrade_takes_an_explicit_url(empty_database, tmp_path):
    """The CLI and tests can migrate a database other than the default."""
    # given a second SQLite file that is not the default
    other = f"sqlite:///{tmp_path / 'other.db'}"
    # when it is upgraded by URL
    migrations.upgrade(other)
    # then it has the tables and the default database is untouched
    assert _tables(other) == MODEL_TABLES | {"alembic_version"}
    migrations.check(other)
    assert _tables(empty_database) == set()


def test_check_fails_when_a_table_is_missing(empty_database):
    """A schema that lost a table is reported with the translated db.models_differ."""
    # given a database at head whose seller_profile table was dropped by hand
    migrations.upgrade()
    with get_engine(empty_database).begin() as connection:
        connection.execute(text("DROP TABLE seller_profile"))
    # when it is checked
    with pytest.raises(MihanError) as caught:
        migrations.check()
    # then the error names the difference
    assert caught.value.key == "db.models_differ"
    assert "seller_profile" in caught.value.params["detail"]
    assert "seller_profile" in caught.value.message("en")


def test_check_fails_when_a_column_is_missing(empty_database):
    """A column dropped outside Alembic is caught too."""
    # given a database at head whose user_account.city column was dropped by hand
    migrations.upgrade()
    with get_engine(empty_database).begin() as connection:
        connection.execute(text("ALTER TABLE user_account DROP COLUMN city"))
    # when it is checked
    with pytest.raises(MihanError) as caught:
        migrations.check()
    # then it is db.models_differ
    assert caught.value.key == "db.models_differ"
    assert "city" in caught.value.params["detail"]


def test_check_fails_on_a_database_behind_head(empty_database):
    """A database never upgraded (only alembic_version at base) differs from the models."""
    # given a database upgraded and downgraded back to base
    migrations.upgrade()
    migrations.downgrade()
    assert _tables(empty_database) == {"alembic_version"}
    # when it is checked
    with pytest.raises(MihanError) as caught:
        migrations.check()
    # then it is db.models_differ, with a detail for the person reading it
    assert caught.value.key == "db.models_differ"
    assert caught.value.params["detail"]


def test_check_fails_on_an_empty_database(empty_database):
    """``mihan db check`` on a brand-new database says so in the user's language."""
    # given an empty database
    # when it is checked
    with pytest.raises(MihanError) as caught:
        migrations.check()
    # then it is db.models_differ
    assert caught.value.key == "db.models_differ"
