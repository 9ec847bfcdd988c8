"""Engine, sessions and transactions.

Only the CLI, state handlers and HTTP routes open transactions (``transaction()`` for writes,
``reading()`` for reads); services receive the session and flush but never commit.

SQLite gets WAL, foreign keys and a busy timeout on every connection, and write transactions
start with ``BEGIN IMMEDIATE`` so two writers queue instead of failing half-way: that is the
SQLite counterpart of the row locks (``SELECT ... FOR UPDATE``) used on Postgres.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
import logging
from threading import Lock

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

from app.core.settings import get_settings

log = logging.getLogger(__name__)
_engines: dict[str, Engine] = {}
_engines_lock = Lock()
_AFTER_COMMIT = "mihan_after_commit"
_AFTER_ROLLBACK = "mihan_after_rollback"


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # type: ignore[no-untyped-def]
        immediate = connection.get_execution_options().get("sqlite_immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def get_engine(url: str | None = None) -> Engine:
    """Return the (cached) engine for ``url``, by default the configured database."""
    url = url or get_settings().database_url
    with _engines_lock:
        engine = _engines.get(url)
        if engine is None:
            parsed = make_url(url)
            if parsed.get_backend_name() == "sqlite":
                if parsed.database and parsed.database != ":memory:":
                    Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
                engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})
                _configure_sqlite(engine)
            else:
                engine = create_engine(url, pool_pre_ping=True)
            _engines[url] = engine
        return engine


def dispose_engines() -> None:
    """Close every pooled connection (tests and forks call this)."""
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


@contextmanager
def transaction(url: str | None = None) -> Iterator[Session]:
    """Open a write transaction: commit on success, roll back on any exception.

    Callbacks registered with ``on_commit`` run after a successful commit only.
    """
    engine = get_engine(url)
    bind = engine.execution_options(sqlite_immediate=True) if engine.dialect.name == "sqlite" else engine
    with Session(bind, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            _run(session.info.pop(_AFTER_ROLLBACK, []))
            raise
        session.info.pop(_AFTER_ROLLBACK, None)
        _run(session.info.pop(_AFTER_COMMIT, []))


def _run(callbacks: list[Callable[[], None]]) -> None:
    for callback in callbacks:
        try:
            callback()
        except Exception:  # the outcome stands; a failed side effect is logged, not raised
            log.exception("after-transaction callback failed")


@contextmanager
def reading(url: str | None = None) -> Iterator[Session]:
    """Open a read-only session (never commits)."""
    with Session(get_engine(url), expire_on_commit=False) as session:
        try:
            yield session
        finally:
            session.rollback()


def on_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run ``callback`` once the session's transaction has committed (mail, reindexing)."""
    session.info.setdefault(_AFTER_COMMIT, []).append(callback)


def on_rollback(session: Session, callback: Callable[[], None]) -> None:
    """Run ``callback`` if the session's transaction rolls back (remove a file written early)."""
    session.info.setdefault(_AFTER_ROLLBACK, []).append(callback)
