"""The order state machine table: who may move an order where (docs/domain.md)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.orders.machine import CLOSED, MOVES, OPEN, Actor, actions_for, allowed
from models.orders import OrderStatus as S


def test_closed_orders_offer_nothing_to_anyone() -> None:
    for status in CLOSED:
        for actor in Actor:
            assert actions_for(actor, status) == []


def test_a_buyer_pays_answers_asks_revisions_and_accepts() -> None:
    assert actions_for(Actor.BUYER, S.PLACED) == ["pay", "abandon"]
    assert "submit_requirements" in actions_for(Actor.BUYER, S.AWAITING_REQUIREMENTS)
    assert {"request_revision", "accept", "dispute"} <= set(actions_for(Actor.BUYER, S.DELIVERED))
    assert "deliver" not in actions_for(Actor.BUYER, S.IN_PROGRESS)


def test_only_the_seller_delivers_and_only_admins_resolve() -> None:
    assert allowed("deliver", Actor.SELLER, S.IN_PROGRESS)
    assert not allowed("deliver", Actor.SELLER, S.DELIVERED)
    assert not allowed("accept", Actor.SELLER, S.DELIVERED)
    for outcome in ("resolve_release", "resolve_refund", "resolve_cancel"):
        assert allowed(outcome, Actor.ADMIN, S.DISPUTED)
        assert not allowed(outcome, Actor.BUYER, S.DISPUTED)
        assert not allowed(outcome, Actor.ADMIN, S.IN_PROGRESS)


def test_an_unknown_action_is_never_allowed() -> None:
    assert not allowed("teleport", Actor.ADMIN, S.DISPUTED)


def test_disputes_and_cancellations_apply_to_open_orders_only() -> None:
    for status in S:
        assert allowed("dispute", Actor.BUYER, status) == (status in OPEN)
        assert allowed("request_cancellation", Actor.SELLER, status) == (status in OPEN)
    assert not allowed("request_cancellation", Actor.BUYER, S.PLACED)


@given(st.lists(st.tuples(st.sampled_from(list(MOVES)), st.sampled_from(list(Actor))), max_size=40))
def test_any_walk_through_allowed_moves_stays_in_known_states(steps: list[tuple[str, Actor]]) -> None:
    """Closed states are absorbing; every target is a real state; nothing leaves CLOSED."""
    status = S.PLACED
    for action, actor in steps:
        if not allowed(action, actor, status):
            continue
        target = MOVES[action].target
        assert status not in CLOSED
        if target is not None:
            status = target
        assert status in set(S)
