"""The order clock's defaults (docs/domain.md, "Defaults at a glance").

One frozen value the services read, so a pilot can change a number in one place and tests can
pass their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class OrderPolicy:
    auto_complete_after: timedelta = timedelta(days=3)
    cancellation_window: timedelta = timedelta(hours=48)
    # A revision asked after (or just before) the due time still leaves the seller this long.
    revision_grace: timedelta = timedelta(days=1)
    unpaid_for: timedelta = timedelta(days=1)  # an order left unpaid this long is dropped
    clearance: timedelta = timedelta(days=14)
    clearance_top: timedelta = timedelta(days=7)  # top-level sellers (domain.md)
    max_quantity: int = 10
    max_note: int = 2000
    max_message: int = 5000


POLICY = OrderPolicy()
