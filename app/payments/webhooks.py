"""Where a gateway's word about a payment enters Mihan: one handler, one transaction.

Checkout registers the handler once (``register_result_handler``); every verified webhook —
the HTTP route ``POST /payments/webhook/<gateway>`` and the sandbox's in-process delivery
alike — reaches it through ``receive_webhook``. Gateways retry and replay webhooks, and the
buyer's return to the site reports the same result again, so the handler must be idempotent.

``receive_webhook`` is an entry point like an HTTP route, so it opens the transaction: the
check and the handler's effects (the order paid, the ledger posted) commit together or not at
all, and a handler that fails leaves nothing behind for the gateway's retry to trip over.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from sqlmodel import Session

from app.core.db import reading, transaction
from app.payments.errors import PaymentError
from app.payments.gateway import PaymentGateway, PaymentResult, ReturnsByPost

log = logging.getLogger(__name__)

# What it returns is ignored (checkout's handler returns the order it updated).
PaymentResultHandler = Callable[[Session, PaymentResult], object]
_handler: PaymentResultHandler | None = None


def register_result_handler(handler: PaymentResultHandler | None) -> PaymentResultHandler | None:
    """Make ``handler`` the one that hears every verified payment result (None: nobody).

    Returns the handler it replaces, so a test can put checkout's back.
    """
    global _handler
    previous, _handler = _handler, handler
    return previous


def receive_webhook(
    gateway: PaymentGateway, *, headers: Mapping[str, str], body: bytes, database_url: str | None = None
) -> PaymentResult:
    """Verify a webhook with ``gateway`` and hand its result to the registered handler.

    ``database_url`` names the database when it is not the configured one (the sandbox delivers
    to the database its payment was committed in).

    Raises:
        PaymentError: from ``gateway.parse_webhook`` (bad signature, unknown payment); nothing
            reached the handler.
    """
    with transaction(database_url) as session:
        result = gateway.parse_webhook(session, headers=headers, body=body)
        _handle(session, result)
    return result


def _handle(session: Session, result: PaymentResult) -> None:
    if _handler is None:
        log.warning("no payment result handler registered; %s %s %s dropped", result.gateway, result.reference, result.status)
    else:
        _handler(session, result)


def receive_return(gateway: PaymentGateway, *, form: Mapping[str, str]) -> str:
    """A buyer back from a gateway's page by a signed POST: check it, apply the payment's
    verified result (as a webhook would), and say which site path the buyer goes on to.

    Only the check can refuse: if the gateway cannot be asked now, the buyer still goes on, and
    the return page (or the webhook) asks again.

    Raises:
        PaymentError: from ``gateway.parse_return`` (a forged or foreign return); nothing was applied.
    """
    if not isinstance(gateway, ReturnsByPost):
        raise PaymentError("payment.unknown_gateway")
    with reading() as session:
        reference, target = gateway.parse_return(session, form=form)
    try:
        with transaction() as session:
            _handle(session, gateway.verify(session, reference=reference))
    except PaymentError as exc:
        log.warning("return for %s not applied now (%s): the return page asks again", reference, exc.key)
    return target
