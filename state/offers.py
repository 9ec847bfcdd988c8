"""How a custom offer shows in a thread: the card's strings in both languages, and which buttons
the viewer gets (the buyer accepts or declines a pending offer, the seller withdraws it).

The handlers live on ``MessagesState`` (the thread they act on is its open conversation); this
module holds the pure parts, so the messages state stays about messages.
"""

from __future__ import annotations

from app.core.i18n import translate
from app.offers import OfferTerms
from models.offers import OfferStatus
from state.catalog import DAYS, both, money_text
from state.gig import REVISIONS
from state.orders import ORDER_PREFIX, when_text

STATUS_COLORS = {
    OfferStatus.PENDING: "amber",
    OfferStatus.ACCEPTED: "green",
    OfferStatus.DECLINED: "red",
    OfferStatus.WITHDRAWN: "gray",
    OfferStatus.EXPIRED: "gray",
}
BLANK = {
    "offer_id": "",
    "offer_price_ar": "",
    "offer_price_en": "",
    "offer_gig_ar": "",
    "offer_gig_en": "",
    "offer_terms_ar": "",
    "offer_terms_en": "",
    "offer_until_ar": "",
    "offer_until_en": "",
    "offer_status_ar": "",
    "offer_status_en": "",
    "offer_color": "gray",
    "offer_answer": "",
    "offer_withdraw": "",
    "offer_order": "",
}


def offer_view(terms: OfferTerms | None, *, mine: bool) -> dict[str, str]:
    """The offer card's fields for a thread line (blank for a line that is not an offer)."""
    if terms is None:
        return dict(BLANK)
    pending = terms.status is OfferStatus.PENDING
    price = money_text(terms.price.minor, terms.price.currency)
    gig = both(lambda lang: translate("offers.based_on", lang, title=terms.gig_title))
    shown_terms = both(lambda lang: translate("offers.terms", lang, days=DAYS.text(terms.delivery_days, lang), revisions=REVISIONS.text(terms.revisions, lang)))
    until = when_text(terms.expires_at)
    status = both(lambda lang: translate(f"offers.status_{terms.status.value}", lang))
    return {
        "offer_id": str(terms.id),
        "offer_price_ar": price["ar"],
        "offer_price_en": price["en"],
        "offer_gig_ar": gig["ar"],
        "offer_gig_en": gig["en"],
        "offer_terms_ar": shown_terms["ar"],
        "offer_terms_en": shown_terms["en"],
        "offer_until_ar": translate("offers.expires_at", "ar", when=until["ar"]) if pending else "",
        "offer_until_en": translate("offers.expires_at", "en", when=until["en"]) if pending else "",
        "offer_status_ar": status["ar"],
        "offer_status_en": status["en"],
        "offer_color": STATUS_COLORS[terms.status],
        "offer_answer": "1" if pending and not mine else "",
        "offer_withdraw": "1" if pending and mine else "",
        "offer_order": f"{ORDER_PREFIX}{terms.order_id}" if terms.order_id else "",
    }


def gig_options(gigs: list[tuple[int, str]]) -> list[dict[str, str]]:
    """The seller's active gigs for the offer form's select."""
    return [{"value": str(gig_id), "label": title} for gig_id, title in gigs]
