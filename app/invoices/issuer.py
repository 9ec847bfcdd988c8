"""The platform as the supplier of its invoices, built from ``Settings.platform``.

The settings check it once when they load (an invalid VAT number or address refuses to start),
and the service builds every invoice's seller block from it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.invoices.zatca import Address, Party, PartyId

if TYPE_CHECKING:
    from app.core.settings import PlatformIdentity


def platform_party(platform: PlatformIdentity) -> Party:
    """The seller block: legal name, national address, VAT number and commercial registration.

    Raises:
        ZatcaError: naming the rule an identity field breaks.
    """
    address = Address(
        street=platform.street,
        city=platform.city,
        postal_code=platform.postal_code,
        country=platform.country,
        building_number=platform.building_number,
        district=platform.district,
        additional_number=platform.additional_number,
    )
    return Party(platform.name_ar, address, platform.vat_number, PartyId("CRN", platform.commercial_registration))
