"""The card form checks of the sandbox's hosted page, and its test cards.

Real gateways take card data on their own page (PCI: it never reaches our server); only the
sandbox, which *is* the gateway in pilots and tests, reads a card, so these checks live with
it. They are the ones a gateway's form makes before asking the bank: a Luhn-valid number, an
expiry not in the past, a 3-digit CVC, a holder's name. Digits may be typed in Arabic-Indic
(٤١١١) as well as Latin, with spaces or dashes between groups.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.accounts.inputs import clean_text
from app.payments.errors import PaymentError

MAX_YEARS_AHEAD = 20  # an expiry further away than this is a typo


class Outcome(StrEnum):
    """What the sandbox's bank does with a card."""

    PAID = "paid"
    DECLINED = "declined"
    CHALLENGE = "challenge"  # asks for a one-time code first
    UNKNOWN = "unknown"  # a valid card that is not a test card: refused, as Moyasar's sandbox does


@dataclass(frozen=True)
class SandboxCard:
    """A test card the hosted page lists, with what it does (Moyasar's test numbers)."""

    number: str
    outcome: Outcome

    @property
    def grouped(self) -> str:
        return " ".join(self.number[i : i + 4] for i in range(0, len(self.number), 4))


TEST_CARDS = (
    SandboxCard("4111111111111111", Outcome.PAID),
    SandboxCard("4000000000000002", Outcome.DECLINED),
    SandboxCard("4000000000003220", Outcome.CHALLENGE),
)


@dataclass(frozen=True)
class Card:
    """A card that passed the form checks (the CVC is checked, never kept)."""

    number: str
    month: int
    year: int
    holder: str

    @property
    def outcome(self) -> Outcome:
        return next((card.outcome for card in TEST_CARDS if card.number == self.number), Outcome.UNKNOWN)


def ascii_digits(value: object, *, separators: str = "", limit: int = 40) -> str | None:
    """The decimal digits of ``value`` (any script) as ASCII, or None if anything else is in it.

    Characters in ``separators`` are dropped; an empty or over-long value is None.
    """
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        return None
    digits = []
    for ch in value.strip():
        if ch in separators:
            continue
        if not ch.isdecimal():
            return None
        digits.append(str(unicodedata.decimal(ch)))
    return "".join(digits) or None


def luhn_valid(number: str) -> bool:
    """The Luhn (mod 10) check every card number carries in its last digit."""
    if not number.isascii() or not number.isdigit():
        return False
    total = 0
    for position, digit in enumerate(int(ch) for ch in reversed(number)):
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def parse_expiry(value: object, *, today: date) -> tuple[int, int]:
    """Read ``MM/YY`` (or ``MM/YYYY``, ``MMYY``) into (month, year); the card is valid through that month.

    Raises:
        PaymentError: ``payment.card_expiry`` (not a date), ``payment.card_expired``.
    """
    text = value.replace(" ", "") if isinstance(value, str) else ""
    month_text, _, year_text = text.partition("/") if "/" in text else (text[:2], "", text[2:])
    month, year = ascii_digits(month_text, limit=2), ascii_digits(year_text, limit=4)
    if month is None or year is None or len(year) not in (2, 4) or not 1 <= int(month) <= 12:
        raise PaymentError("payment.card_expiry")
    full_year = 2000 + int(year) if len(year) == 2 else int(year)
    if full_year > today.year + MAX_YEARS_AHEAD:
        raise PaymentError("payment.card_expiry")
    if (full_year, int(month)) < (today.year, today.month):
        raise PaymentError("payment.card_expired")
    return int(month), full_year


def read_card(*, number: object, expiry: object, cvc: object, holder: object, today: date) -> Card:
    """Check a card form the way a gateway's page does, field by field.

    Raises:
        PaymentError: ``payment.card_number``, ``payment.card_expiry``, ``payment.card_expired``,
            ``payment.card_cvc``, ``payment.card_holder``.
    """
    digits = ascii_digits(number, separators=" -")
    if digits is None or not 12 <= len(digits) <= 19 or not luhn_valid(digits):
        raise PaymentError("payment.card_number")
    month, year = parse_expiry(expiry, today=today)
    code = ascii_digits(cvc, limit=3)
    if code is None or len(code) != 3:
        raise PaymentError("payment.card_cvc")
    name = clean_text(holder[:200]) if isinstance(holder, str) else ""
    if not 2 <= len(name) <= 80 or not any(ch.isalpha() for ch in name) or any(ch.isdigit() for ch in name):
        raise PaymentError("payment.card_holder")
    return Card(number=digits, month=month, year=year, holder=name)
