"""Where a seller stands: their measured record, their stored level and the next level's gaps.

The stored level is the one the nightly job gave (it decides commission and clearance until the
next run); the gaps are measured now, so a seller sees progress the same day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from app.trust.levels import Progress, progress
from app.trust.metrics import SellerMetrics, seller_metrics
from app.trust.policy import Threshold, get_level_policy
from models.accounts import SellerProfile


@dataclass(frozen=True)
class Standing:
    metrics: SellerMetrics
    progress: Progress
    next_threshold: Threshold | None  # what the next level asks for; None at the top


def seller_standing(session: Session, *, seller_id: int, now: datetime) -> Standing:
    """Measure ``seller_id`` (a seller) and compare them with the level above theirs."""
    level = session.exec(select(SellerProfile.level).where(SellerProfile.user_id == seller_id)).one()
    policy = get_level_policy()
    metrics = seller_metrics(session, seller_id=seller_id, now=now)
    standing = progress(metrics, level, policy)
    threshold = policy.thresholds[standing.next_level] if standing.next_level else None
    return Standing(metrics=metrics, progress=standing, next_threshold=threshold)
