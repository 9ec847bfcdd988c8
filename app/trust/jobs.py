"""The nightly ``levels`` job: measure every seller not measured since the last nightly moment
(03:00 in Riyadh by default) and move them to the level their record earns.

``app.orders.jobs.run_all`` runs it with the order jobs, every minute inside ``mihan run``, but
only the sellers checked before the last nightly moment are candidates, so each seller is
measured once a night. The step re-reads the profile under its row lock and re-checks that it
is still stale, so a second worker (or a second run) measures nobody twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from app.core.clock import as_utc
from app.notifications.queue import queue_notifications
from app.trust.levels import LEVELS, evaluate
from app.trust.metrics import seller_metrics
from app.trust.policy import LevelPolicy, get_level_policy
from models.accounts import SellerProfile


def last_nightly(now: datetime, policy: LevelPolicy) -> datetime:
    """The latest nightly moment at or before ``now`` (in UTC)."""
    zone = ZoneInfo(policy.timezone)
    local = now.astimezone(zone)
    moment = datetime.combine(local.date(), policy.nightly_at, tzinfo=zone)
    if moment > local:
        moment = datetime.combine(local.date() - timedelta(days=1), policy.nightly_at, tzinfo=zone)
    return moment.astimezone(UTC)


def _stale(now: datetime) -> ColumnElement[bool]:
    checked = col(SellerProfile.level_checked_at)
    return checked.is_(None) | (checked < last_nightly(now, get_level_policy()))


def recompute_level(session: Session, *, profile_id: int, now: datetime) -> bool:
    """Measure one stale seller and store the level earned; True when the level changed.

    A change queues a ``level_up`` or ``level_down`` notification for the seller.
    """
    profile = session.exec(select(SellerProfile).where(SellerProfile.id == profile_id).with_for_update()).first()
    policy = get_level_policy()
    if profile is None or (profile.level_checked_at is not None and as_utc(profile.level_checked_at) >= last_nightly(now, policy)):
        return False
    earned = evaluate(seller_metrics(session, seller_id=profile.user_id, now=now), policy)
    before, profile.level, profile.level_checked_at = profile.level, earned, now
    session.add(profile)
    if earned == before:
        return False
    kind = "level_up" if LEVELS.index(earned) > (LEVELS.index(before) if before in LEVELS else 0) else "level_down"
    queue_notifications(session, kind, [profile.user_id], order_id=None, now=now)
    return True


def candidates(now: datetime) -> dict[str, tuple[ColumnElement[bool], Callable[..., bool]]]:
    """The job as ``app.orders.jobs`` runs its own: the stale sellers, and the step."""
    return {"levels": (_stale(now), recompute_level)}
