"""Which level a seller's record earns, and what stands between them and the next one (pure).

A level is earned when every criterion of its threshold is met; the seller holds the highest
level earned, so the ladder is recomputed from the record alone and a seller who falls below a
threshold drops back (Fiverr's monthly evaluation, here nightly). Nobody's unanswered messages
cannot count against a seller: with no buyer message yet, the response criterion is met.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from app.trust.metrics import SellerMetrics
from app.trust.policy import LevelPolicy, Threshold

LEVELS = ("new", "level1", "level2", "top")
CRITERIA = tuple(f.name for f in dataclasses.fields(Threshold))


@dataclass(frozen=True)
class Gap:
    """One criterion of the next level the seller does not meet yet: what they have and need."""

    criterion: str
    have: int | None
    need: int


@dataclass(frozen=True)
class Progress:
    level: str
    next_level: str | None  # None at the top
    gaps: tuple[Gap, ...]  # empty when the next level is only waiting for tonight's run


def _met(metrics: SellerMetrics, criterion: str, need: int) -> bool:
    have = getattr(metrics, criterion)
    if have is None:
        return criterion == "response" or need == 0
    return bool(have >= need)


def gaps(metrics: SellerMetrics, threshold: Threshold) -> tuple[Gap, ...]:
    """The criteria of ``threshold`` that ``metrics`` misses, in the threshold's order."""
    return tuple(
        Gap(criterion, getattr(metrics, criterion), getattr(threshold, criterion))
        for criterion in CRITERIA
        if not _met(metrics, criterion, getattr(threshold, criterion))
    )


def evaluate(metrics: SellerMetrics, policy: LevelPolicy) -> str:
    """The highest level whose every criterion ``metrics`` meets ("new" when none)."""
    earned = [name for name, threshold in policy.thresholds.items() if not gaps(metrics, threshold)]
    return earned[-1] if earned else "new"


def progress(metrics: SellerMetrics, level: str, policy: LevelPolicy) -> Progress:
    """Where a seller at ``level`` stands against the level above it."""
    index = LEVELS.index(level) if level in LEVELS else 0
    if index == len(LEVELS) - 1:
        return Progress(level=level, next_level=None, gaps=())
    upcoming = LEVELS[index + 1]
    return Progress(level=level, next_level=upcoming, gaps=gaps(metrics, policy.thresholds[upcoming]))
