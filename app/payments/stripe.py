"""The Stripe gateway (UAE entities): the buyer pays on Stripe Checkout; we verify with the secret key.

Checkout Sessions (https://docs.stripe.com/api/checkout/sessions/create): ``start`` POSTs
``/v1/checkout/sessions`` form-encoded with HTTP Basic (the secret key, no password), ``mode=payment``,
one line item whose ``price_data`` carries the amount in the currency's smallest unit
(``unit_amount``, halalas or fils) and the lowercase currency, ``success_url`` and ``cancel_url``
(our return path with ``?reference=``), ``client_reference_id`` and ``metadata[mihan_reference]``
= our reference, and the header ``Idempotency-Key``; the buyer is sent to the session's ``url``.
Stripe keeps the first answer to an idempotency key and gives it again for the same parameters,
or ``400 idempotency_error`` for others (https://docs.stripe.com/api/idempotent_requests), so a
5xx or a time-out on create is followed by one more try under the same key: the same session,
never two. Our reference is derived from checkout's idempotency key before any call
(``_rows.derived_reference``), so a start whose transaction rolled back finds its session again
by repeating the same request.

Verification. ``verify`` always fetches the session with its PaymentIntent and the latest charge
(``GET /v1/checkout/sessions/{id}?expand[]=payment_intent.latest_charge``,
https://docs.stripe.com/api/checkout/sessions/object) and refuses (``payment.amount_mismatch``,
logged) a session or PaymentIntent whose amount or currency is not what was started. ``paid``
needs the session ``complete`` with ``payment_status=paid`` and its PaymentIntent ``succeeded``;
a session ``expired``, or complete but whose PaymentIntent is back to
``requires_payment_method``/``canceled`` (an asynchronous method that failed), is ``failed``;
anything else (still open, a 3-D Secure challenge in progress: ``requires_action``, an async
method ``processing``) stays ``initiated``.

Webhooks (https://docs.stripe.com/webhooks/signatures; the scheme as stripe-python's
``stripe/_webhook.py`` implements it): the ``Stripe-Signature`` header ``t=<unix>,v1=<hex>[,v1=…]``
is checked as HMAC-SHA256 with the endpoint's signing secret over ``"{t}.{raw body}"``, in
constant time against every ``v1`` (a secret being rolled signs twice), and ``t`` must be within
300 seconds of now, either side. The event (``checkout.session.completed``,
``checkout.session.async_payment_succeeded``/``failed``, ``checkout.session.expired``) only names
the session: it is fetched again before any money moves. Each event id is remembered with the
result it gave (``StripeWebhookEvent``), so a replay is answered without another call.

Refunds (https://docs.stripe.com/api/refunds/create): ``POST /v1/refunds`` with ``payment_intent``
and ``amount``, under the caller's key as ``Idempotency-Key``; a refund above what the session
paid less the refunds recorded here is refused before the call, and a 5xx or a time-out is tried
once more under the same key, which Stripe answers with the refund it made, if it made one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import replace
from typing import Any

import httpx
from sqlmodel import Session, func, select

from app.core import clock
from app.core.money import Money
from app.core.settings import STRIPE_CURRENCIES, StripeSettings, get_settings
from app.payments._http import once_more, opened, send
from app.payments._rows import by_reference, claim, derived_reference, insert_once, recalled, remembered
from app.payments.errors import PaymentError
from app.payments.gateway import PaymentResult, RefundResult, Started, check_refund, check_start, with_reference
from models.orders import PaymentStatus
from models.payments import StripeCheckout, StripeRefund, StripeWebhookEvent

log = logging.getLogger(__name__)

NAME = "stripe"
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
SIGNATURE_HEADER = "Stripe-Signature"
TOLERANCE = 300  # seconds, Stripe's libraries' default
REFERENCE_KEY = "mihan_reference"
# the events the endpoint subscribes to (written from a prefix: they are not catalogue keys)
EVENTS = frozenset("checkout.session." + name for name in ("completed", "async_payment_succeeded", "async_payment_failed", "expired"))
_REFERENCE = re.compile(r"stp_[A-Za-z0-9_-]{24}")
_FAILED_INTENT = frozenset({"requires_payment_method", "canceled"})


def reference_for(idempotency_key: str) -> str:
    """Our reference for the session made under ``idempotency_key`` (the same key, the same reference)."""
    return derived_reference("stp_", b"mihan stripe reference", idempotency_key)


def form_fields(values: Mapping[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """Stripe's form encoding of nested values: ``line_items[0][price_data][unit_amount]=…``."""
    pairs: list[tuple[str, str]] = []
    for key, value in values.items():
        name = f"{prefix}[{key}]" if prefix else str(key)
        if isinstance(value, Mapping):
            pairs += form_fields(value, name)
        elif isinstance(value, list):
            pairs += form_fields({str(i): item for i, item in enumerate(value)}, name)
        else:
            pairs.append((name, str(value)))
    return pairs


def sign(body: bytes, secret: str, timestamp: int) -> str:
    """The hex ``v1`` signature of ``body`` sent at ``timestamp``."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def verify_signature(header: str, body: bytes, secret: str, now: float, tolerance: int = TOLERANCE) -> None:
    """Check a ``Stripe-Signature`` header against the raw body.

    Raises:
        PaymentError: ``payment.bad_signature`` (no secret, no or unreadable header, no ``v1``
            matching, or a timestamp more than ``tolerance`` seconds away from ``now``).
    """
    parts = [item.split("=", 1) for item in header.split(",") if "=" in item]
    stamps = [value.strip() for key, value in parts if key.strip() == "t"]
    offered = [value.strip() for key, value in parts if key.strip() == "v1"]
    if not secret or len(stamps) != 1 or not stamps[0].isascii() or not stamps[0].isdigit() or not offered:
        raise PaymentError("payment.bad_signature")
    timestamp = int(stamps[0])
    expected = sign(body, secret, timestamp).encode()
    matched = False
    for candidate in offered:  # every one compared, in constant time each
        matched |= hmac.compare_digest(candidate.encode("utf-8", "surrogatepass"), expected)
    if not matched or abs(now - timestamp) > tolerance:
        raise PaymentError("payment.bad_signature")


def _money(record: Mapping[str, Any], amount_field: str) -> Money:
    amount, currency = record.get(amount_field), record.get("currency")
    if type(amount) is not int or not isinstance(currency, str) or len(currency) != 3:
        log.error("Stripe answered an unreadable %s: %r %r", amount_field, amount, currency)
        raise PaymentError("payment.gateway_error")
    return Money(amount, currency.upper())


def _text(record: Mapping[str, Any], name: str) -> str:
    value = record.get(name)
    if not isinstance(value, str) or not value or len(value) > 1000:
        log.error("Stripe answered without a usable %s", name)
        raise PaymentError("payment.gateway_error")
    return value


def get_checkout_row(session: Session, *, reference: object, lock: bool = False) -> StripeCheckout:
    """Our link to the session made for ``reference``.

    Raises:
        PaymentError: ``payment.unknown_payment``.
    """
    row = by_reference(session, StripeCheckout, reference, shape=_REFERENCE, lock=lock)
    if row.session_id is None:
        raise PaymentError("payment.unknown_payment")
    return row


def _ensure_started(row: StripeCheckout, money: Money, what: str, record_id: object) -> None:
    if money != Money(row.amount_minor, row.currency):
        log.error(
            "Stripe %s %s is for %s %s, but %s %s was started (reference %s): refused, no money moves",
            what, record_id, money.minor, money.currency, row.amount_minor, row.currency, row.reference,
        )
        raise PaymentError("payment.amount_mismatch")


class StripeGateway:
    """Stripe as a ``PaymentGateway``.

    Raises:
        ValueError: ``MIHAN_STRIPE_SECRET_KEY`` is not set, or ``MIHAN_STRIPE_CURRENCY`` is not AED or SAR.
    """

    name = NAME

    def __init__(self, settings: StripeSettings | None = None, *, client: httpx.Client | None = None) -> None:
        self._settings = settings or get_settings().stripe
        if not self._settings.secret_key:
            raise ValueError("MIHAN_PAYMENT_GATEWAYS names stripe, but MIHAN_STRIPE_SECRET_KEY is not set")
        if self._settings.currency not in STRIPE_CURRENCIES:
            raise ValueError("MIHAN_STRIPE_CURRENCY must be AED or SAR")
        self._client = client

    def __repr__(self) -> str:
        return f"StripeGateway({self._settings!r})"

    # -- HTTP -------------------------------------------------------------------------------

    def _open(self) -> AbstractContextManager[httpx.Client]:
        return opened(
            self._client,
            lambda: httpx.Client(base_url=self._settings.api_url, auth=(self._settings.secret_key, ""), timeout=TIMEOUT),
            "Stripe",
        )

    def _call(
        self, client: httpx.Client, method: str, path: str, *, form: Mapping[str, Any] | None = None, params: Any = None, key: str = ""
    ) -> dict[str, Any]:
        """One request (form-encoded in, JSON out); errors become ``Unavailable`` or ``PaymentError``."""
        headers = {"Idempotency-Key": key} if key else None
        response = send(client, method, path, form=form_fields(form) if form else None, params=params, headers=headers)
        try:
            answer = response.json()
        except ValueError:
            answer = None
        error = answer.get("error") if isinstance(answer, dict) and isinstance(answer.get("error"), dict) else {}
        if response.status_code == 404:
            raise PaymentError("payment.unknown_payment")
        if response.status_code in (401, 403):
            log.error("Stripe refused our secret key: HTTP %s on %s %s", response.status_code, method, path)
            raise PaymentError("payment.gateway_unavailable")
        if error.get("type") == "idempotency_error":
            log.error("Stripe refused idempotency key %s on %s %s: other parameters", key, method, path)
            raise PaymentError("payment.idempotency_conflict")
        if response.status_code >= 400 or not isinstance(answer, dict):
            log.error("Stripe refused %s %s: HTTP %s %r", method, path, response.status_code, error.get("code") or error.get("message"))
            raise PaymentError("payment.refund_too_much" if error.get("code") in ("amount_too_large", "charge_already_refunded") else "payment.gateway_error")
        return answer

    def _idempotent(self, client: httpx.Client, path: str, form: Mapping[str, Any], key: str) -> dict[str, Any]:
        """POST under ``key``; with no answer, once more under the same key (Stripe repeats its
        first answer to a key, so the retry cannot make a second object)."""
        return once_more(lambda: self._call(client, "POST", path, form=form, key=key), lambda: None, "Stripe")

    # -- start ------------------------------------------------------------------------------

    def start(
        self,
        session: Session,
        *,
        amount: Money,
        description: str,
        return_url: str,
        idempotency_key: str,
        metadata: Mapping[str, str],
    ) -> Started:
        """Create the Checkout Session for ``idempotency_key``, or return the one already made.

        Raises:
            PaymentError: ``payment.idempotency_conflict``, ``payment.gateway_unavailable``,
                ``payment.gateway_error``, ``payment.currency_unsupported`` (not
                ``MIHAN_STRIPE_CURRENCY``).
            ValueError: as ``gateway.check_start``; metadata that uses our key.
        """
        check_start(amount=amount, description=description, return_url=return_url, idempotency_key=idempotency_key, metadata=metadata)
        if amount.currency != self._settings.currency:
            log.error("Stripe is set to charge in %s; a payment in %s is refused", self._settings.currency, amount.currency)
            raise PaymentError("payment.currency_unsupported")
        if REFERENCE_KEY in metadata:
            raise ValueError(f"metadata key {REFERENCE_KEY} is the gateway's own")
        row = claim(session, StripeCheckout, idempotency_key=idempotency_key, reference=reference_for(idempotency_key), amount=amount)
        if row.session_id is None:
            back = get_settings().base_url + with_reference(return_url, row.reference)
            form = {
                "mode": "payment",
                "line_items": [
                    {"quantity": 1, "price_data": {"currency": amount.currency.lower(), "unit_amount": amount.minor, "product_data": {"name": description.strip()}}}
                ],
                "success_url": back,
                "cancel_url": back,
                "client_reference_id": row.reference,
                "metadata": {**metadata, REFERENCE_KEY: row.reference},
            }
            with self._open() as client:
                created = self._idempotent(client, "/v1/checkout/sessions", form, f"mihan-checkout:{idempotency_key}")
            _ensure_started(row, _money(created, "amount_total"), "session", created.get("id"))
            row.session_id, row.url, row.updated_at = _text(created, "id"), _text(created, "url"), clock.now()
            session.add(row)
            session.flush()
        return Started(reference=row.reference, redirect_url=row.url)

    # -- verify -----------------------------------------------------------------------------

    def _fetch(self, client: httpx.Client, row: StripeCheckout) -> dict[str, Any]:
        return self._call(client, "GET", f"/v1/checkout/sessions/{row.session_id}", params=[("expand[]", "payment_intent.latest_charge")])

    def verify(self, session: Session, *, reference: str) -> PaymentResult:
        """Fetch the session with its PaymentIntent with the secret key and say where it stands.

        Raises:
            PaymentError: ``payment.unknown_payment``, ``payment.amount_mismatch``,
                ``payment.gateway_unavailable``, ``payment.gateway_error``.
        """
        row = get_checkout_row(session, reference=reference)
        with self._open() as client:
            found = self._fetch(client, row)
        return self._result(row, found)

    def _result(self, row: StripeCheckout, found: Mapping[str, Any]) -> PaymentResult:
        started = _money(found, "amount_total")
        _ensure_started(row, started, "session", found.get("id"))
        if found.get("client_reference_id") != row.reference:
            log.error("Stripe session %s is not for reference %s", found.get("id"), row.reference)
            raise PaymentError("payment.amount_mismatch")
        metadata = found.get("metadata")
        waiting = PaymentResult(
            gateway=NAME,
            reference=row.reference,
            status=PaymentStatus.INITIATED,
            amount=started,
            refunded=Money(0, started.currency),
            metadata={k: v for k, v in metadata.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(metadata, dict) else {},
        )
        intent = found.get("payment_intent") if isinstance(found.get("payment_intent"), dict) else {}
        intent_status = intent.get("status")
        if intent:
            _ensure_started(row, _money(intent, "amount"), "payment_intent", intent.get("id"))
        if found.get("status") == "complete" and found.get("payment_status") == "paid" and intent_status == "succeeded":
            charge = intent.get("latest_charge") if isinstance(intent.get("latest_charge"), dict) else {}
            refunded = charge.get("amount_refunded", 0)
            return replace(waiting, status=PaymentStatus.PAID, refunded=Money(refunded if type(refunded) is int else 0, started.currency), message="payment.approved")
        if found.get("status") == "expired":
            return replace(waiting, status=PaymentStatus.FAILED, message="payment.expired")
        if found.get("status") == "complete" and intent_status in _FAILED_INTENT:
            return replace(waiting, status=PaymentStatus.FAILED, message="payment.declined")
        return replace(waiting, message="payment.challenge_required" if intent_status == "requires_action" else "")

    # -- webhooks ---------------------------------------------------------------------------

    def parse_webhook(self, session: Session, *, headers: Mapping[str, str], body: bytes) -> PaymentResult:
        """Check the ``Stripe-Signature``, then answer with the session as Stripe has it now.

        Raises:
            PaymentError: ``payment.bad_signature``, ``payment.bad_webhook``,
                ``payment.unknown_payment``, and ``verify``'s keys.
        """
        header = next((v for k, v in headers.items() if isinstance(k, str) and k.lower() == SIGNATURE_HEADER.lower()), "")
        verify_signature(header, body, self._settings.webhook_secret, clock.now().timestamp())
        try:
            event = json.loads(body)
            event_id, kind, found = event["id"], event["type"], event["data"]["object"]
        except (ValueError, TypeError, KeyError):
            raise PaymentError("payment.bad_webhook") from None
        if not isinstance(event_id, str) or not 0 < len(event_id) <= 255 or kind not in EVENTS or not isinstance(found, dict):
            raise PaymentError("payment.bad_webhook")
        seen = session.exec(select(StripeWebhookEvent).where(StripeWebhookEvent.event_id == event_id)).first()
        if seen is not None:
            log.info("Stripe event %s (%s) delivered again: answered from the first delivery", event_id, kind)
            return recalled(NAME, seen)
        session_id = found.get("id")
        row = session.exec(select(StripeCheckout).where(StripeCheckout.session_id == session_id)).first() if isinstance(session_id, str) else None
        if row is None:
            raise PaymentError("payment.unknown_payment")
        result = self.verify(session, reference=row.reference)
        insert_once(
            session,
            StripeWebhookEvent(event_id=event_id, type=kind, **remembered(result)),
            lambda: session.exec(select(StripeWebhookEvent).where(StripeWebhookEvent.event_id == event_id)).first(),
        )
        return result

    # -- refunds ----------------------------------------------------------------------------

    def refund(self, session: Session, *, reference: str, amount: Money, idempotency_key: str) -> RefundResult:
        """Refund ``amount`` of the paid session's PaymentIntent, once per ``idempotency_key``.

        Raises:
            PaymentError: ``payment.unknown_payment``, ``payment.not_refundable``,
                ``payment.refund_too_much``, ``payment.idempotency_conflict``,
                ``payment.amount_mismatch``, ``payment.gateway_unavailable``, ``payment.gateway_error``.
            ValueError: a non-positive amount or a bad key.
        """
        check_refund(amount=amount, idempotency_key=idempotency_key)
        row = get_checkout_row(session, reference=reference, lock=True)
        done = session.exec(select(StripeRefund).where(StripeRefund.idempotency_key == idempotency_key)).first()
        recorded = session.exec(select(func.coalesce(func.sum(StripeRefund.amount_minor), 0)).where(StripeRefund.checkout_id == row.id)).one()
        if done is not None:
            if done.checkout_id != row.id or done.amount_minor != amount.minor or amount.currency != row.currency:
                raise PaymentError("payment.idempotency_conflict")
            return RefundResult(reference=row.reference, refund_reference=done.refund_id, amount=amount, refunded=Money(int(recorded), row.currency))
        if amount.currency != row.currency or int(recorded) + amount.minor > row.amount_minor:
            raise PaymentError("payment.refund_too_much")
        with self._open() as client:
            found = self._fetch(client, row)
            if self._result(row, found).status is not PaymentStatus.PAID:
                raise PaymentError("payment.not_refundable")
            made = self._idempotent(client, "/v1/refunds", {"payment_intent": found["payment_intent"]["id"], "amount": amount.minor}, idempotency_key)
        if _money(made, "amount") != amount:
            log.error("Stripe refund %s is not for %s %s as asked", made.get("id"), amount.minor, amount.currency)
            raise PaymentError("payment.gateway_error")
        refund = StripeRefund(checkout_id=row.id, refund_id=_text(made, "id"), idempotency_key=idempotency_key, amount_minor=amount.minor, created_at=clock.now())  # type: ignore[arg-type]
        session.add(refund)
        session.flush()
        return RefundResult(reference=row.reference, refund_reference=refund.refund_id, amount=amount, refunded=Money(int(recorded) + amount.minor, row.currency))
