"""The demo catalogue, migrated and seeded on each backend, for the judged-query tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.db import transaction
from app.demo import seed_demo
from tests.conftest import copy_of, migrate
from tests.passwords import use_fast_password_hashing


def _seeded(url: str) -> None:
    migrate(url)
    with transaction(url) as session:
        seed_demo(session)


@pytest.fixture
def demo_catalogue(backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A copy of the migrated database with the demo seeded (seeding it per test was the slow part)."""
    use_fast_password_hashing(monkeypatch)
    yield from copy_of(backend, "demo", tmp_path, _seeded)
