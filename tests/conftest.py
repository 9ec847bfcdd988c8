"""Shared fixtures: an isolated data dir, a fresh database per test on SQLite and Postgres.

The environment is set before any Mihan module reads its settings, so tests never touch the
developer's ./data. Postgres runs when MIHAN_TEST_POSTGRES_URL is set (``make test`` sets it
with scripts/with-postgres.sh); otherwise its parametrisations are skipped. Under pytest-xdist
every worker process has its own data dir and its own Postgres database.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

_DATA = Path(tempfile.mkdtemp(prefix="mihan-test-"))
os.environ["MIHAN_DATA_DIR"] = str(_DATA)
os.environ["REFLEX_DB_URL"] = f"sqlite:///{_DATA / 'default.db'}"
os.environ.pop("MIHAN_SMTP_HOST", None)
os.environ.setdefault("REFLEX_TELEMETRY_ENABLED", "false")

import pytest  # noqa: E402
from sqlalchemy import text  # noqa: E402

import models  # noqa: E402
from app.core import db  # noqa: E402
from app.core.settings import get_settings  # noqa: E402

_CLUSTER_URL = os.environ.get("MIHAN_TEST_POSTGRES_URL", "")
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1… when `make test` runs tests in parallel
# Each parallel worker resets its database between tests, so each gets its own on the one cluster.
POSTGRES_URL = f"{_CLUSTER_URL}_{_WORKER}" if _CLUSTER_URL and _WORKER else _CLUSTER_URL
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgres: runs on the throw-away Postgres cluster")
    if POSTGRES_URL != _CLUSTER_URL:
        _create_worker_database()


def _create_worker_database() -> None:
    """Create this worker's database beside the cluster's (dropped with the cluster)."""
    name = POSTGRES_URL.rsplit("/", 1)[1]
    engine = db.get_engine(_CLUSTER_URL).execution_options(isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name").bindparams(name=name)).first() is None:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    db.dispose_engines()


def use_database(url: str) -> None:
    """Make ``url`` the database every service and handler uses by default."""
    os.environ["REFLEX_DB_URL"] = url
    get_settings.cache_clear()
    db.dispose_engines()


def reset_postgres(url: str) -> None:
    engine = db.get_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres" and not POSTGRES_URL:
        pytest.skip("MIHAN_TEST_POSTGRES_URL is not set")
    return request.param


def _database_url(backend: str, tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'mihan.db'}" if backend == "sqlite" else POSTGRES_URL


@pytest.fixture
def empty_database(backend: str, tmp_path: Path) -> Iterator[str]:
    """An empty database (no tables) of each backend, made the default."""
    url = _database_url(backend, tmp_path)
    if backend == "postgres":
        reset_postgres(url)
    use_database(url)
    yield url
    db.dispose_engines()


# The full-text objects the catalogue migration creates by hand (create_all cannot): an FTS5
# table on SQLite, a tsvector column with its GIN index on Postgres. Keep in step with
# alembic/versions/*_catalogue.py; test_migrations checks the migrated schema itself.
SQLITE_INDEX = (
    "CREATE VIRTUAL TABLE gig_fts USING fts5("
    "t_exact, t_stem, t_concept, t_root, d_exact, d_stem, d_concept, d_root, "
    "content='', tokenize=\"unicode61 remove_diacritics 0 categories 'L* N* Co Mn'\")",
)
POSTGRES_INDEX = (
    "ALTER TABLE gig_search_doc ADD COLUMN tsv tsvector",
    "CREATE INDEX ix_gig_search_doc_tsv ON gig_search_doc USING gin (tsv)",
)


def _create_tables(url: str) -> None:
    """Every table and the search index (``create_all`` is allowed in tests only)."""
    engine = db.get_engine(url)
    models.metadata.create_all(engine)
    with engine.begin() as connection:
        for statement in SQLITE_INDEX if engine.dialect.name == "sqlite" else POSTGRES_INDEX:
            connection.execute(text(statement))


def migrate(url: str) -> None:
    """The schema the migrations build, with the taxonomy they seed."""
    from app.core import migrations

    migrations.upgrade(url)


_TEMPLATES: set[tuple[str, str]] = set()  # (backend, kind) built in this process


def _template_url(backend: str, kind: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{_DATA / f'template-{kind}.db'}"
    return f"{POSTGRES_URL}_{kind}"


def _maintenance_engine():  # type: ignore[no-untyped-def]
    """A connection to the cluster's own ``postgres`` database, which no test uses, for
    creating and dropping the databases the tests do use."""
    return db.get_engine(POSTGRES_URL.rsplit("/", 1)[0] + "/postgres").execution_options(isolation_level="AUTOCOMMIT")


def _template(backend: str, kind: str, build: Callable[[str], None]) -> str:
    """The database ``build`` makes, known as ``kind``, built once per process: building it per test (Alembic's
    whole chain, or ``create_all`` on Postgres) was most of the suite's time; copying it is not."""
    url = _template_url(backend, kind)
    if (backend, kind) not in _TEMPLATES:
        if backend == "postgres":
            name = url.rsplit("/", 1)[1]
            with _maintenance_engine().connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        else:
            Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        use_database(url)
        build(url)
        db.dispose_engines()  # no connection may stay open on a template (and SQLite's WAL is folded in)
        _TEMPLATES.add((backend, kind))
    return url


def copy_of(backend: str, kind: str, tmp_path: Path, build: Callable[[str], None]) -> Iterator[str]:
    """A fresh database of ``backend``, a copy of the ``kind`` template ``build`` makes, made the
    default (a fixture's body: ``yield from copy_of(...)``)."""
    template = _template(backend, kind, build)
    url = _database_url(backend, tmp_path)
    db.dispose_engines()
    if backend == "sqlite":
        shutil.copyfile(template.removeprefix("sqlite:///"), url.removeprefix("sqlite:///"))
    else:
        name, source = url.rsplit("/", 1)[1], template.rsplit("/", 1)[1]
        with _maintenance_engine().connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source}"'))
    use_database(url)
    yield url
    db.dispose_engines()


@pytest.fixture
def database(backend: str, tmp_path: Path) -> Iterator[str]:
    """A fresh database with every table and the search index, made the default."""
    yield from copy_of(backend, "tables", tmp_path, _create_tables)


@pytest.fixture
def outbox() -> Path:
    """The mail outbox folder, emptied for the test."""
    folder = get_settings().outbox_dir
    if folder.exists():
        for item in folder.iterdir():
            item.unlink()
    return folder


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run browser journeys last: fast feedback first, and Playwright's sync API keeps an event
    loop running in the main thread until the session ends, which would break tests that drive
    async handlers with ``asyncio.run``."""
    e2e = Path(__file__).with_name("e2e")
    items.sort(key=lambda item: item.path.is_relative_to(e2e))


@pytest.fixture
def migrated_database(backend: str, tmp_path: Path) -> Iterator[str]:
    """A fresh database built by the migrations (with the full-text index and seeded taxonomy)."""
    yield from copy_of(backend, "migrated", tmp_path, migrate)


@pytest.fixture
def fresh_lexicon(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The bundled lexicon before and after the test, whatever admins' terms it loads."""
    from app.search import lexicon
    from app.search.analyzer import DEFAULT_LEXICON_ENTRIES, Lexicon, set_lexicon

    monkeypatch.setattr(lexicon, "_loaded", None)
    yield
    set_lexicon(Lexicon(DEFAULT_LEXICON_ENTRIES))
    lexicon._loaded = None
