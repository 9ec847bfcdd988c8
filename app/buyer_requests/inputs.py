"""The buyer's request form, validated: which category, what is needed, the budget, the days.

The budget follows the gig price rules (``app.catalog.inputs.Price``); the description is a
message's text (``app.messages.clean_body``) within the request's own bounds.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.catalog.inputs import Price
from app.buyer_requests.errors import RequestError
from app.buyer_requests.policy import POLICY, RequestPolicy
from app.messages import MessageError, clean_body
from app.offers.inputs import whole


class RequestInput(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    category_id: int = Field(gt=0, lt=2**62)
    description: str
    budget_minor: Price
    delivery_days: int = Field(ge=1, le=POLICY.max_days)


_FIELD_KEYS = {"category_id": "request.invalid_category", "budget_minor": "request.invalid_budget", "delivery_days": "request.invalid_days"}


def parse_request(data: object, policy: RequestPolicy = POLICY) -> RequestInput:
    """Validate the form (``category``, ``description``, ``budget``, ``days``); raise
    ``RequestError`` naming the first wrong field."""
    form = data if isinstance(data, dict) else {}
    try:
        description = clean_body(form.get("description"), required=True)
    except MessageError as exc:
        raise RequestError("request.invalid_description", low=policy.min_description, high=policy.max_description) from exc
    if not policy.min_description <= len(description) <= policy.max_description:
        raise RequestError("request.invalid_description", low=policy.min_description, high=policy.max_description)
    values = {
        "category_id": whole(form.get("category")),
        "description": description,
        "budget_minor": form.get("budget"),
        "delivery_days": whole(form.get("days")),
    }
    try:
        return RequestInput.model_validate(values)
    except ValidationError as exc:
        field = str(exc.errors()[0]["loc"][0])
        raise RequestError(_FIELD_KEYS.get(field, "request.invalid_category"), high=policy.max_days) from None
