"""VAT categories and the exemption reasons ZATCA accepts (Implementation Standard §11.2.4).

A ``TaxCategory`` is valid by construction, so a line can never carry a combination the
validator would refuse: a standard rate above zero and no exemption (BR-S-10); zero-rated and
exempt supplies at 0% with one of their own exemption codes, whose official text goes into the
XML with it (BR-KSA-69, BR-E-10, BR-KSA-CL-04/05); an out-of-scope supply with no rate and a
reason text (BR-O-05, BR-O-10). Rates are integer basis points, as in ``app.pricing``
(1500 = 15%), which is exactly the two decimals BR-KSA-DEC-02 allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.invoices.zatca.errors import ensure

SA_STANDARD_RATE_BP = 1_500
MAX_RATE_BP = 10_000


class VatCategory(StrEnum):
    """UN/CEFACT 5305 codes, the subset BR-KSA-18 allows."""

    STANDARD = "S"
    ZERO_RATED = "Z"
    EXEMPT = "E"
    OUT_OF_SCOPE = "O"


class Exemption(StrEnum):
    """The Saudi exemption (or exception) reason codes of the standard's table."""

    FINANCIAL_SERVICES = "VATEX-SA-29"
    LIFE_INSURANCE = "VATEX-SA-29-7"
    REAL_ESTATE = "VATEX-SA-30"
    EXPORT_OF_GOODS = "VATEX-SA-32"
    EXPORT_OF_SERVICES = "VATEX-SA-33"
    INTERNATIONAL_TRANSPORT_OF_GOODS = "VATEX-SA-34-1"
    INTERNATIONAL_TRANSPORT_OF_PASSENGERS = "VATEX-SA-34-2"
    PASSENGER_TRANSPORT_SERVICES = "VATEX-SA-34-3"
    QUALIFYING_MEANS_OF_TRANSPORT = "VATEX-SA-34-4"
    TRANSPORT_RELATED_SERVICES = "VATEX-SA-34-5"
    MEDICINES = "VATEX-SA-35"
    QUALIFYING_METALS = "VATEX-SA-36"
    PRIVATE_EDUCATION = "VATEX-SA-EDU"
    PRIVATE_HEALTHCARE = "VATEX-SA-HEA"

    @property
    def category(self) -> VatCategory:
        return _EXEMPTIONS[self][0]

    @property
    def text(self) -> str:
        """The official reason text BR-KSA-CL-05 requires next to the code."""
        return _EXEMPTIONS[self][1]

    @property
    def needs_citizen_buyer(self) -> bool:
        """Education and healthcare to citizens need the buyer's name and national ID."""
        return self in (Exemption.PRIVATE_EDUCATION, Exemption.PRIVATE_HEALTHCARE)


_EXEMPTIONS: dict[Exemption, tuple[VatCategory, str]] = {
    Exemption.FINANCIAL_SERVICES: (
        VatCategory.EXEMPT,
        "Financial services mentioned in Article 29 of the VAT Regulations",
    ),
    Exemption.LIFE_INSURANCE: (
        VatCategory.EXEMPT,
        "Life insurance services mentioned in Article 29 of the VAT Regulations",
    ),
    Exemption.REAL_ESTATE: (
        VatCategory.EXEMPT,
        "Real estate transactions mentioned in Article 30 of the VAT Regulations",
    ),
    Exemption.EXPORT_OF_GOODS: (VatCategory.ZERO_RATED, "Export of goods"),
    Exemption.EXPORT_OF_SERVICES: (VatCategory.ZERO_RATED, "Export of services"),
    Exemption.INTERNATIONAL_TRANSPORT_OF_GOODS: (VatCategory.ZERO_RATED, "The international transport of Goods"),
    Exemption.INTERNATIONAL_TRANSPORT_OF_PASSENGERS: (VatCategory.ZERO_RATED, "international transport of passengers"),
    Exemption.PASSENGER_TRANSPORT_SERVICES: (
        VatCategory.ZERO_RATED,
        "services directly connected and incidental to a Supply of international passenger transport",
    ),
    Exemption.QUALIFYING_MEANS_OF_TRANSPORT: (VatCategory.ZERO_RATED, "Supply of a qualifying means of transport"),
    Exemption.TRANSPORT_RELATED_SERVICES: (
        VatCategory.ZERO_RATED,
        "Any services relating to Goods or passenger transportation, as defined in article twenty five "
        "of these Regulations",
    ),
    Exemption.MEDICINES: (VatCategory.ZERO_RATED, "Medicines and medical equipment"),
    Exemption.QUALIFYING_METALS: (VatCategory.ZERO_RATED, "Qualifying metals"),
    Exemption.PRIVATE_EDUCATION: (VatCategory.ZERO_RATED, "Private education to citizen"),
    Exemption.PRIVATE_HEALTHCARE: (VatCategory.ZERO_RATED, "Private healthcare to citizen"),
}


@dataclass(frozen=True)
class TaxCategory:
    """The VAT treatment of a line or an allowance; build one with the class methods."""

    code: VatCategory
    rate_bp: int = 0
    exemption: Exemption | None = None
    reason: str = ""  # the free text of an out-of-scope supply

    def __post_init__(self) -> None:
        ensure(self.code in frozenset(VatCategory), "BR-KSA-18", f"unknown VAT category {self.code!r}")
        object.__setattr__(self, "code", VatCategory(self.code))
        ensure(type(self.rate_bp) is int, "BR-KSA-DEC-02", "a VAT rate is integer basis points")
        if self.code is VatCategory.STANDARD:
            ensure(0 < self.rate_bp <= MAX_RATE_BP, "BR-S-06", "a standard rate is above 0% and at most 100%")
            ensure(self.exemption is None and not self.reason, "BR-S-10", "a standard rate has no exemption")
        elif self.code is VatCategory.OUT_OF_SCOPE:
            ensure(self.rate_bp == 0 and self.exemption is None, "BR-O-05", "out of scope has no rate nor code")
            ensure(bool(self.reason.strip()), "BR-O-10", "out of scope needs a reason text")
        else:
            ensure(self.rate_bp == 0, "BR-Z-05", f"category {self.code} is charged at 0%")
            ensure(
                self.exemption is not None and self.exemption.category is self.code and not self.reason,
                "BR-KSA-CL-04",
                f"category {self.code} needs one of its own exemption codes",
            )

    @classmethod
    def standard(cls, rate_bp: int = SA_STANDARD_RATE_BP) -> TaxCategory:
        return cls(VatCategory.STANDARD, rate_bp)

    @classmethod
    def zero_rated(cls, exemption: Exemption) -> TaxCategory:
        return cls(VatCategory.ZERO_RATED, exemption=exemption)

    @classmethod
    def exempt(cls, exemption: Exemption) -> TaxCategory:
        return cls(VatCategory.EXEMPT, exemption=exemption)

    @classmethod
    def out_of_scope(cls, reason: str = "Not subject to VAT") -> TaxCategory:
        return cls(VatCategory.OUT_OF_SCOPE, reason=reason)

    @property
    def has_rate(self) -> bool:
        """Out-of-scope supplies carry no ``cbc:Percent`` at all (BR-O-05, BR-O-06)."""
        return self.code is not VatCategory.OUT_OF_SCOPE

    @property
    def reason_text(self) -> str:
        """The exemption reason text for the XML, empty for a standard rate."""
        return self.exemption.text if self.exemption else self.reason
