"""The buyer's request form, validated: which category, what is needed, the budget, the days.

The budget follows the gig price rules (``app.catalog.inputs.Price``); the description is a
message's text (``app.messages.clean_body``) within the request's own bounds.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.catalog.inputs import Price
from app.buyer_requests.errors import RequestError
from app.buyer_requests.policy import POLICY, RequestPolicy
from app.offers.inputs import described, first_field, whole


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
    refusal = RequestError("request.invalid_description", low=policy.min_description, high=policy.max_description)
    description = described(form.get("description"), refusal, policy.min_description, policy.max_description)
    values = {
        "category_id": whole(form.get("category")),
        "description": description,
        "budget_minor": form.get("budget"),
        "delivery_days": whole(form.get("days")),
    }
    try:
        return RequestInput.model_validate(values)
    except ValidationError as exc:
        raise RequestError(_FIELD_KEYS.get(first_field(exc), "request.invalid_category"), high=policy.max_days) from None
