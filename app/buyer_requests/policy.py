"""The numbers of buyer requests, in one frozen value the services read (tests may pass their own)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class RequestPolicy:
    min_description: int = 20
    max_description: int = 2000
    max_days: int = 90
    lifetime: timedelta = timedelta(days=14)  # an open request leaves the board after this
    per_day: int = 5  # requests one buyer may post in 24 hours
    per_page: int = 20
    max_reason: int = 500


POLICY = RequestPolicy()
