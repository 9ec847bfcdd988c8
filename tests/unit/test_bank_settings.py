"""The bank transfer gateway's settings checks and its references (pure: no database)."""

from __future__ import annotations

import pytest

from app.core.settings import BankSettings
from app.payments import bank

GOOD = BankSettings(iban="SA0380000000608010167519", holder="شركة مهن", bank_name="البنك التجريبي")


def test_a_saudi_iban_with_holder_and_bank_is_accepted_and_printed_in_fours() -> None:
    assert bank.checked_settings(GOOD) == GOOD
    assert bank.grouped_iban(GOOD.iban) == "SA03 8000 0000 6080 1016 7519"


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"iban": ""}, "MIHAN_BANK_IBAN is not set"),
        ({"iban": "SA0380000000608010167518"}, "not a valid IBAN"),  # one digit off: mod-97 fails
        ({"iban": "GB82WEST12345698765432"}, "not a Saudi IBAN"),  # valid, but not Saudi
        ({"holder": ""}, "MIHAN_BANK_HOLDER"),
        ({"bank_name": ""}, "MIHAN_BANK_NAME"),
        ({"days": 0}, "MIHAN_BANK_TRANSFER_DAYS"),
        ({"days": 31}, "MIHAN_BANK_TRANSFER_DAYS"),
    ],
)
def test_settings_a_buyer_could_not_transfer_with_are_refused_naming_the_variable(changes: dict[str, object], named: str) -> None:
    with pytest.raises(ValueError, match=named):
        bank.checked_settings(BankSettings(**{**GOOD.__dict__, **changes}))


def test_references_are_short_and_free_of_look_alike_characters() -> None:
    made = {bank.new_reference() for _ in range(200)}
    assert all(bank.is_reference(ref) and len(ref) == 9 and not set(ref[3:]) & set("01OIL") for ref in made)
    assert len(made) > 190  # random, not a counter
    assert not any(bank.is_reference(junk) for junk in ("MH-0000OO", "mh-7k3q9p", "MH-7K3Q9P ", None, 7))


@pytest.mark.parametrize(("chosen", "expected"), [("", ("sandbox", "bank")), ("sandbox", ("sandbox",))])
def test_the_demo_offers_bank_transfer_unless_the_operator_chose_gateways(
    monkeypatch: pytest.MonkeyPatch, chosen: str, expected: tuple[str, ...]
) -> None:
    from app.cli import DEMO_GATEWAYS, demo_gateways
    from app.core.settings import get_settings
    from app.payments import enabled_gateways

    for name in DEMO_GATEWAYS:  # recorded, so whatever demo_gateways writes is undone after
        monkeypatch.setenv(name, "")
    monkeypatch.setenv("MIHAN_PAYMENT_GATEWAYS", chosen)
    try:
        demo_gateways()
        assert get_settings().payment_gateways == expected
        assert [gateway.name for gateway in enabled_gateways()] == list(expected)
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
