"""The order state machine of docs/domain.md as data: who may do what, from which state.

Services look an action up here before touching anything, so the rules live in one table that
tests can walk exhaustively (tests/unit/test_order_machine.py) and the order page can ask which
buttons to show. Guards that need the order's numbers (revisions left, a late flag, a pending
cancellation request) are checked by the services, named in ``Move.guard``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from models.orders import OrderStatus


class Actor(StrEnum):
    BUYER = "buyer"
    SELLER = "seller"
    ADMIN = "admin"
    PLATFORM = "platform"  # jobs and verified gateway results


S = OrderStatus
OPEN = frozenset({S.AWAITING_REQUIREMENTS, S.IN_PROGRESS, S.DELIVERED})
CLOSED = frozenset({S.COMPLETED, S.CANCELLED, S.REFUNDED})


@dataclass(frozen=True)
class Move:
    actors: frozenset[Actor]
    sources: frozenset[OrderStatus]
    target: OrderStatus | None  # None: the state stays (a flag or a request changes)
    guard: str = ""


def _move(actors: set[Actor], sources: set[OrderStatus] | frozenset[OrderStatus], target: OrderStatus | None, guard: str = "") -> Move:
    return Move(frozenset(actors), frozenset(sources), target, guard)


B, SE, A, P = Actor.BUYER, Actor.SELLER, Actor.ADMIN, Actor.PLATFORM

MOVES: dict[str, Move] = {
    # paying starts the order; without requirements questions it goes straight to work
    "pay": _move({B, P}, {S.PLACED}, S.AWAITING_REQUIREMENTS),
    "abandon": _move({B, P}, {S.PLACED}, S.CANCELLED),
    "submit_requirements": _move({B}, {S.AWAITING_REQUIREMENTS}, S.IN_PROGRESS),
    "deliver": _move({SE}, {S.IN_PROGRESS}, S.DELIVERED),
    "request_revision": _move({B}, {S.DELIVERED}, S.IN_PROGRESS, guard="revisions_left"),
    "accept": _move({B}, {S.DELIVERED}, S.COMPLETED),
    "auto_complete": _move({P}, {S.DELIVERED}, S.COMPLETED, guard="review_window_over"),
    "mark_late": _move({P}, {S.IN_PROGRESS}, None, guard="past_due"),
    "cancel_late": _move({B}, {S.IN_PROGRESS}, S.CANCELLED, guard="is_late"),
    "request_cancellation": _move({B, SE}, OPEN, None, guard="no_request"),
    "withdraw_cancellation": _move({B, SE}, OPEN, None, guard="own_request"),
    "accept_cancellation": _move({B, SE}, OPEN, S.CANCELLED, guard="other_request"),
    "cancellation_timeout": _move({P}, OPEN, S.CANCELLED, guard="request_expired"),
    "dispute": _move({B, SE}, OPEN, S.DISPUTED),
    "resolve_release": _move({A}, {S.DISPUTED}, S.COMPLETED),
    "resolve_refund": _move({A}, {S.DISPUTED}, S.REFUNDED),
    "resolve_cancel": _move({A}, {S.DISPUTED}, S.CANCELLED),
}


def allowed(action: str, actor: Actor, status: OrderStatus | str) -> bool:
    """Whether ``actor`` may attempt ``action`` on an order in ``status`` (guards aside)."""
    move = MOVES.get(action)
    return move is not None and actor in move.actors and OrderStatus(status) in move.sources


def actions_for(actor: Actor, status: OrderStatus | str) -> list[str]:
    """The actions to offer ``actor`` on an order in ``status``, in table order."""
    return [action for action in MOVES if allowed(action, actor, status)]
