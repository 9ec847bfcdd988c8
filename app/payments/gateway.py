"""The contract every payment gateway keeps, so checkout never knows which one it talks to.

It follows the hosted-page flow Moyasar and PayTabs share (``../shared/reference/payments.md``
§1–2): ``start`` creates the payment under our idempotency key (a Moyasar invoice found again
by its metadata, PayTabs' ``cart_id``) and gives the URL to send the buyer to; the buyer comes
back to our ``return_url`` with ``?reference=``, and we ``verify`` — the query string is never
trusted, the gateway's record is the truth; the gateway also announces the result by a signed
webhook, which ``parse_webhook`` checks (an HMAC over the raw body as PayTabs' ``Signature``
header, or Moyasar's Secret Token in the body) and turns into the same ``PaymentResult``. The
result may arrive twice (webhook and return, a replayed webhook), so whoever handles it must be
idempotent.

Every method takes the caller's session first: a gateway that keeps records of its own (the
sandbox's payments, Moyasar's links to its invoices) writes them in the caller's transaction,
so a payment started for an order that then rolls back is rolled back with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable
from urllib.parse import urlencode, urlsplit, urlunsplit

from sqlmodel import Session

from app.core.money import Money
from app.core.security import is_same_site_path
from models.orders import PaymentStatus

MAX_METADATA = 20


@dataclass(frozen=True)
class Started:
    """A payment the gateway created: its reference and where to send the buyer to pay."""

    reference: str
    redirect_url: str


@dataclass(frozen=True)
class PaymentResult:
    """What the gateway says about one payment.

    ``message`` is a catalogue key when the gateway's outcome maps to one (the sandbox's always
    do), otherwise the gateway's own text; ``translate`` shows either (an unknown key is printed
    as is).
    """

    gateway: str
    reference: str
    status: PaymentStatus
    amount: Money
    refunded: Money
    message: str = ""
    metadata: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RefundResult:
    """One refund of a paid payment, and how much of it is refunded in all."""

    reference: str
    refund_reference: str
    amount: Money
    refunded: Money


class PaymentGateway(Protocol):
    """A gateway buyers can pay through; ``name`` is what orders and webhook URLs record."""

    name: str

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
        """Create the payment, or return the one already made under ``idempotency_key``.

        ``return_url`` is a path of this site; the buyer comes back to it with
        ``?reference=<reference>``.

        Raises:
            PaymentError: ``payment.idempotency_conflict`` (the key was used for other money).
            ValueError: a non-positive amount, an off-site return URL, an empty key.
        """
        ...

    def verify(self, session: Session, *, reference: str) -> PaymentResult:
        """Ask the gateway for the payment's current state: the only result to act on.

        Raises:
            PaymentError: ``payment.unknown_payment``.
        """
        ...

    def parse_webhook(self, session: Session, *, headers: Mapping[str, str], body: bytes) -> PaymentResult:
        """Check a webhook's signature over the raw ``body`` and return the payment's result.

        Raises:
            PaymentError: ``payment.bad_signature``, ``payment.bad_webhook``,
                ``payment.unknown_payment``.
        """
        ...

    def refund(self, session: Session, *, reference: str, amount: Money, idempotency_key: str) -> RefundResult:
        """Refund ``amount`` of a paid payment, once per ``idempotency_key``.

        Raises:
            PaymentError: ``payment.unknown_payment``, ``payment.not_refundable``,
                ``payment.refund_too_much``, ``payment.idempotency_conflict``.
        """
        ...


@runtime_checkable
class ReturnsByPost(Protocol):
    """A gateway whose page sends the buyer back by a signed form POST (PayTabs), not a link.

    ``POST /payments/return/<gateway>`` hands it the form; it checks the signature and names
    the payment and the site path the buyer goes on to (the ``return_url`` given to ``start``,
    with ``?reference=``).
    """

    def parse_return(self, session: Session, *, form: Mapping[str, str]) -> tuple[str, str]:
        """(reference, path) of a genuine return.

        Raises:
            PaymentError: ``payment.bad_signature``, ``payment.unknown_payment``.
        """
        ...


# -- the argument checks every gateway makes the same way ------------------------------------


def check_start(*, amount: Money, description: str, return_url: str, idempotency_key: str, metadata: Mapping[str, str]) -> None:
    """Refuse what no caller of ``start`` should send, before any record or call is made.

    Raises:
        ValueError: a non-positive amount, an off-site return URL, a bad key, description or metadata.
    """
    if amount.minor <= 0:
        raise ValueError("a payment is for a positive amount")
    if not is_same_site_path(return_url) or "#" in return_url or len(return_url) > 500:
        raise ValueError("return_url must be a path of this site")
    check_key(idempotency_key)
    if not description.strip() or len(description) > 200:
        raise ValueError("description must be 1 to 200 characters")
    if len(metadata) > MAX_METADATA or not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
        raise ValueError("metadata maps at most 20 strings to strings")


def check_refund(*, amount: Money, idempotency_key: str) -> None:
    """Refuse a refund no caller should ask for.

    Raises:
        ValueError: a non-positive amount or a bad key.
    """
    if amount.minor <= 0:
        raise ValueError("a refund is for a positive amount")
    check_key(idempotency_key)


def check_key(idempotency_key: str) -> None:
    if not 1 <= len(idempotency_key) <= 100:
        raise ValueError("idempotency_key must be 1 to 100 characters")


def with_reference(return_url: str, reference: str) -> str:
    """The caller's return path with ``?reference=`` added: where the buyer comes back to."""
    parts = urlsplit(return_url)
    query = "&".join(filter(None, [parts.query, urlencode({"reference": reference})]))
    return urlunsplit(("", "", parts.path, query, ""))
