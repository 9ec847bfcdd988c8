"""Deemed-supplier mode (SQLite and Postgres): an unregistered seller's order is invoiced in full
to the buyer at payment, its VAT booked at completion, refunds credited exactly, the mode frozen
at checkout, the audit rule, tips, and the seller's VAT setting on the account page."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from lxml import etree
from sqlmodel import select

from app import ledger
from app.cli import main
from app.core import db
from app.core.money import Money
from app.core.settings import get_settings
from app.invoices import InvoiceError, issue_credit_note, vat_report
from app.invoices.sheet import invoice_sheet
from app.invoices.zatca import decode_qr, verify_invoice
from app.invoices.zatca._xml import NS
from app.ledger import chart
from app.orders import audit, funds, lifecycle, views
from app.orders.errors import OrderError
from models.accounts import SellerProfile
from models.invoices import Invoice
from models.ledger import LedgerAccount
from models.orders import Order
from state.profile import ProfileState
from tests.integration.ledgerkit import tamper
from tests.integration.orderkit import (  # noqa: F401 (fixtures)
    act,
    cancel_by_agreement,
    completed,
    deliver_and_accept,
    ledger_clean,
    money,
    now,
    order_of,
    paid,
    pay_by_card,
    place,
    shop,
    top_up,
)
from tests.integration.statekit import Browser, add_session, add_user, ar, rows, snapshot_database
from tests.integration.test_catalog_state import make_seller
from tests.integration.test_invoice_documents import tip
from tests.integration.test_invoices import assert_unbroken, documents, totals
from tests.passwords import use_fast_password_hashing

VAT = chart.vat_output("SA")
DAY = date(2026, 11, 1)  # orderkit's frozen clock: 1 November, 12:00 in Riyadh


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fast_password_hashing(monkeypatch)


@pytest.fixture
def fees(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Set the fee policy file; each call writes a new file (the policy is cached by path)."""
    written = iter(range(100))

    def use(**policy: object) -> None:
        path = tmp_path / f"fees-{next(written)}.json"
        path.write_text(json.dumps(policy))
        monkeypatch.setenv("MIHAN_FEES_FILE", str(path))
        get_settings.cache_clear()

    yield use
    monkeypatch.delenv("MIHAN_FEES_FILE", raising=False)
    get_settings.cache_clear()


@pytest.fixture
def deemed(fees) -> None:  # type: ignore[no-untyped-def]
    """The switch on, with the buyer fee (5.5% + 3.00 under 100.00) so every line shows."""
    fees(deemed_supplier=True, buyer_fee_enabled=True)


def xpath(invoice: Invoice, path: str) -> list[str]:
    root = etree.fromstring(invoice.xml.encode())
    return [str(found) if isinstance(found, str) else found.text for found in root.xpath(path, namespaces=NS)]


def breaches() -> list[str]:
    with db.reading() as session:
        return [f"{b.rule}: {b.detail}" for b in audit.order_breaches(session)]


def vat_matches_ledger() -> int:
    """The VAT report of the day equals the output-VAT account; returns it."""
    with db.reading() as session:
        reported = vat_report(session, start=DAY, end=DAY).total.vat.minor
        booked = ledger.balance(session, VAT).minor
    assert reported == booked
    return booked


# -- pay, complete, invoice ------------------------------------------------------------------


def test_a_deemed_order_is_invoiced_in_full_to_the_buyer_at_payment_and_its_vat_booked_at_completion(shop: dict[str, int], deemed) -> None:  # type: ignore[no-untyped-def]
    # given two basic packages (2 x 100.00) with both extras (50.00, 150.00) of an unregistered seller
    order_id = place(shop, quantity=2, extras=[0, 1])
    order = order_of(order_id)
    # then checkout froze the mode and the money: fee 5.5% of 400.00, VAT 15% of 422.00 once
    assert order.deemed_supplier
    assert (order.subtotal_minor, order.buyer_fee_minor, order.buyer_fee_vat_minor, order.full_price_vat_minor) == (40000, 2200, 0, 6330)
    assert (order.commission_minor, order.commission_vat_minor, order.seller_net_minor, order.total_minor) == (8000, 0, 32000, 48530)
    # when it is paid
    pay_by_card(shop, order_id)
    # then one simplified full-price invoice goes to the buyer, one line per package, extra and fee
    [invoice] = documents(order_id)
    assert (invoice.kind, invoice.type, invoice.purpose, invoice.event, invoice.recipient_id) == ("388", "simplified", "full_price", "payment", shop["buyer"])
    assert totals(invoice) == (42200, 6330, 48530)
    assert xpath(invoice, "cac:InvoiceLine/cbc:InvoicedQuantity") == ["2", "1", "1", "1"]
    assert xpath(invoice, "cac:InvoiceLine/cac:Price/cbc:PriceAmount") == ["100.00", "50.00", "150.00", "22.00"]
    assert xpath(invoice, "cac:InvoiceLine/cac:Item/cbc:Name")[1:] == ["تطوير: تسليم سريع", "تطوير: حقوق استخدام تجاري", f"رسوم خدمة المشتري — الطلب رقم {order_id}"]
    # with the mandatory fields of a simplified invoice, the chain's links and the stamp
    assert xpath(invoice, "cbc:InvoiceTypeCode/@name") == ["0200000"]
    assert xpath(invoice, "cac:AdditionalDocumentReference[cbc:ID='ICV']/cbc:UUID") == [str(invoice.icv)]
    assert xpath(invoice, "cac:AdditionalDocumentReference[cbc:ID='PIH']/cac:Attachment/cbc:EmbeddedDocumentBinaryObject") == [invoice.pih]
    assert xpath(invoice, "cac:TaxTotal[cac:TaxSubtotal]/cac:TaxSubtotal/cbc:TaxableAmount") == ["422.00"]
    assert xpath(invoice, "cac:LegalMonetaryTotal/cbc:PayableAmount") == ["485.30"]
    assert xpath(invoice, "cac:PaymentMeans/cbc:PaymentMeansCode") == ["48"]
    assert verify_invoice(invoice.xml.encode())
    qr = decode_qr(invoice.qr)
    assert (qr.total, qr.vat, qr.vat_number, qr.stamp is not None) == (Money(48530), Money(6330), get_settings().platform.vat_number, True)
    with db.reading() as session:
        assert len(invoice_sheet(session, invoice).lines) == 4
        admin_view = views.order_detail(session, order_id=order_id, user_id=shop["admin"], is_admin=True)
    assert admin_view is not None and admin_view.deemed_supplier and admin_view.seller_vat_number == ""
    assert breaches() == []
    # when the buyer accepts the delivery
    deliver_and_accept(shop, order_id)
    # then no commission invoice follows; the VAT is booked, the seller gets the price less commission
    assert [i.id for i in documents(order_id)] == [invoice.id]
    assert (money(VAT), money(chart.COMMISSION), money(chart.BUYER_FEE), money(chart.seller_pending(shop["seller"]))) == (6330, 8000, 2200, 32000)
    assert vat_matches_ledger() == 6330
    assert_unbroken(documents())
    ledger_clean()
    assert breaches() == []


# -- refunds ---------------------------------------------------------------------------------


def test_a_cancelled_deemed_order_is_credited_in_full_and_keeps_no_vat(shop: dict[str, int], deemed) -> None:  # type: ignore[no-untyped-def]
    # given a paid deemed order and its full-price invoice
    order_id = paid(shop)
    [invoice] = documents(order_id)
    # when it is cancelled by agreement
    cancel_by_agreement(shop, order_id)
    # then one credit note reverses exactly the invoice, naming it; the buyer has everything back
    [_, note] = documents(order_id)
    assert (note.kind, note.original_invoice_id, note.recipient_id, totals(note)) == ("381", invoice.id, shop["buyer"], totals(invoice))
    assert xpath(note, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID") == [invoice.number]
    assert verify_invoice(note.xml.encode())
    assert money(chart.buyer_wallet(shop["buyer"])) == order_of(order_id).total_minor == invoice.gross_minor
    assert vat_matches_ledger() == 0
    ledger_clean()
    assert breaches() == []


def test_a_partial_refund_returns_its_vat_and_is_credited_exactly_never_above(shop: dict[str, int], deemed) -> None:  # type: ignore[no-untyped-def]
    # given a disputed deemed order: 100.00 + fee 5.50 + VAT 15.83 = 121.33
    order_id = paid(shop)
    [invoice] = documents(order_id)
    assert totals(invoice) == (10550, 1583, 12133)
    act(lifecycle.dispute, order_id=order_id, user_id=shop["buyer"], reason="التسجيل ناقص")
    # a refund that is no part of the order with its VAT is refused (nothing written)
    with pytest.raises(OrderError) as refused:
        act(lambda session: funds.refund(session, session.get(Order, order_id), 4))
    assert refused.value.key == "order.invalid_refund"
    # when an admin refunds 30.00 of the service
    act(lifecycle.resolve, order_id=order_id, admin_id=shop["admin"], outcome="refund", note="جزء من المبلغ", refund_minor=3000)
    # then the buyer gets it back with its VAT, and a credit note states exactly that
    [_, note] = documents(order_id)
    assert (totals(note), note.original_invoice_id) == ((3000, 450, 3450), invoice.id)
    assert money(chart.buyer_wallet(shop["buyer"])) == 3450
    # and the rest settles: commission on the 70.00 kept, the fee, the VAT left on the invoice
    order = order_of(order_id)
    assert (order.refunded_minor, order.refunded_vat_minor, order.commission_minor, order.seller_net_minor) == (3450, 450, 1400, 5600)
    assert (money(VAT), money(chart.seller_pending(shop["seller"])), money(chart.BUYER_FEE)) == (1133, 5600, 550)
    assert vat_matches_ledger() == 1133
    # and no credit note may go above what is left of the invoice
    with pytest.raises(InvoiceError) as above:
        act(issue_credit_note, invoice_id=invoice.id, net_minor=10550 - 3000 + 1, reason="أكثر من المتبقي", event="refund:test")
    assert above.value.key == "invoice.credit_exceeds"
    assert len(documents(order_id)) == 2
    ledger_clean()
    assert breaches() == []


# -- the mode is frozen at checkout ----------------------------------------------------------


@pytest.mark.parametrize(
    ("at_checkout", "at_completion", "purposes"),
    [({"deemed_supplier": True}, {}, ["full_price"]), ({}, {"deemed_supplier": True}, ["commission"])],
    ids=["deemed-then-off", "off-then-deemed"],
)
def test_the_invoicing_mode_is_the_one_frozen_at_checkout(shop: dict[str, int], fees, at_checkout, at_completion, purposes) -> None:  # type: ignore[no-untyped-def]
    # given an order placed under one mode
    fees(**at_checkout)
    order_id = place(shop)
    # when the switch is turned the other way and the seller registers for VAT before payment and completion
    fees(**at_completion)
    with db.transaction() as session:
        profile = session.exec(select(SellerProfile).where(SellerProfile.user_id == shop["seller"])).one()
        profile.vat_registered, profile.vat_number = not profile.vat_registered, "310123456789003"
        session.add(profile)
    pay_by_card(shop, order_id)
    deliver_and_accept(shop, order_id)
    # then the order is invoiced and booked as checkout froze it
    assert [i.purpose for i in documents(order_id)] == purposes
    assert vat_matches_ledger() == order_of(order_id).full_price_vat_minor + order_of(order_id).commission_vat_minor
    ledger_clean()
    assert breaches() == []


# -- the audit -------------------------------------------------------------------------------


def test_ledger_check_compares_a_deemed_orders_vat_with_its_invoice(shop: dict[str, int], deemed, migrated_database: str, capsys) -> None:  # type: ignore[no-untyped-def]
    # given a completed deemed order: the check passes
    order_id = completed(shop)
    assert main(["ledger", "check", "--json"]) == 0
    capsys.readouterr()
    # when someone moves a halala of its output VAT to commission in the completion's entries
    vat_id, commission_id = (ledger_account_id(VAT), ledger_account_id(chart.COMMISSION))
    for account, delta in ((vat_id, 1), (commission_id, -1)):
        tamper(
            migrated_database,
            "UPDATE ledger_entry SET amount_minor = amount_minor + :delta WHERE account_id = :account AND transaction_id = "
            "(SELECT id FROM ledger_transaction WHERE idempotency_key = :key)",
            delta=delta,
            account=account,
            key=f"order:{order_id}:complete",
        )
    # then the check fails, naming the deemed order whose VAT no longer matches its invoice
    assert main(["ledger", "check", "--json"]) == 1
    found = json.loads(capsys.readouterr().out)["breaches"]
    assert [b["detail"] for b in found if b["rule"] == "deemed_vat"] == [
        f"order {order_id} invoiced 1583 VAT on the full price and booked 1582, expected 1583"
    ]


def ledger_account_id(code: str) -> int:
    with db.reading() as session:
        return int(session.exec(select(LedgerAccount.id).where(LedgerAccount.code == code)).one())  # type: ignore[arg-type]


# -- tips --------------------------------------------------------------------------------------


def test_a_tip_on_a_deemed_order_is_invoiced_as_commission_to_the_seller(shop: dict[str, int], deemed) -> None:  # type: ignore[no-untyped-def]
    # given a completed deemed order and 20.00 in the buyer's wallet
    order_id = completed(shop)
    top_up(shop["buyer"], 2000)
    # when the buyer tips 10.00
    tip(shop, order_id, 1000)
    # then the tip stays in the agent model: commission 2.00 + 0.30 VAT invoiced to the seller
    new = [i for i in documents(order_id) if i.purpose == "tip_commission"]
    assert [(i.recipient_id, *totals(i)) for i in new] == [(shop["seller"], 200, 30, 230)]
    assert vat_matches_ledger() == 1583 + 30
    ledger_clean()
    assert breaches() == []


# -- the seller's setting ----------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["123", "312345678901234", "410123456789003", "3101234567890033", "31012345678900٣x", ["310123456789003"], None])
def test_an_invalid_vat_number_is_refused_in_arabic_and_changes_nothing(migrated_database: str, typed: object) -> None:
    # given a seller on their account page
    seller = make_seller("vat@example.com", "نورة")
    tab = Browser(token=add_session(seller), path="/account")
    tab.call(ProfileState, "open_page")
    before = snapshot_database()
    # when they save "registered" with a number that is not a KSA VAT number
    tab.call(ProfileState, "save_vat", {"vat_registered": "on", "vat_number": typed})
    # then they read why, and nothing changed
    assert tab.state(ProfileState).vat_error == ar("profile.vat_number_invalid")
    assert snapshot_database() == before


def test_the_seller_records_their_vat_registration_for_new_orders(migrated_database: str, fees) -> None:  # type: ignore[no-untyped-def]
    # given the switch on and an unregistered seller: the page says the platform is the deemed supplier
    fees(deemed_supplier=True)
    seller = make_seller("vat@example.com", "نورة")
    tab = Browser(token=add_session(seller), path="/account")
    tab.call(ProfileState, "open_page")
    assert tab.state(ProfileState).vat_deemed
    # when they save their VAT number, typed in Arabic-Indic digits with spaces
    tab.call(ProfileState, "save_vat", {"vat_registered": "on", "vat_number": "٣١٠ ١٢٣ ٤٥٦ ٧٨٩ ٠٠٣"})
    # then it is stored as 15 digits and their orders leave the deemed-supplier mode
    [profile] = rows(SellerProfile, SellerProfile.user_id == seller)
    assert (profile.vat_registered, profile.vat_number) == (True, "310123456789003")
    page = tab.state(ProfileState)
    assert (page.vat_error, page.vat_deemed, page.vat_number) == ("", False, "310123456789003")
    # a call without the form's number field (no form sends that) changes nothing
    tab.call(ProfileState, "save_vat", {})
    assert tab.state(ProfileState).vat_error == ar("profile.vat_number_invalid")
    assert rows(SellerProfile, SellerProfile.user_id == seller)[0].vat_registered
    # and unticking it clears the number
    tab.call(ProfileState, "save_vat", {"vat_number": "310123456789003"})
    [profile] = rows(SellerProfile, SellerProfile.user_id == seller)
    assert (profile.vat_registered, profile.vat_number, tab.state(ProfileState).vat_deemed) == (False, "", True)


def test_only_sellers_have_a_vat_status(migrated_database: str) -> None:
    buyer = add_user("buyer@example.com", name="عبدالله")
    tab = Browser(token=add_session(buyer), path="/account")
    before = snapshot_database()
    tab.call(ProfileState, "save_vat", {"vat_registered": "on", "vat_number": "310123456789003"})
    assert tab.state(ProfileState).vat_error == ar("profile.vat_not_seller")
    assert snapshot_database() == before
