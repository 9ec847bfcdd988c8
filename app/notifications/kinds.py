"""Every kind of notification: its text (``notify.<kind>`` in the catalogue), where it links
and the e-mail preference group it belongs to. One table, so a kind queued anywhere without an
entry here is refused when it is queued (``queue.queue_notifications``) and by a test that walks
the code."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


MESSAGE = "message"  # «رسالة جديدة»: mailed only while still unread after a delay


class Group(StrEnum):
    """The e-mail preference groups (the bell always shows every kind)."""

    ORDERS = "orders"
    MESSAGES = "messages"
    OFFERS = "offers"  # custom offers and buyer requests
    REVIEWS = "reviews"
    PAYMENTS = "payments"
    MODERATION = "moderation"


class Target(StrEnum):
    """Where a notification leads."""

    ORDER = "order"  # /orders/<order_id>
    MESSAGES = "messages"  # the order's thread, else /messages
    WALLET = "wallet"
    SELLER_GIGS = "seller_gigs"
    REQUESTS = "requests"  # /requests
    NONE = "none"  # nothing more to see than the text


@dataclass(frozen=True)
class Kind:
    group: Group
    target: Target

    def text_key(self, name: str) -> str:
        return f"notify.{name}"


def _kinds(group: Group, target: Target, *names: str) -> dict[str, Kind]:
    return {name: Kind(group, target) for name in names}


KINDS: dict[str, Kind] = {
    **_kinds(
        Group.ORDERS,
        Target.ORDER,
        "new",
        "requirements_submitted",
        "delivered",
        "revision_requested",
        "completed",
        "cancellation_requested",
        "cancellation_withdrawn",
        "cancelled",
        "late",
    ),
    **_kinds(Group.MESSAGES, Target.MESSAGES, MESSAGE),
    **_kinds(Group.OFFERS, Target.MESSAGES, "offer_received", "offer_declined", "offer_withdrawn"),
    **_kinds(Group.OFFERS, Target.ORDER, "offer_accepted"),
    **_kinds(Group.MODERATION, Target.REQUESTS, "request_removed"),
    **_kinds(Group.MODERATION, Target.SELLER_GIGS, "identity_approved", "identity_rejected", "identity_withdrawn"),
    **_kinds(Group.REVIEWS, Target.ORDER, "review_received", "review_revealed", "review_replied"),
    **_kinds(Group.REVIEWS, Target.SELLER_GIGS, "level_up", "level_down"),
    **_kinds(Group.PAYMENTS, Target.ORDER, "transfer_confirmed", "transfer_rejected", "transfer_expired"),
    **_kinds(Group.PAYMENTS, Target.ORDER, "paid_twice", "tipped", "tip_kept_in_wallet", "refunded", "card_refunded"),
    **_kinds(Group.PAYMENTS, Target.WALLET, "card_refund_failed"),
    **_kinds(Group.PAYMENTS, Target.WALLET, "cleared", "tip_cleared", "payout_paid", "payout_rejected"),
    **_kinds(Group.MODERATION, Target.ORDER, "disputed"),
    **_kinds(Group.MODERATION, Target.MESSAGES, "contact_warning"),
    **_kinds(Group.MODERATION, Target.SELLER_GIGS, "gig_approved", "gig_rejected", "gig_suspended", "reported_gig_actioned"),
    **_kinds(Group.MODERATION, Target.NONE, "report_dismissed", "report_actioned", "reported_review_actioned", "reported_user_actioned"),
}


def kind_of(name: str) -> Kind:
    """The registry entry of ``name``; an unknown kind is a programming error."""
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown notification kind {name!r}: add it to app/notifications/kinds.py") from None


def link_for(name: str, order_id: int | None) -> str:
    """The path a notification opens ("" when there is nothing more to see)."""
    target = kind_of(name).target
    if target is Target.ORDER:
        return f"/orders/{order_id}" if order_id else ""
    if target is Target.MESSAGES:
        return f"/orders/{order_id}" if order_id else "/messages"
    return {Target.WALLET: "/wallet", Target.SELLER_GIGS: "/seller/gigs", Target.REQUESTS: "/requests"}.get(target, "")
