"""The built-in sandbox gateway: a hosted test-card page that behaves like a real gateway.

Pilots and tests pay through it with no money moving. It keeps Moyasar's contract
(``../shared/reference/payments.md`` §1): ``start`` stores a payment under the caller's
idempotency key (a double click or a second tab gets the same payment) and answers with the
hosted page ``/sandbox/pay/<reference>``; the buyer types a test card there (one of them asks
for a one-time code first); the outcome is final, so a paid or failed payment is never paid
again; the buyer is sent back to ``return_url?reference=…``, where our side calls ``verify``.

Its webhook is signed like PayTabs' (HMAC-SHA256 over the raw body, with a key derived from
the installation's secret) and delivered in-process once the outcome is committed, through the
very check the HTTP route uses (``webhooks.receive_webhook``): every sandbox payment exercises
the signature path a real gateway's webhook will take.

The page only pays while the sandbox is an enabled gateway, so a pilot's leftover test payment
cannot pay an order once real gateways are switched on.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Mapping

from sqlmodel import Session, select

from app.core import clock
from app.core.db import on_commit
from app.core.money import Money
from app.core.settings import secret_key
from app.payments import config
from app.payments._rows import by_key, by_reference, insert_once
from app.payments.cards import Outcome, ascii_digits, read_card
from app.payments.errors import PaymentError
from app.payments.gateway import PaymentResult, RefundResult, Started, check_refund, check_start, with_reference
from app.payments.webhooks import receive_webhook
from models.orders import PaymentStatus
from models.payments import SandboxPayment, SandboxRefund

NAME = "sandbox"
PAY_PATH = "/sandbox/pay/"
CHALLENGE_CODE = "123456"  # shown on the challenge page: it is a sandbox
SIGNATURE_HEADER = "X-Sandbox-Signature"
_REFERENCE = re.compile(r"sbx_[A-Za-z0-9_-]{24}")
_MESSAGES = {
    Outcome.PAID: "payment.approved",
    Outcome.DECLINED: "payment.declined",
    Outcome.UNKNOWN: "payment.unknown_test_card",
}


def _new_reference(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(18)


def reference_of(path: object) -> str | None:
    """The reference in a ``/sandbox/pay/<reference>`` path, if it has a reference's shape."""
    if not isinstance(path, str) or not path.startswith(PAY_PATH):
        return None
    reference = path[len(PAY_PATH) :].rstrip("/")
    return reference if _REFERENCE.fullmatch(reference) else None


def _ensure_enabled() -> None:
    if NAME not in config.enabled_names():
        raise PaymentError("payment.unknown_gateway")


def _by_key(session: Session, key: str) -> SandboxPayment | None:
    return by_key(session, SandboxPayment, key)


def get_payment(session: Session, *, reference: object, lock: bool = False) -> SandboxPayment:
    """The payment with ``reference`` (locked for update when ``lock``).

    Raises:
        PaymentError: ``payment.unknown_payment``.
    """
    return by_reference(session, SandboxPayment, reference, shape=_REFERENCE, lock=lock)


def _payable(session: Session, reference: object, *, challenge: bool) -> SandboxPayment:
    """The payment, locked, if it waits for a card (``challenge`` False) or for the one-time code."""
    _ensure_enabled()
    payment = get_payment(session, reference=reference, lock=True)
    if payment.status != PaymentStatus.INITIATED:
        raise PaymentError("payment.already_final")
    if payment.challenge_pending != challenge:
        raise PaymentError("payment.challenge_pending" if payment.challenge_pending else "payment.no_challenge")
    return payment


def submit_card(session: Session, *, reference: object, number: object, expiry: object, cvc: object, holder: object) -> SandboxPayment:
    """Pay with a card typed on the hosted page: paid, declined, or on to the code step.

    Raises:
        PaymentError: ``payment.unknown_payment``, ``payment.unknown_gateway`` (sandbox switched
            off), ``payment.already_final``, ``payment.challenge_pending``, and the card
            checks' keys (``payment.card_number``, ``payment.card_expiry``, …).
    """
    payment = _payable(session, reference, challenge=False)
    card = read_card(number=number, expiry=expiry, cvc=cvc, holder=holder, today=clock.now().date())
    if card.outcome is Outcome.CHALLENGE:
        payment.challenge_pending = True
        payment.message = "payment.challenge_required"
        payment.updated_at = clock.now()
        session.flush()
        return payment
    status = PaymentStatus.PAID if card.outcome is Outcome.PAID else PaymentStatus.FAILED
    return _finish(session, payment, status, _MESSAGES[card.outcome])


def submit_challenge(session: Session, *, reference: object, code: object) -> SandboxPayment:
    """Answer the challenge card's one-time code: the right one pays, a wrong one fails the payment.

    Raises:
        PaymentError: ``payment.unknown_payment``, ``payment.unknown_gateway``,
            ``payment.already_final``, ``payment.no_challenge``.
    """
    payment = _payable(session, reference, challenge=True)
    typed = ascii_digits(code, separators=" ", limit=20) or ""
    if hmac.compare_digest(typed.encode(), CHALLENGE_CODE.encode()):
        return _finish(session, payment, PaymentStatus.PAID, "payment.approved")
    return _finish(session, payment, PaymentStatus.FAILED, "payment.challenge_failed")


def _finish(session: Session, payment: SandboxPayment, status: PaymentStatus, message: str) -> SandboxPayment:
    """Record the final outcome and announce it by a signed webhook once it is committed."""
    payment.status = status.value
    payment.message = message
    payment.challenge_pending = False
    payment.updated_at = clock.now()
    session.flush()
    body = webhook_body(payment)
    headers = {SIGNATURE_HEADER: sign(body)}
    url = session.get_bind().url.render_as_string(hide_password=False)
    on_commit(session, lambda: receive_webhook(SandboxGateway(), headers=headers, body=body, database_url=url))
    return payment


def return_target(payment: SandboxPayment) -> str:
    """Where the buyer goes after the outcome: the caller's return path with ``?reference=``."""
    return with_reference(payment.return_url, payment.reference)


def refund_payment(session: Session, *, reference: str, amount: Money, idempotency_key: str) -> SandboxRefund:
    """Refund part or all of a paid payment, once per ``idempotency_key``.

    Raises:
        PaymentError: ``payment.unknown_payment``, ``payment.not_refundable`` (not paid),
            ``payment.refund_too_much``, ``payment.idempotency_conflict``.
        ValueError: a non-positive amount or a bad key.
    """
    check_refund(amount=amount, idempotency_key=idempotency_key)
    payment = get_payment(session, reference=reference, lock=True)
    done = session.exec(select(SandboxRefund).where(SandboxRefund.idempotency_key == idempotency_key)).first()
    if done is not None:
        if done.payment_id != payment.id or done.amount_minor != amount.minor or amount.currency != payment.currency:
            raise PaymentError("payment.idempotency_conflict")
        return done
    if payment.status != PaymentStatus.PAID:
        raise PaymentError("payment.not_refundable")
    if amount.currency != payment.currency or payment.refunded_minor + amount.minor > payment.amount_minor:
        raise PaymentError("payment.refund_too_much")
    assert payment.id is not None
    refund = SandboxRefund(
        payment_id=payment.id,
        reference=_new_reference("sbr_"),
        idempotency_key=idempotency_key,
        amount_minor=amount.minor,
        created_at=clock.now(),
    )
    session.add(refund)
    payment.refunded_minor += amount.minor
    payment.updated_at = clock.now()
    session.flush()
    return refund


# -- the webhook ---------------------------------------------------------------------------


def _webhook_key() -> bytes:
    """The signing key: derived from the installation's secret, never the secret itself."""
    return hmac.new(secret_key(), b"mihan sandbox webhook", hashlib.sha256).digest()


def sign(body: bytes) -> str:
    """Hex HMAC-SHA256 of the raw webhook body."""
    return hmac.new(_webhook_key(), body, hashlib.sha256).hexdigest()


def webhook_body(payment: SandboxPayment) -> bytes:
    """The event a gateway would POST: Moyasar's envelope around the payment's outcome."""
    event = {
        "id": _new_reference("evt_"),
        "type": f"payment_{payment.status}",
        "created_at": clock.now().isoformat(),
        "data": {
            "reference": payment.reference,
            "status": payment.status,
            "amount": payment.amount_minor,
            "currency": payment.currency,
            "message": payment.message,
        },
    }
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()


def _header(headers: Mapping[str, str], name: str) -> str:
    wanted = name.lower()
    return next((value for key, value in headers.items() if isinstance(key, str) and key.lower() == wanted), "")


def result_of(payment: SandboxPayment) -> PaymentResult:
    return PaymentResult(
        gateway=NAME,
        reference=payment.reference,
        status=PaymentStatus(payment.status),
        amount=Money(payment.amount_minor, payment.currency),
        refunded=Money(payment.refunded_minor, payment.currency),
        message=payment.message,
        metadata=json.loads(payment.metadata_json),
    )


class SandboxGateway:
    """The sandbox as a ``PaymentGateway``: what checkout, webhooks and refunds call."""

    name = NAME

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
        """Store a new test payment, or return the one already stored under ``idempotency_key``.

        A payment found by its key is returned whatever its state (paid, failed): the caller uses a
        new key for a new attempt, as with Moyasar's ``given_id``.

        Raises:
            PaymentError: ``payment.idempotency_conflict`` (the key was used for other money).
            ValueError: a non-positive amount, an off-site return URL, a bad key, description or metadata.
        """
        check_start(amount=amount, description=description, return_url=return_url, idempotency_key=idempotency_key, metadata=metadata)
        now = clock.now()
        payment = _by_key(session, idempotency_key) or insert_once(
            session,
            SandboxPayment(
                reference=_new_reference("sbx_"),
                idempotency_key=idempotency_key,
                amount_minor=amount.minor,
                currency=amount.currency,
                description=description.strip(),
                return_url=return_url,
                metadata_json=json.dumps(dict(metadata), ensure_ascii=False, sort_keys=True),
                created_at=now,
                updated_at=now,
            ),
            lambda: _by_key(session, idempotency_key),
        )
        if Money(payment.amount_minor, payment.currency) != amount:
            raise PaymentError("payment.idempotency_conflict")
        return Started(reference=payment.reference, redirect_url=PAY_PATH + payment.reference)

    def verify(self, session: Session, *, reference: str) -> PaymentResult:
        return result_of(get_payment(session, reference=reference))

    def parse_webhook(self, session: Session, *, headers: Mapping[str, str], body: bytes) -> PaymentResult:
        """Check the signature, then answer with the stored payment (the body is only a hint)."""
        signature = _header(headers, SIGNATURE_HEADER).strip().lower()
        if not hmac.compare_digest(signature.encode("utf-8", "surrogatepass"), sign(body).encode()):
            raise PaymentError("payment.bad_signature")
        try:
            reference = json.loads(body)["data"]["reference"]
        except (ValueError, TypeError, KeyError):
            raise PaymentError("payment.bad_webhook") from None
        return self.verify(session, reference=reference)

    def refund(self, session: Session, *, reference: str, amount: Money, idempotency_key: str) -> RefundResult:
        refund = refund_payment(session, reference=reference, amount=amount, idempotency_key=idempotency_key)
        payment = get_payment(session, reference=reference)
        return RefundResult(
            reference=payment.reference,
            refund_reference=refund.reference,
            amount=Money(refund.amount_minor, payment.currency),
            refunded=Money(payment.refunded_minor, payment.currency),
        )
