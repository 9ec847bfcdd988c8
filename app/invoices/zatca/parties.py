"""Sellers and buyers: names, VAT numbers, other identifiers and Saudi national addresses.

What holds for any party is checked here, when it is built: a VAT number has 15 digits and starts
and ends with 3 (BR-KSA-40, BR-KSA-44; python-stdnum has no Saudi module, so the rule is written
out), and a Saudi address has the national address's street, 4-digit building number, district,
city and 5-digit postal code (BR-KSA-37, BR-KSA-63, BR-KSA-66/67). What depends on the party's
role (a seller's CRN, a standard invoice's buyer) is checked with the whole document, in
``rules``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.invoices.zatca.errors import ensure

SELLER_ID_SCHEMES = ("CRN", "MOM", "MLS", "SAG", "OTH")  # BR-KSA-08, in order of preference
BUYER_ID_SCHEMES = ("TIN", "CRN", "MOM", "MLS", "700", "SAG", "NAT", "GCC", "IQA", "PAS", "OTH")  # BR-KSA-14

_VAT_NUMBER = re.compile(r"3[0-9]{13}3")


def is_vat_number(text: str) -> bool:
    """True for a KSA VAT registration number: 15 digits, the first and the last a 3."""
    return _VAT_NUMBER.fullmatch(text) is not None


def _digits(text: str | None, count: int) -> bool:
    return text is not None and len(text) == count and text.isascii() and text.isdigit()


@dataclass(frozen=True)
class Address:
    """A postal address; ``additional_number`` is the national address's secondary number."""

    street: str
    city: str
    postal_code: str
    country: str = "SA"
    building_number: str | None = None
    district: str | None = None
    additional_number: str | None = None

    def __post_init__(self) -> None:
        ensure(bool(self.street.strip() and self.city.strip()), "BR-KSA-09", "an address needs a street and a city")
        ensure(re.fullmatch(r"[A-Z]{2}", self.country) is not None, "BR-CL-14", f"not a country code: {self.country!r}")
        if self.additional_number is not None:
            ensure(_digits(self.additional_number, 4), "BR-KSA-64", "the additional number has 4 digits")
        if self.country == "SA":
            self._ensure_national_address()

    def _ensure_national_address(self) -> None:
        ensure(_digits(self.building_number, 4), "BR-KSA-37", "a Saudi building number has 4 digits")
        ensure(_digits(self.postal_code, 5), "BR-KSA-66", "a Saudi postal code has 5 digits")
        ensure(bool(self.district and self.district.strip()), "BR-KSA-63", "a Saudi address names its district")


@dataclass(frozen=True)
class PartyId:
    """An identifier other than the VAT number: a commercial registration, a national ID..."""

    scheme: str
    value: str

    def __post_init__(self) -> None:
        ensure(self.scheme in BUYER_ID_SCHEMES, "BR-KSA-14", f"unknown identifier scheme {self.scheme!r}")
        ensure(self.value.isascii() and self.value.isalnum(), "BR-KSA-08", "an identifier is letters and digits")


@dataclass(frozen=True)
class Party:
    """A seller or a buyer as the invoice names them."""

    name: str
    address: Address | None = None
    vat_number: str | None = None
    identification: PartyId | None = None

    def __post_init__(self) -> None:
        ensure(bool(self.name.strip()), "BR-06", "a party has a name")
        if self.vat_number is not None:
            ensure(is_vat_number(self.vat_number), "BR-KSA-40", f"not a KSA VAT number: {self.vat_number!r}")
