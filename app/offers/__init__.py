"""Custom offers (عروض خاصة): a seller's fixed terms for one buyer, sent in a conversation,
accepted into an unpaid order (then the buyer pays at checkout), declined, withdrawn or expired.

No Reflex here: the messages page's state and the tests call these functions.
"""

from app.offers.errors import OfferError
from app.offers.inputs import OfferInput, parse_offer
from app.offers.offers import OfferTerms, accept_offer, decline_offer, offerable_gigs, offers_in, send_offer, status_of, withdraw_offer
from app.offers.policy import POLICY, OfferPolicy

__all__ = [
    "POLICY",
    "OfferError",
    "OfferInput",
    "OfferPolicy",
    "OfferTerms",
    "accept_offer",
    "decline_offer",
    "offerable_gigs",
    "offers_in",
    "parse_offer",
    "send_offer",
    "status_of",
    "withdraw_offer",
]
