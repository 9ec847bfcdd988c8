"""The order clock's defaults (docs/domain.md, "Defaults at a glance"), and the rules of tips.

One frozen value the services read, so a pilot can change a number in one place and tests can
pass their own. The tip rules are plain functions of the order, the giver and the amount that
return the refusal's message key (or ``None``): the service raises it, and the order page asks
the same function whether to offer the tip card at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from app.core.clock import as_utc
from app.core.money import Money
from app.orders.machine import Actor
from models.orders import Order, OrderStatus


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
    # tips after completion, as on Fiverr: within a month, 5.00 to 1000.00 of the order's currency
    tip_window: timedelta = timedelta(days=30)
    tip_min_minor: int = 500
    tip_max_minor: int = 100_000
    tip_presets_minor: tuple[int, ...] = (1_000, 2_500, 5_000)  # the order page's buttons


POLICY = OrderPolicy()


def tip_refusal(order: Order, actor: Actor, now: datetime, policy: OrderPolicy = POLICY) -> str | None:
    """Why ``actor`` may not tip ``order`` at ``now`` (a message key), or None if they may.

    Only the buyer tips, only a completed order, and only within the window after completion.
    Whether a tip was already given is the service's to check (it needs the database).
    """
    if actor is not Actor.BUYER:
        return "order.tip_buyer_only"
    if order.status != OrderStatus.COMPLETED.value or order.closed_at is None:
        return "order.tip_not_completed"
    if as_utc(order.closed_at) + policy.tip_window < now:
        return "order.tip_too_late"
    return None


def tip_amount_refusal(amount: object, currency: str, policy: OrderPolicy = POLICY) -> str | None:
    """Why ``amount`` cannot be a tip on an order in ``currency`` (a message key), or None.

    ``Money`` already guarantees whole halalas; anything else (a float, a string) is refused
    here rather than rounded.
    """
    if not isinstance(amount, Money):
        return "order.tip_invalid_amount"
    if amount.currency != currency:
        return "order.tip_wrong_currency"
    if not policy.tip_min_minor <= amount.minor <= policy.tip_max_minor:
        return "order.tip_invalid_amount"
    return None
