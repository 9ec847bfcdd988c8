"""/admin/payments on a migrated database (SQLite and Postgres): the gateways' settings and their
effective configuration, the webhook log (through the real routes, with the fake Moyasar), its
retention, the payments list and the reconciliation with the ledger, and its CLI.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import httpx
import pytest

from app.cli import main
from app.core import db, secretbox
from app.core.money import Money
from app.core.settings import get_settings
from app.ledger import chart, credit, debit, post
from app.orders import jobs
from app.payments import PaymentError, config, get_gateway
from app.payments.reconcile import reconcile
from models.ledger import TransactionKind
from models.orders import Payment, PaymentStatus
from models.payments import GatewaySetting, GatewaySettingChange, WebhookLog
from state.admin_payments import AdminPaymentsState, shown_end
from tests.fakes.moyasar import SECRET_KEY, WEBHOOK_SECRET, FakeMoyasar
from tests.fakes.stripe import SECRET_KEY as STRIPE_KEY
from tests.fakes.stripe import WEBHOOK_SECRET as STRIPE_WEBHOOK
from tests.integration.gatewaykit import site, switched_on  # noqa: F401 (fixtures)
from tests.integration.orderkit import T0, now, pay_by_card, place, shop  # noqa: F401 (fixtures)
from tests.integration.statekit import Browser, add_session, ar, events_of, redirects, rows, snapshot_database, spec_args
from tests.integration.test_moyasar import fake, pay, start  # noqa: F401 (fixtures)
from tests.passwords import use_fast_password_hashing

PATH = "/admin/payments"
LIVE_KEY = "sk_live_Zq81mYt5Lw02Hx4"
BANK_IBAN = "SA0380000000608010167519"  # payments.md §6's published example
MOYASAR_ON = {"gateway": "moyasar", "enabled": "on", "mode": "test", "secret_key": SECRET_KEY, "webhook_secret": WEBHOOK_SECRET}


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fast_password_hashing(monkeypatch)


def admin_tab(shop: dict[str, int], query: str = "?tab=settings", who: str = "admin") -> tuple[Browser, Any]:
    browser = Browser(token=add_session(shop[who]), path=PATH + query)
    browser.call(AdminPaymentsState, "open_page")
    return browser, browser.state(AdminPaymentsState)


def save(browser: Browser, **form: str) -> Any:
    return browser.call(AdminPaymentsState, "save_gateway", form)


# -- settings ---------------------------------------------------------------------------------


def test_the_page_and_its_handlers_are_for_admins_only(shop: dict[str, int]) -> None:
    buyer = Browser(token=add_session(shop["buyer"]), path=PATH)
    before = snapshot_database()
    visitor = Browser(path=PATH)
    assert redirects(visitor.call(AdminPaymentsState, "open_page")) == [f"/login?next={PATH}"]
    assert redirects(save(visitor, **MOYASAR_ON)) == [f"/login?next={PATH}"]
    buyer.call(AdminPaymentsState, "open_page")
    shown = buyer.state(AdminPaymentsState)
    save(buyer, **MOYASAR_ON)
    buyer.call(AdminPaymentsState, "apply_filter", {"gateway": "sandbox"})
    assert shown.forbidden is True and shown.settings == {} and shown.items == []
    assert snapshot_database() == before and config.enabled_names() == ("sandbox",)


def test_an_admin_switches_moyasar_on_at_once_and_never_sees_its_keys_again(shop: dict[str, int]) -> None:
    # given the environment's sandbox alone
    with pytest.raises(PaymentError):
        get_gateway("moyasar")
    browser, shown = admin_tab(shop)
    assert shown.settings["moyasar.enabled"] == "off" and shown.settings["moyasar.secret_key.status_ar"] == ar("gwsettings.secret_unset")
    # when an admin enters Moyasar's keys and switches it on
    save(browser, **MOYASAR_ON)
    # then it takes effect without a restart, with the keys entered
    assert shown.error == "" and config.enabled_names() == ("sandbox", "moyasar")
    assert get_gateway("moyasar").name == "moyasar" and config.effective("moyasar").secret_key == SECRET_KEY
    # and the page shows only that a key is set and how it ends, never the key
    assert shown.settings["moyasar.secret_key.status_ar"] == ar("gwsettings.secret_set", end=shown_end(SECRET_KEY[-4:]))
    sent = browser.client_json()
    assert SECRET_KEY not in sent and WEBHOOK_SECRET not in sent
    # and the database holds them encrypted only
    [row] = rows(GatewaySetting)
    assert SECRET_KEY not in row.secrets + row.values_json and WEBHOOK_SECRET not in row.secrets
    # and who changed which field is audited, never the value
    changes = rows(GatewaySettingChange)
    assert sorted(c.field for c in changes) == ["enabled", "live", "secret_key", "webhook_secret"]
    assert {c.admin_id for c in changes} == {shop["admin"]}
    assert [c["admin"] for c in shown.changes] == ["المشرف"] * 4
    # when the admin saves again with the secret fields left empty, then the keys are kept
    save(browser, gateway="moyasar", enabled="on", mode="test", secret_key="", webhook_secret="  ")
    assert config.effective("moyasar").secret_key == SECRET_KEY and config.effective("moyasar").webhook_secret == WEBHOOK_SECRET
    assert len(rows(GatewaySettingChange)) == 4
    # when it is switched off, then buyers can no longer pick it
    save(browser, gateway="moyasar", enabled="off", mode="test")
    assert config.enabled_names() == ("sandbox",)
    with pytest.raises(PaymentError):
        get_gateway("moyasar")


JUNK = [
    (MOYASAR_ON | {"secret_key": "pk_test_abcdefgh"}, "gwsettings.bad_moyasar_secret_key"),
    (MOYASAR_ON | {"webhook_secret": "short"}, "gwsettings.bad_moyasar_webhook_secret"),
    (MOYASAR_ON | {"mode": "live"}, "gwsettings.mode_mismatch"),
    (MOYASAR_ON | {"secret_key": LIVE_KEY}, "gwsettings.mode_mismatch"),
    ({"gateway": "moyasar", "enabled": "on", "mode": "test"}, "gwsettings.missing_keys"),
    ({"gateway": "paytabs", "enabled": "on", "mode": "live", "server_key": "SJN9ZWT6K2-JHDLBZGRTT"}, "gwsettings.missing_keys"),
    ({"gateway": "paytabs", "enabled": "off", "mode": "test", "region": "ATLANTIS"}, "gwsettings.bad_paytabs_region"),
    ({"gateway": "paytabs", "enabled": "off", "mode": "test", "profile_id": "87 614"}, "gwsettings.bad_paytabs_profile_id"),
    ({"gateway": "bank", "enabled": "on", "mode": "test", "iban": "SA0380000000608010167518", "holder": "مهن", "bank_name": "الأهلي"}, "gwsettings.bad_bank_iban"),
    ({"gateway": "bank", "enabled": "off", "mode": "test", "days": "45"}, "gwsettings.bad_bank_days"),
    ({"gateway": "bank", "enabled": "on", "mode": "test", "iban": BANK_IBAN}, "gwsettings.missing_keys"),
    ({"gateway": "stripe", "enabled": "on", "mode": "test", "secret_key": "pk_test_abcdefgh12"}, "gwsettings.bad_stripe_secret_key"),
    ({"gateway": "stripe", "enabled": "on", "mode": "live", "secret_key": "sk_test_abcdefgh12"}, "gwsettings.mode_mismatch"),
    ({"gateway": "stripe", "enabled": "off", "mode": "test", "currency": "USD"}, "gwsettings.bad_stripe_currency"),
    (MOYASAR_ON | {"gateway": "paypal"}, "gwsettings.unknown_gateway"),
    (MOYASAR_ON | {"enabled": True}, "gwsettings.unknown_gateway"),
    (MOYASAR_ON | {"mode": ["live"]}, "gwsettings.unknown_gateway"),
]


def test_junk_settings_are_refused_in_arabic_and_change_nothing(shop: dict[str, int]) -> None:
    browser, shown = admin_tab(shop)
    for form, key in JUNK:
        save(browser, **form)
        assert (form, shown.error) == (form, ar(key))
    assert rows(GatewaySetting) == [] and rows(GatewaySettingChange) == [] and config.enabled_names() == ("sandbox",)


def test_an_admin_sets_up_bank_transfer_and_buyers_see_that_account(shop: dict[str, int]) -> None:
    # when an admin enters the platform's account and switches bank transfer on
    browser, shown = admin_tab(shop)
    save(browser, gateway="bank", enabled="on", mode="live", iban=BANK_IBAN, holder="شركة مِهَن", bank_name="البنك الأهلي السعودي", days="5")
    # then buyers can pick it at once, with that account and that many days to pay
    assert shown.error == "" and config.enabled_names() == ("sandbox", "bank")
    account = config.effective("bank")
    assert (account.iban, account.holder, account.bank_name, account.days) == (BANK_IBAN, "شركة مِهَن", "البنك الأهلي السعودي", 5)
    assert get_gateway("bank").name == "bank" and shown.settings["bank.days"] == "5"


def test_an_admin_switches_stripe_on_for_a_uae_entity(shop: dict[str, int]) -> None:
    browser, shown = admin_tab(shop)
    save(browser, gateway="stripe", enabled="on", mode="test", secret_key=STRIPE_KEY, webhook_secret=STRIPE_WEBHOOK, currency="AED")
    assert shown.error == "" and config.enabled_names() == ("sandbox", "stripe")
    stripe = config.effective("stripe")
    assert (stripe.secret_key, stripe.webhook_secret, stripe.currency) == (STRIPE_KEY, STRIPE_WEBHOOK, "AED")
    assert get_gateway("stripe").name == "stripe" and STRIPE_KEY not in browser.client_json()


def test_admin_values_override_the_environment_field_by_field(shop: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    # given PayTabs configured by the environment
    for name, value in {"MIHAN_PAYMENT_GATEWAYS": "sandbox,paytabs", "MIHAN_PAYTABS_PROFILE_ID": "87614", "MIHAN_PAYTABS_SERVER_KEY": "ENVKEY-0000-1111"}.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    browser, shown = admin_tab(shop)
    assert shown.settings["paytabs.profile_id"] == "87614" and shown.settings["paytabs.source"] == "env"
    assert ar("gwsettings.from_env") in shown.settings["paytabs.server_key.status_ar"]
    # when an admin changes the region only
    save(browser, gateway="paytabs", enabled="on", mode="test", region="ARE")
    # then the region is the admin's and the keys still the environment's
    paytabs = config.effective("paytabs")
    assert (paytabs.region, paytabs.profile_id, paytabs.server_key) == ("ARE", "87614", "ENVKEY-0000-1111")
    assert get_gateway("paytabs").name == "paytabs"
    # when the admin switches off a gateway the environment names, then it is off
    save(browser, gateway="sandbox", enabled="off", mode="test")
    assert config.enabled_names() == ("paytabs",)


def test_a_lost_key_file_drops_the_stored_secrets_and_says_so(shop: dict[str, int]) -> None:
    browser, shown = admin_tab(shop)
    save(browser, **MOYASAR_ON)
    secretbox.key_path().unlink()
    assert config.effective("moyasar").secret_key == ""
    browser.call(AdminPaymentsState, "open_page")
    assert shown.settings["moyasar.unreadable"] == "1"
    with pytest.raises(ValueError, match="MIHAN_MOYASAR_SECRET_KEY"):
        get_gateway("moyasar")
    # when the admin enters the keys again, then they are stored under the new key file
    save(browser, **MOYASAR_ON)
    assert shown.error == "" and config.effective("moyasar").secret_key == SECRET_KEY


# -- the webhook log --------------------------------------------------------------------------


def test_every_webhook_is_logged_with_its_outcome_and_no_secret(shop: dict[str, int], fake: FakeMoyasar, site: str) -> None:
    # given a paid Moyasar invoice whose webhook has not arrived
    order_id = place(shop)
    pay(start(shop, order_id))
    [genuine] = fake.events
    client = httpx.Client(base_url=site)
    # when it arrives, then a forged one, then the genuine one again, then one for a gateway that is off
    assert fake.deliver(site + "/payments/webhook/moyasar") == [200]
    assert client.post("/payments/webhook/moyasar", json=genuine | {"secret_token": "guessed"}).status_code == 400
    assert client.post("/payments/webhook/moyasar", content=b"not json").status_code == 400
    assert fake.deliver(site + "/payments/webhook/moyasar", [genuine]) == [200]
    assert client.post("/payments/webhook/paytabs", json={"tran_ref": "TST1"}).status_code == 404
    # then each is logged, newest last here, with our reference when verified
    logged = sorted(rows(WebhookLog), key=lambda r: r.id)
    assert [(r.gateway, r.channel, r.outcome) for r in logged] == [
        ("moyasar", "webhook", "ok"),
        ("moyasar", "webhook", "bad_signature"),
        ("moyasar", "webhook", "bad_body"),
        ("moyasar", "webhook", "replay"),
        ("paytabs", "webhook", "gateway_off"),
    ]
    [payment] = rows(Payment)
    assert logged[0].reference == logged[3].reference == payment.reference and logged[1].reference == ""
    assert all(r.source_ip == "testclient" and len(r.digest) == 64 for r in logged)  # the loopback server hands requests to a TestClient
    assert not any(WEBHOOK_SECRET in r.excerpt or "guessed" in r.excerpt for r in logged)
    # and the admins' tab lists them newest first, refusals alone when asked
    _, shown = admin_tab(shop, "?tab=webhooks&outcome=refused&gateway=moyasar")
    assert [item["outcome"] for item in shown.items] == ["bad_body", "bad_signature"]
    assert all(item["refused"] == "1" for item in shown.items)


def test_old_log_rows_are_deleted_by_the_jobs(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as session:
        for days in (91, 89):
            session.add(WebhookLog(gateway="sandbox", channel="webhook", outcome="ok", digest="0" * 64, received_at=T0 - timedelta(days=days)))
    assert jobs.run_all(T0)["webhook_log_retention"] == 1
    assert [r.received_at.day for r in rows(WebhookLog)] == [(T0 - timedelta(days=89)).day]
    assert jobs.run_all(T0)["webhook_log_retention"] == 0


# -- payments and reconciliation --------------------------------------------------------------


def _payment(shop: dict[str, int], reference: str, minor: int, *, ledger_minor: int = 0) -> None:
    """A paid sandbox payment of a new order, booked in the ledger at ``ledger_minor`` (0: not at all)."""
    order_id = place(shop)
    with db.transaction() as session:
        session.add(
            Payment(order_id=order_id, buyer_id=shop["buyer"], gateway="sandbox", reference=reference, amount_minor=minor,
                    status=PaymentStatus.PAID.value, created_at=T0, updated_at=T0)
        )
        if ledger_minor:
            _book(session, f"payment:sandbox:{reference}", ledger_minor, shop["buyer"])


def _book(session: Any, key: str, minor: int, buyer: int) -> None:
    amount = Money(minor, "SAR")
    post(session, key, [debit(chart.psp_clearing("sandbox"), amount), credit(chart.buyer_wallet(buyer), amount)], kind=TransactionKind.PAYMENT)


def test_reconciliation_finds_each_kind_of_mismatch(shop: dict[str, int], capsys: pytest.CaptureFixture[str]) -> None:
    # given an order paid by card the normal way: everything matches
    reference = pay_by_card(shop, place(shop))
    report = with_report()
    assert report.ok and [(t.gateway, t.paid_count, t.paid_minor, t.ledger_in_minor) for t in report.totals] == [("sandbox", 1, 10000, 10000)]
    assert main(["payments", "reconcile", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
    # when the books and the payments disagree in every way
    _payment(shop, "manual-missing", 2500)
    _payment(shop, "manual-short", 5000, ledger_minor=4000)
    with db.transaction() as session:
        _book(session, "payment:sandbox:ghost", 1000, shop["buyer"])
        get_gateway("sandbox").refund(session, reference=reference, amount=Money(1500, "SAR"), idempotency_key="refund-1")
    # then each is reported once, with the amounts on both sides
    found = {(m.kind, m.reference or m.ledger_key): (m.paid_minor, m.ledger_minor, m.gateway_refunded_minor, m.ledger_refunded_minor) for m in with_report().mismatches}
    assert found == {
        ("missing_in_ledger", "manual-missing"): (2500, 0, 0, 0),
        ("amount_mismatch", "manual-short"): (5000, 4000, 0, 0),
        ("not_paid", "payment:sandbox:ghost"): (0, 1000, 0, 0),
        ("refund_mismatch", reference): (10000, 10000, 1500, 0),
    }
    # and the CLI says the same in JSON and exits 1
    assert main(["payments", "reconcile", "--json"]) == 1
    printed = json.loads(capsys.readouterr().out)
    assert printed["ok"] is False and len(printed["mismatches"]) == 4
    assert printed["gateways"] == [
        {"gateway": "sandbox", "currency": "SAR", "paid_count": 3, "paid_minor": 17500, "ledger_in_minor": 15000,
         "gateway_refunded_minor": 1500, "ledger_refunded_minor": 0, "clearing_minor": 15000, "mismatches": 4}
    ]
    # and the admins' tab highlights them
    browser, shown = admin_tab(shop, "?tab=reconcile")
    assert shown.mismatch_count == 4 and shown.totals[0]["bad"] == "1"
    assert {item["kind"] for item in shown.items} == {"missing_in_ledger", "amount_mismatch", "not_paid", "refund_mismatch"}
    # and «اسأل البوابة» shows the gateway's word about a payment, changing nothing
    [refunded] = [item for item in shown.items if item["kind"] == "refund_mismatch"]
    before = snapshot_database()
    said = [spec_args(e) for e in events_of(browser.call(AdminPaymentsState, "reverify", {"payment": refunded["payment"]}))]
    assert shown.error == "" and reference in str(said) and "15.00" in str(said)
    for junk in ({"payment": "999999"}, {"payment": "abc"}, {"payment": 1.5}, {}):
        browser.call(AdminPaymentsState, "reverify", junk)
        assert shown.error == ar("payment.unknown_payment")
    assert snapshot_database() == before


def with_report() -> Any:
    with db.reading() as session:
        return reconcile(session)


def test_the_payments_tab_filters_and_refuses_bad_dates(shop: dict[str, int]) -> None:
    pay_by_card(shop, place(shop))
    pay_by_card(shop, place(shop), card="4000000000000002")
    _, shown = admin_tab(shop, "")
    assert sorted(item["status"] for item in shown.items) == ["failed", "paid"] and shown.total == 2
    declined = next(item for item in shown.items if item["status"] == "failed")
    assert declined["failure_ar"] == ar("payment.declined") and declined["order_href"].startswith("/orders/")
    browser, shown = admin_tab(shop, "?status=paid&gateway=sandbox&from=2026-11-01&to=2026-11-01")
    assert [item["status_ar"] for item in shown.items] == [ar("admin_payments.status_paid")]
    browser, shown = admin_tab(shop, "?from=2026-10-31&to=2026-10-31")
    assert shown.items == []
    browser, shown = admin_tab(shop, "?from=yesterday&status=nope")
    assert shown.error == ar("invoice.bad_date") and shown.total == 2
    result = browser.call(AdminPaymentsState, "apply_filter", {"from": "2026-11-30", "to": "2026-11-01"})
    assert shown.error == ar("invoice.bad_period") and redirects(result) == []
    result = browser.call(AdminPaymentsState, "apply_filter", {"gateway": "sandbox", "status": "paid", "from": "2026-11-01", "to": ""})
    assert redirects(result) == [f"{PATH}?gateway=sandbox&status=paid&from=2026-11-01"]
