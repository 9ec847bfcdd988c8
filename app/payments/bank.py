"""Bank transfer («تحويل بنكي»): a manual gateway for pilots whose buyers pay by IBAN transfer.

Switched on by naming ``bank`` in ``MIHAN_PAYMENT_GATEWAYS``; without a valid Saudi IBAN
(``MIHAN_BANK_IBAN``, payments.md §6: ``SA`` + 2 check digits + 2-digit bank id + 18
alphanumerics, mod-97 checked by python-stdnum), the holder's name and the bank's name it
refuses to be built, so ``mihan run`` stops with one line.

It keeps the ``PaymentGateway`` contract so checkout treats it like any other: ``start`` records
one ``BankTransfer`` per idempotency key (a double click gets the same one) with a short
reference the buyer writes in the transfer's description (``MH-`` and six characters without
look-alikes: no 0/O, 1/I/L) and the day it is due, and sends the buyer to the return path, which
shows the instructions; ``verify`` says pending (initiated), paid once an admin confirmed the
money is in the account, failed once rejected or expired. There are no webhooks (the bank does
not call us) and no refunds through it: money a buyer is owed goes to their wallet, as for
every refund (``docs/architecture.md``).

What happens to a transfer (the admin's decision, the receipt, the expiry) is decided by
``app.orders.transfers``, which owns the order; this module only keeps the transfer's record.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session
from stdnum import iban as iban_number
from stdnum.exceptions import ValidationError as NumberError

from app.core import clock
from app.core.money import Money
from app.core.settings import BankSettings, get_settings
from app.payments._rows import by_key, by_reference, insert_once
from app.payments.errors import PaymentError
from app.payments.gateway import PaymentResult, RefundResult, Started, check_start, with_reference
from models.orders import PaymentStatus
from models.payments import BankTransfer, TransferStatus

NAME = "bank"
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud and typed without doubt
REFERENCE_PREFIX = "MH-"
REFERENCE_LENGTH = 6
_REFERENCE = re.compile(rf"MH-[{ALPHABET}]{{{REFERENCE_LENGTH}}}")
SAUDI_IBAN = re.compile(r"SA\d{2}\d{2}[A-Z0-9]{18}")
MAX_DAYS = 30
_STATUS = {
    TransferStatus.PENDING.value: (PaymentStatus.INITIATED, ""),
    TransferStatus.CONFIRMED.value: (PaymentStatus.PAID, "payment.transfer_confirmed"),
    TransferStatus.REJECTED.value: (PaymentStatus.FAILED, "payment.transfer_rejected"),
    TransferStatus.EXPIRED.value: (PaymentStatus.FAILED, "payment.transfer_expired"),
}


def is_platform_iban(value: str) -> bool:
    """A Saudi IBAN whose mod-97 check holds: one the platform's account can have."""
    return bool(SAUDI_IBAN.fullmatch(value)) and iban_number.is_valid(value)


def checked_settings(settings: BankSettings) -> BankSettings:
    """The bank settings if a buyer can transfer with them.

    Raises:
        ValueError: naming the variable and the rule (the message ``mihan run`` prints).
    """
    if not settings.iban:
        raise ValueError("MIHAN_PAYMENT_GATEWAYS names bank, but MIHAN_BANK_IBAN is not set")
    try:
        iban_number.validate(settings.iban)
    except NumberError:
        raise ValueError(f"MIHAN_BANK_IBAN={settings.iban!r} is not a valid IBAN (ISO 13616 mod-97)") from None
    if not SAUDI_IBAN.fullmatch(settings.iban):
        raise ValueError(f"MIHAN_BANK_IBAN={settings.iban!r} is not a Saudi IBAN (SA, 2 check digits, 2-digit bank id, 18 characters)")
    if not settings.holder or not settings.bank_name:
        raise ValueError("MIHAN_PAYMENT_GATEWAYS names bank, but MIHAN_BANK_HOLDER or MIHAN_BANK_NAME is not set")
    if not 1 <= settings.days <= MAX_DAYS:
        raise ValueError(f"MIHAN_BANK_TRANSFER_DAYS={settings.days} is not between 1 and {MAX_DAYS}")
    return settings


def grouped_iban(iban: str) -> str:
    """``SA03 8000 0000 6080 1016 7519``: printed in groups of four for reading (payments.md §6)."""
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def new_reference() -> str:
    return REFERENCE_PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(REFERENCE_LENGTH))


def is_reference(value: object) -> bool:
    return isinstance(value, str) and _REFERENCE.fullmatch(value) is not None


def get_transfer(session: Session, *, reference: object, lock: bool = False) -> BankTransfer:
    """The transfer with ``reference`` (locked for update when ``lock``).

    Raises:
        PaymentError: ``payment.unknown_payment``.
    """
    return by_reference(session, BankTransfer, reference, shape=_REFERENCE, lock=lock)


def result_of(transfer: BankTransfer) -> PaymentResult:
    """The transfer as checkout's handler reads a gateway's verified word."""
    status, message = _STATUS[transfer.status]
    return PaymentResult(
        gateway=NAME,
        reference=transfer.reference,
        status=status,
        amount=Money(transfer.amount_minor, transfer.currency),
        refunded=Money(0, transfer.currency),
        message=message,
    )


class BankTransferGateway:
    """Bank transfer as a ``PaymentGateway``: records and statuses, no calls to anyone."""

    name = NAME

    def __init__(self, settings: BankSettings | None = None) -> None:
        self.settings = checked_settings(settings or get_settings().bank)

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
        """Record the transfer the buyer is asked to make, or return the one made under the key.

        Raises:
            PaymentError: ``payment.idempotency_conflict`` (the key was used for other money).
            ValueError: a non-positive amount, an off-site return URL, a bad key, description or metadata.
        """
        check_start(amount=amount, description=description, return_url=return_url, idempotency_key=idempotency_key, metadata=metadata)
        transfer = by_key(session, BankTransfer, idempotency_key)
        for _ in range(5):  # a new reference clashes once in ~10⁹ transfers: draw again
            if transfer is not None:
                break
            now = clock.now()
            row = BankTransfer(
                reference=new_reference(),
                idempotency_key=idempotency_key,
                amount_minor=amount.minor,
                currency=amount.currency,
                return_url=return_url,
                due_at=now + timedelta(days=self.settings.days),
                created_at=now,
                updated_at=now,
            )
            try:
                transfer = insert_once(session, row, lambda: by_key(session, BankTransfer, idempotency_key))
            except IntegrityError:  # the reference was taken (not the key): try another
                transfer = None
        if transfer is None:
            raise PaymentError("payment.gateway_unavailable")
        if Money(transfer.amount_minor, transfer.currency) != amount:
            raise PaymentError("payment.idempotency_conflict")
        return Started(reference=transfer.reference, redirect_url=with_reference(transfer.return_url, transfer.reference))

    def verify(self, session: Session, *, reference: str) -> PaymentResult:
        return result_of(get_transfer(session, reference=reference))

    def parse_webhook(self, session: Session, *, headers: Mapping[str, str], body: bytes) -> PaymentResult:
        """A bank does not call us: every webhook for this gateway is refused."""
        raise PaymentError("payment.bad_webhook")

    def refund(self, session: Session, *, reference: str, amount: Money, idempotency_key: str) -> RefundResult:
        """Refunds of transferred money go to the buyer's wallet, never back through the bank here."""
        raise PaymentError("payment.not_refundable")
