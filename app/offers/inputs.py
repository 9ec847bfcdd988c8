"""The seller's offer form, validated: which gig, what, for how much, in how many days.

The price follows the gig price rules (``app.catalog.inputs.Price``: SAR as text or number,
Latin or Arabic-Indic digits, at least the minimum gig price); the description is a message's
text (``app.messages.clean_body``) within the offer's own bounds.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.catalog.inputs import Price
from app.core.errors import MihanError
from app.messages import MessageError, clean_body
from app.offers.errors import OfferError
from app.offers.policy import POLICY, OfferPolicy


class OfferInput(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    gig_id: int = Field(gt=0, lt=2**62)
    description: str
    price_minor: Price
    delivery_days: int = Field(ge=1, le=POLICY.max_days)
    revisions: int = Field(ge=0, le=POLICY.max_revisions)
    expires_days: int = Field(ge=1, le=POLICY.max_expiry_days)


_FIELD_KEYS = {
    "gig_id": "offer.invalid_gig",
    "price_minor": "offer.invalid_price",
    "delivery_days": "offer.invalid_days",
    "revisions": "offer.invalid_revisions",
    "expires_days": "offer.invalid_expiry",
}


def parse_offer(data: object, policy: OfferPolicy = POLICY) -> OfferInput:
    """Validate the offer form (``gig``, ``description``, ``price``, ``days``, ``revisions``,
    ``expires``); raise ``OfferError`` naming the first wrong field."""
    form = data if isinstance(data, dict) else {}
    refusal = OfferError("offer.invalid_description", low=policy.min_description, high=policy.max_description)
    description = described(form.get("description"), refusal, policy.min_description, policy.max_description)
    values = {
        "gig_id": whole(form.get("gig")),
        "description": description,
        "price_minor": form.get("price"),
        "delivery_days": whole(form.get("days")),
        "revisions": whole(form.get("revisions", 0)),
        "expires_days": whole(form.get("expires", policy.default_expiry_days)),
    }
    try:
        return OfferInput.model_validate(values)
    except ValidationError as exc:
        field = first_field(exc)
        raise OfferError(_FIELD_KEYS.get(field, "offer.invalid_gig"), high=_high(field, policy)) from None


def described(value: object, refusal: MihanError, low: int, high: int) -> str:
    """A description as a message's text (``clean_body``) of ``low`` to ``high`` characters;
    else raise ``refusal`` (an offer's or a request's own sentence)."""
    try:
        text = clean_body(value, required=True)
    except MessageError:
        raise refusal from None
    if not low <= len(text) <= high:
        raise refusal
    return text


def first_field(exc: ValidationError) -> str:
    """The name of the first field pydantic refused (its sentence is the one to show)."""
    return str(exc.errors()[0]["loc"][0])


def whole(value: object) -> object:
    """A whole number typed in a form (``"7"``, ``"٧"``) or sent as one; anything else is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip().translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
        return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None
    return value if isinstance(value, int) else None


def _high(field: str, policy: OfferPolicy) -> int:
    return {"delivery_days": policy.max_days, "revisions": policy.max_revisions, "expires_days": policy.max_expiry_days}.get(field, 0)
