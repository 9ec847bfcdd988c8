"""Buyer requests (طلبات الخدمات): a buyer posts a need in a category with a budget; sellers with
an active gig there see it on their board and answer once each with a custom offer; the buyer
compares the offers and accepts one (the offers path: an unpaid order, then checkout), which
closes the request. Moderators remove requests that break the rules.

No Reflex here: the requests pages' state and the tests call these functions.
"""

from app.buyer_requests.errors import RequestError
from app.buyer_requests.inputs import RequestInput, parse_request
from app.buyer_requests.policy import POLICY, RequestPolicy
from app.buyer_requests.requests import (
    Answer,
    RequestCard,
    RequestPage,
    answer_request,
    board,
    close_request,
    get_request,
    my_requests,
    post_request,
    remove_request,
    status_of,
)

__all__ = [
    "POLICY",
    "Answer",
    "RequestCard",
    "RequestError",
    "RequestInput",
    "RequestPage",
    "RequestPolicy",
    "answer_request",
    "board",
    "close_request",
    "get_request",
    "my_requests",
    "parse_request",
    "post_request",
    "remove_request",
    "status_of",
]
