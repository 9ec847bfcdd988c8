"""The demo catalogue, migrated and seeded on each backend, for the judged-query tests."""

from __future__ import annotations

import pytest

from app.core.db import transaction
from app.demo import seed_demo
from tests.passwords import use_fast_password_hashing


@pytest.fixture
def demo_catalogue(migrated_database: str, monkeypatch: pytest.MonkeyPatch) -> str:
    use_fast_password_hashing(monkeypatch)
    with transaction() as session:
        seed_demo(session)
    return migrated_database
