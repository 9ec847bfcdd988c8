"""The Moyasar gateway: the buyer pays on Moyasar's hosted invoice page; we verify with the secret key.

Invoices, not payments. Moyasar's Payments API (``POST /v1/payments``, made idempotent by
``given_id``, https://docs.moyasar.com/api/idempotency) needs a ``source``: the card number and
CVC, a token made from them, a wallet token. Card data must go from the browser straight to
Moyasar with the publishable key (PCI; payments.md §1.2), so a server cannot create a card
payment and then redirect the buyer to it: that flow needs Moyasar's JavaScript form on our
page, which is a later slice. The server-side redirect Moyasar offers is the Invoices API:
``POST /v1/invoices`` with the secret key answers with ``url``, Moyasar's hosted checkout page
(cards, mada, Apple Pay, with 3-D Secure on it), and sends the buyer back to ``success_url``
once paid or to ``back_url`` from its back button
(https://docs.moyasar.com/api/invoices/01-create-invoice). An invoice's ``callback_url`` is a
server notification that carries no secret (it is "not used to redirect the user"), so we do not
set it: results reach us through the buyer's return and the account's signed webhooks.

References. Invoices have no ``given_id``, and the return URLs are fixed when the invoice is
made, so our ``reference`` is known before the call: it is derived from checkout's idempotency
key with the installation's secret (``reference_for``), travels in ``success_url``/``back_url``
as ``?reference=`` and in the invoice's metadata (``mihan_reference``), and is what checkout's
``Payment.reference`` holds. ``MoyasarInvoice`` links it to Moyasar's invoice id and keeps the
amount that was asked for.

Idempotency. ``start`` claims the key by inserting the ``MoyasarInvoice`` row (a unique key) in
the caller's transaction before any call, so a concurrent start with the same key waits and
then reuses it. Before creating an invoice it looks one up by the reference in its metadata
(``GET /v1/invoices?metadata[mihan_reference]=…``; the list endpoints filter on metadata,
https://docs.moyasar.com/api/metadata), so an invoice made by an attempt whose transaction
rolled back afterwards is reused, not doubled; a 5xx or a time-out on create is followed by the
same lookup and, only if nothing was made, one more create. The key itself needs no separate
write: checkout derives it from committed state (order, gateway, failed attempts).

Verification. ``verify`` always fetches the invoice (with its payment attempts) with the secret
key, whatever the buyer's URL or the webhook said, and refuses (``payment.amount_mismatch``,
logged) an invoice or payment whose amount or currency is not what was started. A payment that
took money (``paid``, ``captured``, ``refunded``) makes the result ``paid``; an invoice that ended
without one (``failed``, ``expired``, ``canceled``, ``voided``) makes it ``failed`` with the
reason; anything else (no attempt yet, a 3-D Secure challenge in progress, an ``authorized``
hold, a failed attempt on an invoice that can still be paid) stays ``initiated``. The bank's
reason (``source.message``) becomes a catalogue key when it is one we know.

Webhooks (https://docs.moyasar.com/api/other/webhooks/webhook-reference): the envelope
``{id, type, created_at, secret_token, account_name, live, data}`` carries the dashboard's Secret
Token in the body, compared in constant time; the payment in ``data`` is only a hint: its
invoice is fetched again. Each event id is remembered with the result it gave
(``MoyasarWebhookEvent``), so Moyasar's retries and replays are answered without another call.

Refunds (``POST /v1/payments/{id}/refund {amount}``) carry no idempotency key at Moyasar, so
``refund`` compares Moyasar's ``refunded`` with the refunds recorded here before refunding: equal
means nothing is missing; ahead by exactly this amount means an earlier attempt went through but
its record was rolled back, so it is recorded, not repeated; anything else is refused for an
administrator to reconcile. A time-out is followed by the same comparison before one more try.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import httpx
from sqlmodel import Session, func, select

from app.core import clock
from app.core.money import Money
from app.core.settings import MoyasarSettings, get_settings
from app.payments._http import once_more, opened, send
from app.payments._rows import by_reference, claim, derived_reference, insert_once, recalled, remembered
from app.payments.errors import PaymentError
from app.payments.reasons import reason_for
from app.payments.gateway import PaymentResult, RefundResult, Started, check_refund, check_start, with_reference
from models.orders import PaymentStatus
from models.payments import MoyasarInvoice, MoyasarRefund, MoyasarWebhookEvent

log = logging.getLogger(__name__)

NAME = "moyasar"
TIMEOUT = httpx.Timeout(10.0, connect=5.0)  # every call is made inside the caller's transaction
INVOICE_LIFETIME = timedelta(days=1)  # checkout drops orders left unpaid for a day
REFERENCE_KEY = "mihan_reference"  # our metadata key on the invoice
_REFERENCE = re.compile(r"mys_[A-Za-z0-9_-]{24}")
_TAKEN = frozenset({"paid", "captured", "refunded"})  # payment statuses where money was taken
_ENDED = {  # invoice statuses that end it unpaid, and the reason when no attempt says why
    "failed": "payment.declined",
    "expired": "payment.expired",
    "canceled": "payment.canceled",
    "voided": "payment.voided",
}
T = TypeVar("T")


@dataclass(frozen=True)
class _Event:
    id: str
    type: str
    invoice_id: str | None


def reference_for(idempotency_key: str) -> str:
    """Our reference for the invoice made under ``idempotency_key``: the same key gives the same
    reference, and another installation (another secret) a different one."""
    return derived_reference("mys_", b"mihan moyasar reference", idempotency_key)


def reason_of(attempt: Mapping[str, Any]) -> str:
    """A failed attempt's reason: a catalogue key when the bank's message is one we know,
    otherwise the message itself (checkout shows unknown ones as «declined»)."""
    source = attempt.get("source")
    return reason_for(source.get("message") if isinstance(source, dict) else None)


def _money(record: Mapping[str, Any]) -> Money:
    amount, currency = record.get("amount"), record.get("currency")
    try:
        if type(amount) is not int or not isinstance(currency, str):
            raise ValueError
        return Money(amount, currency)
    except ValueError:
        log.error("Moyasar answered an unreadable amount: %r %r", amount, currency)
        raise PaymentError("payment.gateway_error") from None


def _minor(record: Mapping[str, Any], name: str) -> int:
    value = record.get(name) or 0
    if type(value) is not int or value < 0:
        log.error("Moyasar answered an unreadable %s: %r", name, value)
        raise PaymentError("payment.gateway_error")
    return value


def _text(record: Mapping[str, Any], name: str) -> str:
    value = record.get(name)
    if not isinstance(value, str) or not value or len(value) > 500:
        log.error("Moyasar answered without a usable %s", name)
        raise PaymentError("payment.gateway_error")
    return value


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def get_invoice_row(session: Session, *, reference: object, lock: bool = False) -> MoyasarInvoice:
    """Our link to the invoice made for ``reference`` (locked for update when ``lock``).

    Raises:
        PaymentError: ``payment.unknown_payment``.
    """
    row = by_reference(session, MoyasarInvoice, reference, shape=_REFERENCE, lock=lock)
    if row.invoice_id is None:  # claimed by a start whose call never answered
        raise PaymentError("payment.unknown_payment")
    return row


def _ensure_started(row: MoyasarInvoice, record: Mapping[str, Any], what: str) -> Money:
    """The record's money, if it is what was started; a changed record moves no money.

    Raises:
        PaymentError: ``payment.amount_mismatch`` (logged), ``payment.gateway_error``.
    """
    money = _money(record)
    if money != Money(row.amount_minor, row.currency):
        log.error(
            "Moyasar %s %s is for %s %s, but %s %s was started (reference %s): refused, no money moves",
            what, record.get("id"), money.minor, money.currency, row.amount_minor, row.currency, row.reference,
        )
        raise PaymentError("payment.amount_mismatch")
    return money


class MoyasarGateway:
    """Moyasar as a ``PaymentGateway``: what checkout, webhooks and refunds call.

    ``client`` is for tests that bring their own transport; by default each operation opens a
    client with HTTP Basic (the secret key, an empty password) and closes it.

    Raises:
        ValueError: ``MIHAN_MOYASAR_SECRET_KEY`` is not set (the gateway is switched on without it).
    """

    name = NAME

    def __init__(self, settings: MoyasarSettings | None = None, *, client: httpx.Client | None = None) -> None:
        self._settings = settings or get_settings().moyasar
        if not self._settings.secret_key:
            raise ValueError("MIHAN_PAYMENT_GATEWAYS names moyasar, but MIHAN_MOYASAR_SECRET_KEY is not set")
        self._client = client
        self._live = self._settings.secret_key.startswith("sk_live_")

    def __repr__(self) -> str:
        return f"MoyasarGateway({self._settings!r})"

    # -- HTTP -------------------------------------------------------------------------------

    def _open(self) -> AbstractContextManager[httpx.Client]:
        """A client for one operation; an unanswered call becomes ``payment.gateway_unavailable``."""
        return opened(
            self._client,
            lambda: httpx.Client(
                base_url=self._settings.api_url,
                auth=(self._settings.secret_key, ""),
                timeout=TIMEOUT,
                headers={"Accept": "application/json"},
            ),
            "Moyasar",
        )

    def _call(self, client: httpx.Client, method: str, path: str, *, body: object = None, params: Mapping[str, str] | None = None) -> dict[str, Any]:
        """One JSON request; errors become ``Unavailable`` (outcome unknown) or ``PaymentError``."""
        response = send(client, method, path, body=body, params=params)
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if response.status_code == 404:
            raise PaymentError("payment.unknown_payment")
        if response.status_code in (401, 403):
            log.error("Moyasar refused our secret key: HTTP %s on %s %s", response.status_code, method, path)
            raise PaymentError("payment.gateway_unavailable")
        if response.status_code >= 400 or not isinstance(answer, dict):
            message = answer.get("message") if isinstance(answer, dict) else None
            log.error("Moyasar refused %s %s: HTTP %s %r", method, path, response.status_code, message)
            raise PaymentError("payment.gateway_error")
        return answer

    @staticmethod
    def _once_more(call: Callable[[], T], done: Callable[[], T | None]) -> T:
        return once_more(call, done, "Moyasar")

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
        """Create the invoice for ``idempotency_key``, or return the one already made for it.

        Raises:
            PaymentError: ``payment.idempotency_conflict``, ``payment.gateway_unavailable``,
                ``payment.gateway_error``.
            ValueError: as ``gateway.check_start``; metadata that uses our key.
        """
        check_start(amount=amount, description=description, return_url=return_url, idempotency_key=idempotency_key, metadata=metadata)
        if REFERENCE_KEY in metadata:
            raise ValueError(f"metadata key {REFERENCE_KEY} is the gateway's own")
        now = clock.now()
        row = claim(session, MoyasarInvoice, idempotency_key=idempotency_key, reference=reference_for(idempotency_key), amount=amount)
        if row.invoice_id is None:
            back = get_settings().base_url + with_reference(return_url, row.reference)
            body = {
                "amount": amount.minor,
                "currency": amount.currency,
                "description": description.strip(),
                "success_url": back,
                "back_url": back,
                "expired_at": _iso(now + INVOICE_LIFETIME),
                "metadata": {**metadata, REFERENCE_KEY: row.reference},
            }
            with self._open() as client:
                invoice = self._find(client, row) or self._once_more(
                    lambda: self._call(client, "POST", "/invoices", body=body), lambda: self._find(client, row)
                )
            if _money(invoice) != amount:
                log.error("Moyasar invoice %s for reference %s is for other money", invoice.get("id"), row.reference)
                raise PaymentError("payment.idempotency_conflict")
            row.invoice_id, row.url, row.updated_at = _text(invoice, "id"), _text(invoice, "url"), clock.now()
            session.add(row)
            session.flush()
        return Started(reference=row.reference, redirect_url=row.url)

    def _find(self, client: httpx.Client, row: MoyasarInvoice) -> dict[str, Any] | None:
        """The invoice already made for ``row``'s reference, found by its metadata."""
        listing = self._call(client, "GET", "/invoices", params={f"metadata[{REFERENCE_KEY}]": row.reference})
        invoices = listing.get("invoices")
        ours = [
            invoice
            for invoice in (invoices if isinstance(invoices, list) else [])
            if isinstance(invoice, dict) and isinstance(invoice.get("metadata"), dict) and invoice["metadata"].get(REFERENCE_KEY) == row.reference
        ]
        if len(ours) > 1:
            log.error("Moyasar has %d invoices for reference %s; using the first", len(ours), row.reference)
        return ours[0] if ours else None

    # -- verify -----------------------------------------------------------------------------

    def verify(self, session: Session, *, reference: str) -> PaymentResult:
        """Fetch the invoice and its payment attempts with the secret key and say where it stands.

        Raises:
            PaymentError: ``payment.unknown_payment``, ``payment.amount_mismatch``,
                ``payment.gateway_unavailable``, ``payment.gateway_error``.
        """
        row = get_invoice_row(session, reference=reference)
        with self._open() as client:
            invoice = self._call(client, "GET", f"/invoices/{row.invoice_id}")
        return self._result(row, invoice)

    def _result(self, row: MoyasarInvoice, invoice: Mapping[str, Any]) -> PaymentResult:
        started = _ensure_started(row, invoice, "invoice")
        metadata = invoice.get("metadata")
        waiting = PaymentResult(
            gateway=NAME,
            reference=row.reference,
            status=PaymentStatus.INITIATED,
            amount=started,
            refunded=Money(0, started.currency),
            metadata={k: v for k, v in metadata.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(metadata, dict) else {},
        )
        attempts = [attempt for attempt in invoice.get("payments") or [] if isinstance(attempt, dict)]
        taken = next((attempt for attempt in attempts if attempt.get("status") in _TAKEN), None)
        if taken is not None:
            _ensure_started(row, taken, "payment")
            refunded = Money(_minor(taken, "refunded"), started.currency)
            return replace(waiting, status=PaymentStatus.PAID, refunded=refunded, message="payment.approved")
        last = attempts[-1] if attempts else {}
        reason = reason_of(last) if last.get("status") == "failed" else ""
        status = invoice.get("status")
        if isinstance(status, str) and status in _ENDED:
            return replace(waiting, status=PaymentStatus.FAILED, message=reason or _ENDED[status])
        return replace(waiting, message="payment.challenge_required" if last.get("status") == "initiated" else reason)

    # -- webhooks ---------------------------------------------------------------------------

    def parse_webhook(self, session: Session, *, headers: Mapping[str, str], body: bytes) -> PaymentResult:
        """Check the Secret Token in the body, then answer with the invoice as Moyasar has it now.

        A replayed event (same id) gets the result it got the first time, without a call.

        Raises:
            PaymentError: ``payment.bad_signature``, ``payment.bad_webhook``,
                ``payment.unknown_payment``, and ``verify``'s keys.
        """
        event = self._read_event(body)
        seen = session.exec(select(MoyasarWebhookEvent).where(MoyasarWebhookEvent.event_id == event.id)).first()
        if seen is not None:
            log.info("Moyasar event %s (%s) delivered again: answered from the first delivery", event.id, event.type)
            return recalled(NAME, seen)
        row = session.exec(select(MoyasarInvoice).where(MoyasarInvoice.invoice_id == event.invoice_id)).first() if event.invoice_id else None
        if row is None:
            raise PaymentError("payment.unknown_payment")
        result = self.verify(session, reference=row.reference)
        insert_once(
            session,
            MoyasarWebhookEvent(event_id=event.id, type=event.type, **remembered(result)),
            lambda: session.exec(select(MoyasarWebhookEvent).where(MoyasarWebhookEvent.event_id == event.id)).first(),
        )
        return result

    def _read_event(self, body: bytes) -> _Event:
        """The envelope, once its Secret Token matches ours (no token configured: nothing matches).

        Raises:
            PaymentError: ``payment.bad_webhook`` (not an event), ``payment.bad_signature``.
        """
        try:
            event = json.loads(body)
        except ValueError:
            raise PaymentError("payment.bad_webhook") from None
        if not isinstance(event, dict):
            raise PaymentError("payment.bad_webhook")
        token, expected = event.get("secret_token"), self._settings.webhook_secret
        if not expected or not isinstance(token, str) or not hmac.compare_digest(token.encode("utf-8", "surrogatepass"), expected.encode()):
            raise PaymentError("payment.bad_signature")
        event_id, kind, data, live = event.get("id"), event.get("type"), event.get("data"), event.get("live")
        if (
            not isinstance(event_id, str) or not 0 < len(event_id) <= 64
            or not isinstance(kind, str) or not kind.startswith("payment_") or len(kind) > 40
            or not isinstance(data, dict) or not isinstance(data.get("id"), str)
            or (isinstance(live, bool) and live != self._live)
        ):
            raise PaymentError("payment.bad_webhook")
        invoice_id = data.get("invoice_id")
        return _Event(id=event_id, type=kind, invoice_id=invoice_id if isinstance(invoice_id, str) else None)

    # -- refunds ----------------------------------------------------------------------------

    def refund(self, session: Session, *, reference: str, amount: Money, idempotency_key: str) -> RefundResult:
        """Refund ``amount`` of the paid payment, once per ``idempotency_key``.

        Raises:
            PaymentError: ``payment.unknown_payment``, ``payment.not_refundable``,
                ``payment.refund_too_much``, ``payment.idempotency_conflict``,
                ``payment.refund_out_of_sync``, ``payment.amount_mismatch``,
                ``payment.gateway_unavailable``, ``payment.gateway_error``.
            ValueError: a non-positive amount or a bad key.
        """
        check_refund(amount=amount, idempotency_key=idempotency_key)
        row = get_invoice_row(session, reference=reference, lock=True)  # one refund at a time per payment
        done = session.exec(select(MoyasarRefund).where(MoyasarRefund.idempotency_key == idempotency_key)).first()
        if done is not None:
            if done.invoice_row_id != row.id or done.amount_minor != amount.minor or amount.currency != row.currency:
                raise PaymentError("payment.idempotency_conflict")
            return self._refunded(row, done)
        if amount.currency != row.currency:
            raise PaymentError("payment.refund_too_much")
        recorded = session.exec(select(func.coalesce(func.sum(MoyasarRefund.amount_minor), 0)).where(MoyasarRefund.invoice_row_id == row.id)).one()
        with self._open() as client:
            payment = self._taken_payment(client, row)
            payment_id, before = _text(payment, "id"), _minor(payment, "refunded")
            if before == recorded + amount.minor:
                log.warning("Moyasar payment %s already has this %s refund: recorded, not repeated", payment_id, amount.minor)
                after = before
            elif before != recorded:
                log.error("Moyasar payment %s has %s refunded, Mihan recorded %s: refund refused", payment_id, before, recorded)
                raise PaymentError("payment.refund_out_of_sync")
            elif before + amount.minor > row.amount_minor:
                raise PaymentError("payment.refund_too_much")
            else:
                after = self._refund_once(client, payment_id, amount.minor, before)
        refund = MoyasarRefund(
            invoice_row_id=row.id,  # type: ignore[arg-type]
            payment_id=payment_id,
            idempotency_key=idempotency_key,
            amount_minor=amount.minor,
            refunded_after_minor=after,
            created_at=clock.now(),
        )
        session.add(refund)
        session.flush()
        return self._refunded(row, refund)

    def _taken_payment(self, client: httpx.Client, row: MoyasarInvoice) -> dict[str, Any]:
        """The invoice's payment that took the money, as Moyasar has it now.

        Raises:
            PaymentError: ``payment.not_refundable`` (nothing was paid), ``payment.amount_mismatch``.
        """
        invoice = self._call(client, "GET", f"/invoices/{row.invoice_id}")
        _ensure_started(row, invoice, "invoice")
        attempts = invoice.get("payments") or []
        taken = next((a for a in attempts if isinstance(a, dict) and a.get("status") in _TAKEN), None)
        if taken is None:
            raise PaymentError("payment.not_refundable")
        _ensure_started(row, taken, "payment")
        return taken

    def _refund_once(self, client: httpx.Client, payment_id: str, amount_minor: int, before: int) -> int:
        """POST the refund; after no answer, re-fetch ``refunded`` before trying once more."""
        expected = before + amount_minor

        def refund() -> int:
            return _minor(self._call(client, "POST", f"/payments/{payment_id}/refund", body={"amount": amount_minor}), "refunded")

        def went_through() -> int | None:
            now = _minor(self._call(client, "GET", f"/payments/{payment_id}"), "refunded")
            if now not in (before, expected):
                log.error("Moyasar payment %s moved from %s to %s refunded during our refund", payment_id, before, now)
                raise PaymentError("payment.refund_out_of_sync")
            return now if now == expected else None

        after = self._once_more(refund, went_through)
        if after != expected:
            log.error("Moyasar payment %s has %s refunded after our refund, expected %s", payment_id, after, expected)
            raise PaymentError("payment.refund_out_of_sync")
        return after

    @staticmethod
    def _refunded(row: MoyasarInvoice, refund: MoyasarRefund) -> RefundResult:
        return RefundResult(
            reference=row.reference,
            refund_reference=f"{refund.payment_id}:{refund.refunded_after_minor}",
            amount=Money(refund.amount_minor, row.currency),
            refunded=Money(refund.refunded_after_minor, row.currency),
        )
