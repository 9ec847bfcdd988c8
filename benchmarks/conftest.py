"""Benchmarks reuse the test fixtures (isolated data dir, fresh databases)."""

from tests.conftest import backend, database, empty_database, migrated_database  # noqa: F401
