"""Benchmarks reuse the test fixtures (isolated data dir, fresh databases)."""

from collections.abc import Callable

import pytest
from sqlmodel import Session

from app.core import migrations
from app.core.db import transaction
from app.demo import seed_demo
from tests.conftest import POSTGRES_URL, reset_postgres, use_database
from tests.conftest import backend, database, empty_database, migrated_database  # noqa: F401
from tests.passwords import use_fast_password_hashing


def demo_catalogue(backend: str, tmp_path_factory: pytest.TempPathFactory, then: Callable[[Session], object]) -> str:
    """A migrated ``backend`` database with the demo seeded and ``then(session)`` run in the same
    transaction, made the default; returns its URL (skips Postgres without a cluster)."""
    if backend == "postgres":
        if not POSTGRES_URL:
            pytest.skip("MIHAN_TEST_POSTGRES_URL is not set")
        url = POSTGRES_URL
        reset_postgres(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('bench') / 'bench.db'}"
    use_database(url)
    migrations.upgrade(url)
    monkeypatch = pytest.MonkeyPatch()
    use_fast_password_hashing(monkeypatch)
    with transaction() as session:
        seed_demo(session)
        then(session)
    monkeypatch.undo()
    return url
