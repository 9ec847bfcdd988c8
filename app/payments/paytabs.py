"""The PayTabs gateway: the buyer pays on PayTabs' hosted payment page; we verify with the server key.

The contract is PayTabs' PT2 API as payments.md §2 sums it up, from PayTabs' own pages:

* Hosted payment page: ``POST {region host}/payment/request`` with the raw server key in the
  ``authorization`` header and ``profile_id, tran_type "sale", tran_class "ecom", cart_id,
  cart_currency, cart_amount, cart_description, callback, return`` in the body; the answer's
  ``redirect_url`` is the page, ``tran_ref`` PayTabs' reference
  (https://docs.paytabs.com/PT2-API-Endpoints/Integration-Types-Manuals/Hosted-Payment-Page/HPP-Step-3-Initiating-Payment/HPP-Initiating-Payment).
  ``cart_amount`` is in major units: we send a decimal string made from the integer minor units
  (``"150.00"``), and read PayTabs' amounts as ``Decimal``, never as floats. ``customer_details``
  are optional on the hosted page: without them PayTabs asks the buyer for the billing details
  itself (https://docs.paytabs.com/PT2-API-Endpoints/Integration-Types-Manuals/Request-Response-Parameters/Request-Response-Customer-Details),
  so no personal data leaves Mihan for it.
* The region host: a profile's server key only works on its own region's host
  (``MIHAN_PAYTABS_REGION``, ``settings.PAYTABS_HOSTS``).
* Query: ``POST /payment/query {profile_id, tran_ref}`` gives the transaction as PayTabs has it
  (https://docs.paytabs.com/PT2-API-Endpoints/Integration-Types-Manuals/Hosted-Payment-Page/HPP-Step-7-Manage-Transactions/HPP-Step-7-Query-Transaction);
  ``{profile_id, cart_id}`` the transactions of a cart (PayTabs' Postman collection; read as a
  list or a single transaction, *verify*).
* Result: ``payment_result.response_status`` (https://support.paytabs.com/en/support/solutions/articles/60000711358):
  ``A`` authorised is paid; ``H`` (held for review) and ``P`` (pending) wait; ``D`` declined,
  ``E`` error, ``V`` voided, ``X`` expired and ``C`` cancelled end it unpaid, with the bank's
  ``response_message`` as the reason (``reasons.reason_for``).
* Callback/IPN: PayTabs POSTs the transaction as JSON with a ``Signature`` header, the hex
  HMAC-SHA256 of the raw body keyed by the server key, compared in constant time over the raw
  bytes (https://support.paytabs.com/en/support/solutions/articles/60000718961-how-to-verify-the-response-received-from-paytabs-signature-verification-).
* Return: the buyer's browser POSTs a form (``tranRef, cartId, respStatus, …, signature``) to
  ``return``; its signature is the HMAC-SHA256 of the other non-empty fields sorted by name and
  URL-encoded (same article; its worked example is a unit test).
* Refund: the same ``/payment/request`` with ``tran_type "refund"`` and the sale's ``tran_ref``,
  for all or part of the amount
  (https://docs.paytabs.com/PT2-API-Endpoints/Integration-Types-Manuals/Hosted-Payment-Page/HPP-Step-7-Manage-Transactions/HPP-Step-7-Refund-Transaction).

References and idempotency. Our ``reference`` is derived from checkout's idempotency key
(``pts_…``) and is the ``cart_id`` PayTabs knows the payment by. ``start`` claims the key by
inserting the ``PaytabsPayment`` row before any call. A create that is not answered (5xx,
time-out) is sent once more with the same ``cart_id``: PayTabs refuses a request repeating a
recent ``cart_id`` as a duplicate (response code 4, payments.md §2.1 [secondary]), so if the
first one did make a page the retry makes none, and since that page's address never reached us
nor the buyer, nobody can pay it: the buyer is told to try again in a few minutes and no
money can be taken twice. The buyer's return (``POST /payments/return/paytabs``) and the
callback (``POST /payments/webhook/paytabs``) are absolute URLs from ``MIHAN_BASE_URL``.

Verification. ``verify`` always queries the transaction with the server key and refuses
(``payment.amount_mismatch``, logged) one whose ``cart_amount`` or ``cart_currency`` is not what
was started, or that is not the sale of this cart. A callback is checked, then answered from the
first delivery of the same body (``PaytabsNotification``), else queried again: its body is only a
hint.

Refunds carry no idempotency key at PayTabs, so each refund gets its own ``cart_id`` derived from
its idempotency key and is looked up by it before it is sent (a refund whose record was rolled
back, or whose answer was lost, is found and recorded, not repeated). A refund above what is
left of the payment is refused before any call.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
from collections.abc import Mapping
from contextlib import AbstractContextManager
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

import httpx
from babel.numbers import get_currency_precision
from sqlmodel import Session, func, select

from app.core import clock
from app.core.money import Money
from app.core.settings import PAYTABS_HOSTS, PaytabsSettings, get_settings
from app.payments._http import Unavailable, opened, send
from app.payments._rows import by_key, by_reference, derived_reference, insert_once, recalled, remembered
from app.payments.errors import PaymentError
from app.payments.gateway import PaymentResult, RefundResult, Started, check_refund, check_start, with_reference
from app.payments.reasons import reason_for
from models.orders import PaymentStatus
from models.payments import PaytabsNotification, PaytabsPayment, PaytabsRefund

log = logging.getLogger(__name__)

NAME = "paytabs"
TIMEOUT = httpx.Timeout(10.0, connect=5.0)  # every call is made inside the caller's transaction
SIGNATURE_HEADER = "signature"
WEBHOOK_PATH = "/payments/webhook/paytabs"
RETURN_PATH = "/payments/return/paytabs"
DUPLICATE = 4  # PayTabs' response code for a request repeating a recent cart_id
_REFERENCE = re.compile(r"pts_[A-Za-z0-9_-]{24}")
_PROFILE = re.compile(r"[0-9]{1,12}")
_TRAN_REF = re.compile(r"[A-Za-z0-9]{1,64}")
_WAITING = {"H": "payment.held", "P": "payment.pending"}
_ENDED = {"D": "payment.declined", "E": "payment.declined", "V": "payment.voided", "X": "payment.expired", "C": "payment.canceled"}
_REFUNDED = frozenset({"A", "P"})  # a refund PayTabs accepted (a pending one completes on its side)


class _Duplicate(Exception):
    """PayTabs refused a request as repeating a recent ``cart_id``."""


def minor_to_decimal(amount: Money) -> str:
    """``cart_amount`` for PayTabs: major units as a decimal string ("150.00"), from minor units."""
    digits = get_currency_precision(amount.currency)
    return f"{Decimal(amount.minor).scaleb(-digits):.{digits}f}"


def decimal_to_money(value: object, currency: object) -> Money:
    """PayTabs' ``cart_amount`` (a decimal string or JSON number read as ``Decimal``) as Money.

    Raises:
        ValueError: not an amount of whole minor units of an ISO currency.
    """
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal) or not isinstance(currency, str):
        raise ValueError("not an amount")
    try:
        scaled = Decimal(value).scaleb(get_currency_precision(currency))
    except (InvalidOperation, ValueError):
        raise ValueError("not an amount") from None
    if not scaled.is_finite() or scaled != scaled.to_integral_value():
        raise ValueError("not an amount")
    return Money(int(scaled), currency)


def sign_body(server_key: str, body: bytes) -> str:
    """The callback/IPN ``Signature``: hex HMAC-SHA256 of the raw body with the server key."""
    return hmac.new(server_key.encode(), body, hashlib.sha256).hexdigest()


def canonical_return(form: Mapping[str, str]) -> str:
    """The return form as PayTabs signs it: without ``signature`` and empty values, sorted by
    name, URL-encoded as PHP's ``http_build_query`` (``@`` becomes ``%40``)."""
    return urlencode(sorted((k, v) for k, v in form.items() if k != "signature" and v != ""))


def sign_return(server_key: str, form: Mapping[str, str]) -> str:
    return hmac.new(server_key.encode(), canonical_return(form).encode(), hashlib.sha256).hexdigest()


def _same(given: object, expected: str) -> bool:
    return isinstance(given, str) and hmac.compare_digest(given.strip().lower().encode("utf-8", "surrogatepass"), expected.encode())


def _header(headers: Mapping[str, str], name: str) -> str:
    wanted = name.lower()
    return next((value for key, value in headers.items() if isinstance(key, str) and key.lower() == wanted), "")


def _text(record: Mapping[str, Any], name: str, shape: re.Pattern[str] | None = None) -> str:
    value = record.get(name)
    if not isinstance(value, str) or not value or len(value) > 500 or (shape is not None and not shape.fullmatch(value)):
        log.error("PayTabs answered without a usable %s", name)
        raise PaymentError("payment.gateway_error")
    return value


def _status(record: Mapping[str, Any]) -> tuple[str, str]:
    """The transaction's ``payment_result``: (response_status, response_message)."""
    result = record.get("payment_result")
    if not isinstance(result, dict) or not isinstance(result.get("response_status"), str):
        log.error("PayTabs answered a transaction without payment_result")
        raise PaymentError("payment.gateway_error")
    message = result.get("response_message")
    return result["response_status"].upper(), message if isinstance(message, str) else ""


def _is(record: Mapping[str, Any], tran_type: str) -> bool:
    kind = record.get("tran_type")
    return isinstance(kind, str) and kind.lower() == tran_type


def get_payment_row(session: Session, *, reference: object, lock: bool = False) -> PaytabsPayment:
    """Our link to the transaction made for ``reference`` (locked for update when ``lock``).

    Raises:
        PaymentError: ``payment.unknown_payment``.
    """
    row = by_reference(session, PaytabsPayment, reference, shape=_REFERENCE, lock=lock)
    if row.tran_ref is None:  # claimed by a start whose call never answered
        raise PaymentError("payment.unknown_payment")
    return row


def _refunded(session: Session, row: PaytabsPayment) -> int:
    total = session.exec(select(func.coalesce(func.sum(PaytabsRefund.amount_minor), 0)).where(PaytabsRefund.payment_row_id == row.id)).one()
    return int(total)


class PaytabsGateway:
    """PayTabs as a ``PaymentGateway`` (and a gateway whose buyers return by a signed POST).

    ``client`` is for tests that bring their own transport; by default each operation opens a
    client with the server key in the ``authorization`` header and closes it.

    Raises:
        ValueError: PayTabs is switched on without ``MIHAN_PAYTABS_PROFILE_ID`` or
            ``MIHAN_PAYTABS_SERVER_KEY``, or with a region PayTabs does not have.
    """

    name = NAME

    def __init__(self, settings: PaytabsSettings | None = None, *, client: httpx.Client | None = None) -> None:
        self._settings = settings or get_settings().paytabs
        if not self._settings.server_key or not _PROFILE.fullmatch(self._settings.profile_id):
            raise ValueError("MIHAN_PAYMENT_GATEWAYS names paytabs, but MIHAN_PAYTABS_PROFILE_ID (digits) or MIHAN_PAYTABS_SERVER_KEY is not set")
        if not self._settings.api_url_override and self._settings.region not in PAYTABS_HOSTS:
            raise ValueError(f"MIHAN_PAYTABS_REGION={self._settings.region!r} is not one of {', '.join(PAYTABS_HOSTS)}")
        self._client = client

    def __repr__(self) -> str:
        return f"PaytabsGateway({self._settings!r})"

    # -- HTTP -------------------------------------------------------------------------------

    def _open(self) -> AbstractContextManager[httpx.Client]:
        return opened(
            self._client,
            lambda: httpx.Client(
                base_url=self._settings.api_url,
                timeout=TIMEOUT,
                headers={"authorization": self._settings.server_key, "Accept": "application/json"},
            ),
            "PayTabs",
        )

    def _call(self, client: httpx.Client, path: str, body: Mapping[str, Any]) -> Any:
        """POST ``body`` (with our profile id) to ``path``; PayTabs' JSON answer, amounts as Decimal.

        Raises:
            Unavailable: no answer, or a 5xx.
            _Duplicate: refused as repeating a recent ``cart_id``.
            PaymentError: ``payment.gateway_unavailable`` (our key refused),
                ``payment.gateway_error`` (any other refusal).
        """
        response = send(client, "POST", path, body={"profile_id": int(self._settings.profile_id), **body})
        try:
            answer = json.loads(response.content, parse_float=Decimal)
        except ValueError:
            answer = None
        code = answer.get("code") if isinstance(answer, dict) else None
        if response.status_code in (401, 403):
            log.error("PayTabs refused our server key: HTTP %s on %s (is MIHAN_PAYTABS_REGION the profile's?)", response.status_code, path)
            raise PaymentError("payment.gateway_unavailable")
        if code == DUPLICATE:
            raise _Duplicate(path)
        if response.status_code >= 400 or answer is None or code is not None:
            message = answer.get("message") if isinstance(answer, dict) else None
            log.error("PayTabs refused %s: HTTP %s code %r %r", path, response.status_code, code, message)
            raise PaymentError("payment.gateway_error")
        return answer

    def _query(self, client: httpx.Client, tran_ref: str) -> dict[str, Any]:
        answer = self._call(client, "/payment/query", {"tran_ref": tran_ref})
        if not isinstance(answer, dict):
            raise PaymentError("payment.gateway_error")
        return answer

    def _cart(self, client: httpx.Client, cart_id: str) -> list[dict[str, Any]]:
        """The transactions PayTabs has for ``cart_id`` (none: an empty list)."""
        try:
            answer = self._call(client, "/payment/query", {"cart_id": cart_id})
        except PaymentError as exc:
            if exc.key == "payment.gateway_error":
                return []  # PayTabs answers a cart it does not know with an error
            raise
        found = answer if isinstance(answer, list) else [answer]
        return [t for t in found if isinstance(t, dict) and t.get("cart_id") == cart_id]

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
        """Create the hosted payment page for ``idempotency_key``, or return the one already made.

        Raises:
            PaymentError: ``payment.idempotency_conflict``, ``payment.gateway_unavailable``,
                ``payment.gateway_error``.
            ValueError: as ``gateway.check_start``.
        """
        check_start(amount=amount, description=description, return_url=return_url, idempotency_key=idempotency_key, metadata=metadata)
        now = clock.now()
        row = by_key(session, PaytabsPayment, idempotency_key) or insert_once(
            session,
            PaytabsPayment(
                reference=derived_reference("pts_", b"mihan paytabs reference", idempotency_key),
                idempotency_key=idempotency_key,
                return_url=return_url,
                amount_minor=amount.minor,
                currency=amount.currency,
                created_at=now,
                updated_at=now,
            ),
            lambda: by_key(session, PaytabsPayment, idempotency_key),
        )
        if Money(row.amount_minor, row.currency) != amount:
            raise PaymentError("payment.idempotency_conflict")
        if row.tran_ref is None:
            base = get_settings().base_url
            body = {
                "tran_type": "sale",
                "tran_class": "ecom",
                "cart_id": row.reference,
                "cart_currency": amount.currency,
                "cart_amount": minor_to_decimal(amount),
                "cart_description": description.strip(),
                "paypage_lang": "ar",
                "callback": base + WEBHOOK_PATH,
                "return": base + RETURN_PATH,
                "hide_shipping": True,
            }
            with self._open() as client:
                page = self._create(client, body, row)
            row.tran_ref, row.url, row.updated_at = _text(page, "tran_ref", _TRAN_REF), _text(page, "redirect_url"), clock.now()
            session.add(row)
            session.flush()
        return Started(reference=row.reference, redirect_url=row.url)

    def _create(self, client: httpx.Client, body: Mapping[str, Any], row: PaytabsPayment) -> dict[str, Any]:
        """The page for ``row``; an unanswered create is sent once more with the same cart_id."""
        for attempt in (1, 2):
            try:
                page = self._call(client, "/payment/request", body)
                break
            except Unavailable:
                if attempt == 2:
                    raise
                log.warning("PayTabs did not answer the page for %s: sending it once more with the same cart_id", row.reference)
            except _Duplicate:
                made = [t.get("tran_ref") for t in self._cart(client, row.reference)]
                log.warning("PayTabs already made a page for %s (%s) whose address we never got: the buyer retries later", row.reference, made)
                raise PaymentError("payment.gateway_unavailable") from None
        if not isinstance(page, dict):
            raise PaymentError("payment.gateway_error")
        return page

    # -- verify -----------------------------------------------------------------------------

    def verify(self, session: Session, *, reference: str) -> PaymentResult:
        """Query the transaction with the server key and say where it stands.

        Raises:
            PaymentError: ``payment.unknown_payment``, ``payment.amount_mismatch``,
                ``payment.gateway_unavailable``, ``payment.gateway_error``.
        """
        row = get_payment_row(session, reference=reference)
        assert row.tran_ref is not None
        with self._open() as client:
            transaction = self._query(client, row.tran_ref)
        return self._result(session, row, transaction)

    def _ensure_started(self, row: PaytabsPayment, transaction: Mapping[str, Any]) -> Money:
        """The transaction's money, if it is this cart's sale for what was started.

        Raises:
            PaymentError: ``payment.amount_mismatch`` (logged), ``payment.gateway_error``.
        """
        if transaction.get("tran_ref") != row.tran_ref or transaction.get("cart_id") != row.reference or not _is(transaction, "sale"):
            log.error("PayTabs answered another transaction for %s (%s): refused", row.reference, row.tran_ref)
            raise PaymentError("payment.gateway_error")
        try:
            money = decimal_to_money(transaction.get("cart_amount"), transaction.get("cart_currency"))
        except ValueError:
            money = None
        if money != Money(row.amount_minor, row.currency):
            log.error(
                "PayTabs transaction %s is for %r %r, but %s %s was started (reference %s): refused, no money moves",
                row.tran_ref, transaction.get("cart_amount"), transaction.get("cart_currency"), row.amount_minor, row.currency, row.reference,
            )
            raise PaymentError("payment.amount_mismatch")
        return money

    def _result(self, session: Session, row: PaytabsPayment, transaction: Mapping[str, Any]) -> PaymentResult:
        started = self._ensure_started(row, transaction)
        status, message = _status(transaction)
        if status == "A":
            outcome, reason = PaymentStatus.PAID, "payment.approved"
        elif status in _ENDED:
            outcome, reason = PaymentStatus.FAILED, reason_for(message) if status == "D" and message else _ENDED[status]
        else:  # H, P, or a letter PayTabs adds later: not paid yet, nothing moves
            outcome, reason = PaymentStatus.INITIATED, _WAITING.get(status, "")
        return PaymentResult(
            gateway=NAME,
            reference=row.reference,
            status=outcome,
            amount=started,
            refunded=Money(_refunded(session, row), started.currency),
            message=reason,
        )

    # -- the callback (IPN) and the return ----------------------------------------------------

    def parse_webhook(self, session: Session, *, headers: Mapping[str, str], body: bytes) -> PaymentResult:
        """Check the ``Signature`` over the raw body, then answer with the transaction as PayTabs
        has it now; the same body delivered again gets the result of its first delivery.

        Raises:
            PaymentError: ``payment.bad_signature`` (logged), ``payment.bad_webhook``,
                ``payment.unknown_payment``, and ``verify``'s keys.
        """
        if not _same(_header(headers, SIGNATURE_HEADER), sign_body(self._settings.server_key, body)):
            log.warning("PayTabs callback with a wrong signature refused (%d bytes)", len(body))
            raise PaymentError("payment.bad_signature")
        digest = hashlib.sha256(body).hexdigest()
        seen = session.exec(select(PaytabsNotification).where(PaytabsNotification.digest == digest)).first()
        if seen is not None:
            log.info("PayTabs callback for %s delivered again: answered from the first delivery", seen.tran_ref)
            return recalled(NAME, seen)
        try:
            notice = json.loads(body, parse_float=Decimal)
        except ValueError:
            raise PaymentError("payment.bad_webhook") from None
        if not isinstance(notice, dict) or not isinstance(notice.get("tran_ref"), str) or not isinstance(notice.get("cart_id"), str):
            raise PaymentError("payment.bad_webhook")
        row = self._row_of(session, notice)
        result = self.verify(session, reference=row.reference)
        insert_once(
            session,
            PaytabsNotification(digest=digest, tran_ref=notice["tran_ref"][:64], **remembered(result)),
            lambda: session.exec(select(PaytabsNotification).where(PaytabsNotification.digest == digest)).first(),
        )
        return result

    def _row_of(self, session: Session, notice: Mapping[str, Any]) -> PaytabsPayment:
        """The payment a callback is about: its sale (cart and tran_ref both ours), or the sale a
        refund of ours refunded.

        Raises:
            PaymentError: ``payment.unknown_payment`` (logged when the cart is ours but the
                transaction is not: a callback pointed at another order's payment).
        """
        cart_id, tran_ref = notice["cart_id"], notice["tran_ref"]
        refund = session.exec(select(PaytabsRefund).where(PaytabsRefund.cart_id == cart_id)).first()
        if refund is not None and refund.tran_ref == tran_ref:
            row = session.get(PaytabsPayment, refund.payment_row_id)
            assert row is not None
            return row
        row = get_payment_row(session, reference=cart_id)
        if row.tran_ref != tran_ref:
            log.error("PayTabs callback names cart %s with transaction %s, which is not its own: refused", cart_id, tran_ref)
            raise PaymentError("payment.unknown_payment")
        return row

    def parse_return(self, session: Session, *, form: Mapping[str, str]) -> tuple[str, str]:
        """Check the buyer's return POST; the payment's reference and the site path to send the
        buyer on to (the return path given to ``start``, with ``?reference=``).

        Raises:
            PaymentError: ``payment.bad_signature`` (logged), ``payment.unknown_payment``.
        """
        if not _same(form.get("signature", ""), sign_return(self._settings.server_key, form)):
            log.warning("PayTabs return with a wrong signature refused (cart %r)", form.get("cartId", "")[:60])
            raise PaymentError("payment.bad_signature")
        row = get_payment_row(session, reference=form.get("cartId"))
        if row.tran_ref != form.get("tranRef"):
            log.error("PayTabs return names cart %s with transaction %r, which is not its own: refused", row.reference, form.get("tranRef"))
            raise PaymentError("payment.unknown_payment")
        return row.reference, with_reference(row.return_url, row.reference)

    # -- refunds ----------------------------------------------------------------------------

    def refund(self, session: Session, *, reference: str, amount: Money, idempotency_key: str) -> RefundResult:
        """Refund ``amount`` of the paid sale, once per ``idempotency_key``.

        Raises:
            PaymentError: ``payment.unknown_payment``, ``payment.not_refundable``,
                ``payment.refund_too_much``, ``payment.idempotency_conflict``,
                ``payment.amount_mismatch``, ``payment.gateway_unavailable``,
                ``payment.gateway_error``.
            ValueError: a non-positive amount or a bad key.
        """
        check_refund(amount=amount, idempotency_key=idempotency_key)
        row = get_payment_row(session, reference=reference, lock=True)  # one refund at a time per payment
        assert row.tran_ref is not None and row.id is not None
        done = session.exec(select(PaytabsRefund).where(PaytabsRefund.idempotency_key == idempotency_key)).first()
        if done is not None:
            if done.payment_row_id != row.id or done.amount_minor != amount.minor or amount.currency != row.currency:
                raise PaymentError("payment.idempotency_conflict")
            return self._refunded(session, row, done)
        before = _refunded(session, row)
        if amount.currency != row.currency or before + amount.minor > row.amount_minor:
            raise PaymentError("payment.refund_too_much")
        cart_id = derived_reference("ptr_", b"mihan paytabs refund", idempotency_key)
        body = {
            "tran_type": "refund",
            "tran_class": "ecom",
            "tran_ref": row.tran_ref,
            "cart_id": cart_id,
            "cart_currency": amount.currency,
            "cart_amount": minor_to_decimal(amount),
            "cart_description": f"Refund of {row.reference}",
        }
        with self._open() as client:
            sale = self._query(client, row.tran_ref)
            self._ensure_started(row, sale)
            if _status(sale)[0] != "A":
                raise PaymentError("payment.not_refundable")
            made = self._made_refund(client, cart_id, amount) or self._send_refund(client, body, cart_id, amount)
        refund = PaytabsRefund(
            payment_row_id=row.id,
            cart_id=cart_id,
            tran_ref=_text(made, "tran_ref", _TRAN_REF),
            idempotency_key=idempotency_key,
            amount_minor=amount.minor,
            created_at=clock.now(),
        )
        session.add(refund)
        session.flush()
        return self._refunded(session, row, refund)

    def _made_refund(self, client: httpx.Client, cart_id: str, amount: Money) -> dict[str, Any] | None:
        """The refund PayTabs already made under ``cart_id`` (its answer or our record was lost)."""
        for transaction in self._cart(client, cart_id):
            if _is(transaction, "refund") and _status(transaction)[0] in _REFUNDED:
                try:
                    same = decimal_to_money(transaction.get("cart_amount"), transaction.get("cart_currency")) == amount
                except ValueError:
                    same = False
                if not same:
                    log.error("PayTabs refund %s is for other money than asked: refused", cart_id)
                    raise PaymentError("payment.amount_mismatch")
                log.warning("PayTabs already made refund %s: recorded, not repeated", cart_id)
                return transaction
        return None

    def _send_refund(self, client: httpx.Client, body: Mapping[str, Any], cart_id: str, amount: Money) -> dict[str, Any]:
        """POST the refund; after no answer, look it up by its cart_id before sending it once more."""
        try:
            answer = self._call(client, "/payment/request", body)
        except Unavailable:
            log.warning("PayTabs did not answer refund %s: checking whether it was made before trying once more", cart_id)
            answer = self._made_refund(client, cart_id, amount) or self._call(client, "/payment/request", body)
        except _Duplicate:
            answer = self._made_refund(client, cart_id, amount)
            if answer is None:
                raise PaymentError("payment.gateway_unavailable") from None
        if not isinstance(answer, dict) or _status(answer)[0] not in _REFUNDED:
            log.error("PayTabs did not make refund %s: %r", cart_id, _status(answer) if isinstance(answer, dict) else answer)
            raise PaymentError("payment.gateway_error")
        return answer

    @staticmethod
    def _refunded(session: Session, row: PaytabsPayment, refund: PaytabsRefund) -> RefundResult:
        return RefundResult(
            reference=row.reference,
            refund_reference=refund.tran_ref,
            amount=Money(refund.amount_minor, row.currency),
            refunded=Money(_refunded(session, row), row.currency),
        )
