"""The review clock's defaults (docs/domain.md, "Defaults at a glance": review window / reveal).

One frozen value the services read, so a pilot can change a number in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class ReviewPolicy:
    window: timedelta = timedelta(days=14)  # a party may review this long after completion
    reveal_after: timedelta = timedelta(days=10)  # a lone review becomes public this long after completion
    max_text: int = 1500
    max_reply: int = 1000
    per_page: int = 10


POLICY = ReviewPolicy()
