"""The one source of "now", so tests and ``mihan jobs run --now`` can move time."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

_now: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def now() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return _now()


@contextmanager
def frozen(at: datetime) -> Iterator[Callable[[datetime], None]]:
    """Freeze the clock at ``at``; yields a function that moves it to another instant."""
    global _now
    if at.tzinfo is None:
        raise ValueError("the clock only holds aware datetimes")
    current = [at]
    previous = _now
    _now = lambda: current[0]  # noqa: E731

    def move(to: datetime) -> None:
        current[0] = to

    try:
        yield move
    finally:
        _now = previous


def as_utc(value: datetime) -> datetime:
    """Treat a naive datetime read back from SQLite as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)
