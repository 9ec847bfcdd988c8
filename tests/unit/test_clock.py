"""The clock: aware UTC "now", and a frozen clock tests can move."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.core import clock


def test_now_is_aware_utc_and_current():
    """Everything stored is compared against an aware UTC instant."""
    # given the real clock
    before = datetime.now(UTC)
    # when it is read
    now = clock.now()
    # then it is aware, UTC and current
    assert now.tzinfo is not None and now.utcoffset() == timedelta(0)
    assert before <= now <= datetime.now(UTC)


def test_frozen_clock_holds_moves_and_restores():
    """Tests and ``jobs run --now`` move time explicitly; afterwards real time returns."""
    # given a frozen instant
    start = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    with clock.frozen(start) as move:
        # when it is read twice, then moved
        assert clock.now() == start
        assert clock.now() == start
        move(start + timedelta(days=3))
        # then it reports the new instant
        assert clock.now() == start + timedelta(days=3)
    # and after the block the real clock is back
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)


def test_frozen_clock_is_restored_after_an_exception():
    """A failing test must not leave the clock frozen for the next one."""
    # given a frozen block that raises
    with pytest.raises(RuntimeError):
        with clock.frozen(datetime(2000, 1, 1, tzinfo=UTC)):
            raise RuntimeError("boom")
    # when the clock is read afterwards
    # then it is real time again
    assert clock.now().year >= 2025


def test_frozen_clocks_nest():
    """An inner freeze gives back the outer one, not real time."""
    # given two nested frozen instants
    outer = datetime(2026, 1, 1, tzinfo=UTC)
    inner = datetime(2027, 1, 1, tzinfo=UTC)
    with clock.frozen(outer):
        with clock.frozen(inner):
            assert clock.now() == inner
        # when the inner block ends
        # then the outer instant is back
        assert clock.now() == outer


def test_frozen_refuses_a_naive_datetime():
    """Naive datetimes are how time-zone bugs start."""
    # given a naive datetime
    # when the clock is frozen at it
    # then it is refused
    with pytest.raises(ValueError):
        with clock.frozen(datetime(2026, 1, 1)):
            pass


def test_as_utc_marks_naive_values_as_utc_and_keeps_aware_ones():
    """SQLite gives naive datetimes back; they were written in UTC."""
    # given a naive and an aware datetime
    naive = datetime(2026, 5, 1, 12, 0)
    riyadh = datetime(2026, 5, 1, 15, 0, tzinfo=timezone(timedelta(hours=3)))
    # when they are normalised
    # then the naive one becomes UTC and the aware one is the same instant
    assert clock.as_utc(naive) == datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    assert clock.as_utc(naive).tzinfo is UTC
    assert clock.as_utc(riyadh) == datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
