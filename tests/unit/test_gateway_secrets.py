"""Gateway settings at rest and in the open, without a database: the encryption round trip, a
changed key file, the shapes admins may enter, and the webhook log's redaction."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core import secretbox
from app.core.settings import MoyasarSettings, PaytabsSettings, get_settings
from app.payments import config, registry, webhook_log


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MIHAN_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield tmp_path
    monkeypatch.undo()
    get_settings.cache_clear()


@settings(max_examples=30, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=20), st.text(max_size=60), min_size=1, max_size=4))
def test_sealed_values_open_again_and_never_show_in_the_token(values: dict[str, str]) -> None:
    token = secretbox.seal(values)
    assert secretbox.open_sealed(token) == values
    for value in values.values():
        if len(value) >= 12:
            assert value not in token


def test_the_key_file_is_made_once_private_and_a_changed_one_cannot_open(data_dir: Path) -> None:
    # given a secret sealed under a key file made on first use
    token = secretbox.seal({"secret_key": "sk_test_abcdefgh1234"})
    key = data_dir / secretbox.KEY_FILE
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert secretbox.seal({}) == "" and secretbox.open_sealed("") == {}
    # when the key file is replaced (lost, restored from another machine)
    key.unlink()
    secretbox.seal({"other": "value"})
    # then the old token cannot be opened, and the error names no secret
    with pytest.raises(secretbox.SecretBoxError) as caught:
        secretbox.open_sealed(token)
    assert "sk_test" not in repr(caught.value) and "1234" not in str(caught.value)
    with pytest.raises(secretbox.SecretBoxError):
        secretbox.open_sealed(token[:-4] + "AAAA")


def test_gateway_settings_never_show_their_secrets() -> None:
    moyasar = MoyasarSettings(secret_key="sk_live_SECRET9876", publishable_key="pk_live_PUB5555", webhook_secret="whsec-HIDDEN")
    paytabs = PaytabsSettings(profile_id="87614", server_key="SRVKEY-HIDDEN-1234", client_key="CLIENT-HIDDEN-99")
    shown = repr(moyasar) + repr(paytabs) + str(moyasar) + str(paytabs)
    for secret in ("SECRET9876", "PUB5555", "HIDDEN"):
        assert secret not in shown
    assert "87614" in shown


@pytest.mark.parametrize(
    ("gateway", "name", "good", "bad"),
    [
        ("moyasar", "secret_key", ["sk_test_fake7Wq2", "sk_live_" + "a" * 40], ["pk_test_abcd", "sk_test_", "sk_prod_abcd", "sk_test_ab cd", "sk_test_ابجد"]),
        ("moyasar", "publishable_key", ["pk_test_abcd1234"], ["sk_test_abcd", "pk_test_"]),
        ("moyasar", "webhook_secret", ["whsec-fake-3f9a"], ["short", "has space inside", "x" * 201]),
        ("paytabs", "profile_id", ["87614", "1"], ["", "12a", "١٢٣", "1" * 13]),
        ("paytabs", "server_key", ["SJN9ZWT6K2-JHDLBZGRTT-6LNDRZ2GBM"], ["short", "with space inside key"]),
        ("paytabs", "region", ["SAU", "ARE", "GLOBAL"], ["sau", "XXX", ""]),
    ],
)
def test_fields_accept_only_their_shape(gateway: str, name: str, good: list[str], bad: list[str]) -> None:
    [field] = [f for f in config.SPECS[gateway].fields if f.name == name]
    assert all(field.accepts(value) for value in good)
    assert not any(field.accepts(value) for value in bad)


def test_moyasar_keys_must_belong_to_the_chosen_mode() -> None:
    consistent = config.SPECS["moyasar"].consistent
    assert consistent({"secret_key": "sk_live_abcd", "publishable_key": "pk_live_abcd"}, True)
    assert consistent({"secret_key": "sk_test_abcd", "publishable_key": ""}, False)
    assert not consistent({"secret_key": "sk_test_abcd"}, True)
    assert not consistent({"secret_key": "sk_live_abcd", "publishable_key": "pk_test_abcd"}, True)


def test_every_known_gateway_has_a_settings_spec_and_texts() -> None:
    from app.core.i18n import catalogue

    assert set(registry._KNOWN) == set(config.SPECS)
    for gateway, spec in config.SPECS.items():
        keys = [f"gwsettings.name_{gateway}"] + [
            key for f in spec.fields for key in (f"gwsettings.{gateway}_{f.name}", f"gwsettings.{gateway}_{f.name}_hint", f"gwsettings.bad_{gateway}_{f.name}", f"gwsettings.field_{f.name}")
        ]
        for lang in ("ar", "en"):
            assert [key for key in keys if key not in catalogue(lang)] == []


def test_the_log_excerpt_hides_secrets_and_card_data() -> None:
    body = json.dumps({"id": "evt_1", "secret_token": "whsec-fake-3f9a", "data": {"id": "pay_1", "source": {"number": "4111-11XX", "name": "Abdullah"}, "amount": 10000}}).encode()
    shown = webhook_log.excerpt(body, "webhook")
    assert "whsec" not in shown and "4111" not in shown and "Abdullah" not in shown
    assert '"amount": 10000' in shown and '"evt_1"' in shown
    form = b"tranRef=TST123&cartId=pts_1&respStatus=A&signature=abcdef0123&customerEmail=a%40b.sa"
    shown = webhook_log.excerpt(form, "return")
    assert "abcdef0123" not in shown and "a@b.sa" not in shown and "TST123" in shown
    assert webhook_log.excerpt(b"\xff\xfe not json", "webhook") == ""
    assert len(webhook_log.excerpt(json.dumps({"a": "x" * 2000}).encode(), "webhook")) == webhook_log.EXCERPT


@pytest.mark.parametrize(("key", "outcome"), [("payment.bad_signature", "bad_signature"), ("payment.bad_webhook", "bad_body"), ("payment.whatever", "error")])
def test_refusals_are_named_for_the_log(key: str, outcome: str) -> None:
    assert webhook_log.outcome_of(key) == outcome
    assert outcome in webhook_log.ALL_OUTCOMES
