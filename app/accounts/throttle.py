"""Log-in throttling: 5 failures for an account or from an IP start a 15-minute cool-down.

Failures count from the later of (now - window) and the key's last success, so a person who
finally types the right password starts clean.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from app.accounts.errors import AccountError
from app.core import clock
from models.accounts import LoginAttempt

MAX_FAILURES = 5
COOL_DOWN = timedelta(minutes=15)


def _blocked_until(session: Session, column, value: str, now: datetime) -> datetime | None:  # type: ignore[no-untyped-def]
    since = now - COOL_DOWN
    last_success = session.exec(
        select(func.max(LoginAttempt.created_at)).where(column == value, LoginAttempt.succeeded.is_(True))
    ).one()
    if last_success is not None:
        since = max(since, clock.as_utc(last_success))
    failures = session.exec(
        select(LoginAttempt.created_at)
        .where(column == value, LoginAttempt.succeeded.is_(False), LoginAttempt.created_at > since)
        .order_by(LoginAttempt.created_at.desc())
        .limit(MAX_FAILURES)
    ).all()
    if len(failures) < MAX_FAILURES:
        return None
    return clock.as_utc(failures[0]) + COOL_DOWN


def ensure_not_throttled(session: Session, *, email: str, ip: str) -> None:
    """Raise ``auth.throttled`` (with the minutes left) while the account or IP cools down."""
    now = clock.now()
    until = [
        t
        for t in (
            _blocked_until(session, LoginAttempt.email, email, now),
            _blocked_until(session, LoginAttempt.ip, ip, now) if ip else None,
        )
        if t is not None
    ]
    if until:
        minutes = max(1, -(-int((max(until) - now).total_seconds()) // 60))
        raise AccountError("auth.throttled", minutes=minutes)


def record_attempt(session: Session, *, email: str, ip: str, succeeded: bool) -> None:
    session.add(LoginAttempt(email=email[:254], ip=ip[:64], succeeded=succeeded, created_at=clock.now()))
    session.flush()
