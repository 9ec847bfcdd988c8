"""The numbers of custom offers, in one frozen value the services read (tests may pass their own)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OfferPolicy:
    min_description: int = 10
    max_description: int = 1500
    max_days: int = 90  # like a package's delivery time
    max_revisions: int = 20
    max_expiry_days: int = 14
    default_expiry_days: int = 7
    per_day: int = 30  # offers one seller may send in 24 hours, across conversations


POLICY = OfferPolicy()
