"""The offer card's terms line counts days and revisions in Arabic's number forms."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.core.money import Money
from app.offers import OfferTerms
from models.offers import OfferStatus
from state.offers import offer_view


def _terms(days: int, revisions: int) -> OfferTerms:
    return OfferTerms(
        id=7,
        message_id=1,
        gig_title="تعليق صوتي",
        price=Money(15_000, "SAR"),
        delivery_days=days,
        revisions=revisions,
        status=OfferStatus.PENDING,
        expires_at=datetime(2030, 1, 1, tzinfo=UTC),
        order_id=None,
    )


@pytest.mark.parametrize(
    ("days", "revisions", "arabic", "english"),
    [
        (1, 0, "مدة التسليم: يوم واحد · بلا تعديلات", "Delivery: 1 day · No revisions"),
        (2, 1, "مدة التسليم: يومان · تعديل واحد", "Delivery: 2 days · 1 revision"),
        (3, 2, "مدة التسليم: 3 أيام · تعديلان", "Delivery: 3 days · 2 revisions"),
        (14, 11, "مدة التسليم: 14 يومًا · 11 تعديلًا", "Delivery: 14 days · 11 revisions"),
    ],
)
def test_terms_inflect_days_and_revisions(days: int, revisions: int, arabic: str, english: str) -> None:
    view = offer_view(_terms(days, revisions), mine=False)
    assert (view["offer_terms_ar"], view["offer_terms_en"]) == (arabic, english)
