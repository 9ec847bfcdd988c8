"""Money as integer minor units with a currency; never floats.

``Money.allocate`` splits by the largest-remainder method so the parts always add back to the
whole (commission splits), and ``format_money`` is the one place amounts become text.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency, get_currency_precision

_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

@dataclass(frozen=True, slots=True)
class Money:
    """An amount in the currency's minor unit (halalas for SAR)."""

    minor: int
    currency: str = "SAR"

    def __post_init__(self) -> None:
        if type(self.minor) is not int:
            raise TypeError("Money.minor must be an int of minor units, never a float")
        if len(self.currency) != 3 or not self.currency.isalpha() or not self.currency.isupper():
            raise ValueError(f"not an ISO 4217 currency code: {self.currency!r}")

    def _same(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError("can only combine Money with Money")
        if other.currency != self.currency:
            raise ValueError(f"currency mismatch: {self.currency} and {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor + other.minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.minor - other.minor, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.minor, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.minor < other.minor

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.minor <= other.minor

    @property
    def is_zero(self) -> bool:
        return self.minor == 0

    @classmethod
    def parse(cls, text: str, currency: str = "SAR") -> Money:
        """Parse a decimal amount typed by a person (Latin or Arabic-Indic digits)."""
        cleaned = text.strip().translate(str.maketrans("٠١٢٣٤٥٦٧٨٩٫٬", "0123456789.,")).replace(",", "")
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise ValueError(f"{text!r} is not an amount") from None
        if not value.is_finite():
            raise ValueError(f"{text!r} is not an amount")
        exponent = get_currency_precision(currency)
        scaled = value.scaleb(exponent)
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{text!r} has more decimals than {currency} allows")
        return cls(int(scaled), currency)

    def allocate(self, ratios: list[int]) -> list[Money]:
        """Split into parts proportional to ``ratios``; the parts sum to exactly ``self``."""
        if not ratios or any(r < 0 for r in ratios) or sum(ratios) == 0:
            raise ValueError("ratios must be non-negative and not all zero")
        total = sum(ratios)
        sign = -1 if self.minor < 0 else 1
        amount = abs(self.minor)
        shares = [amount * r // total for r in ratios]
        remainders = sorted(
            range(len(ratios)), key=lambda i: (amount * ratios[i] % total, -i), reverse=True
        )
        for i in remainders[: amount - sum(shares)]:
            shares[i] += 1
        return [Money(sign * s, self.currency) for s in shares]

    def percent(self, basis_points: int) -> Money:
        """Return ``basis_points``/10000 of this amount, rounded half up to the minor unit."""
        numerator = self.minor * basis_points
        quotient, remainder = divmod(abs(numerator), 10_000)
        if remainder * 2 >= 10_000:
            quotient += 1
        return Money(quotient if numerator >= 0 else -quotient, self.currency)


def format_money(money: Money, lang: str = "ar", *, arabic_digits: bool = False) -> str:
    """Format for display: ``ar`` uses ar-SA conventions, optionally with Arabic-Indic digits."""
    amount = Decimal(money.minor).scaleb(-get_currency_precision(money.currency))
    locale = "ar_SA" if lang == "ar" else "en_US"
    if arabic_digits and lang == "ar":
        text = format_currency(amount, money.currency, locale=locale, numbering_system="arab")
        return text.translate(_ARABIC_INDIC)
    return format_currency(amount, money.currency, locale=locale, numbering_system="latn")
