"""Tax invoices issued with the money (SQLite and Postgres): the commission invoice at completion,
the buyer-fee invoice at payment, credit notes for refunds, replays, the unbroken chain, the
platform's settings, and the ``mihan invoice`` CLI contract."""

from __future__ import annotations

import json
import stat
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from app.cli import main
from app.core import db
from app.core.money import Money
from app.core.settings import SettingsError, get_settings, load_settings
from app.invoices import InvoiceError, issue_credit_note, issue_for_completion
from app.invoices.credentials import credentials_path
from app.invoices.zatca import FIRST_PREVIOUS_HASH, decode_qr, invoice_hash, verify_invoice
from app.orders import jobs, lifecycle
from app.orders.errors import OrderError
from models.invoices import Invoice
from models.orders import Order
from tests.integration.orderkit import T0, act, cancel_by_agreement, ledger_clean, now, order_of, paid, pay_by_card, place, shop  # noqa: F401 (fixtures)
from tests.passwords import use_fast_password_hashing


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    use_fast_password_hashing(monkeypatch)


@pytest.fixture
def buyer_fee(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The optional buyer service fee switched on (5.5% + 3.00 under 100.00)."""
    path = tmp_path / "fees.json"
    path.write_text(json.dumps({"buyer_fee_enabled": True}))
    monkeypatch.setenv("MIHAN_FEES_FILE", str(path))
    get_settings.cache_clear()
    yield
    monkeypatch.delenv("MIHAN_FEES_FILE")
    get_settings.cache_clear()


def completed(shop: dict[str, int]) -> int:
    order_id = place(shop)
    pay_by_card(shop, order_id)
    act(lifecycle.deliver, order_id=order_id, user_id=shop["seller"], message="التسجيل النهائي")
    act(lifecycle.accept, order_id=order_id, user_id=shop["buyer"])
    return order_id


def documents(order_id: int | None = None) -> list[Invoice]:
    with db.reading() as session:
        query = select(Invoice).order_by(col(Invoice.icv))
        if order_id is not None:
            query = query.where(Invoice.order_id == order_id)
        found = list(session.exec(query))
        for invoice in found:
            session.expunge(invoice)
        return found


def totals(invoice: Invoice) -> tuple[int, int, int]:
    return invoice.net_minor, invoice.vat_minor, invoice.gross_minor


# -- what is issued, and when ----------------------------------------------------------------


def test_a_completed_order_issues_one_commission_invoice_equal_to_its_frozen_commission(shop: dict[str, int]) -> None:
    # given a 100.00 SAR order, paid and delivered
    # when the buyer accepts it
    order_id = completed(shop)
    # then exactly one tax invoice: the commission and its VAT, to the seller, as the order froze them
    order = order_of(order_id)
    [invoice] = documents(order_id)
    assert (invoice.kind, invoice.purpose, invoice.type, invoice.recipient_id) == ("388", "commission", "simplified", shop["seller"])
    assert totals(invoice) == (order.commission_minor, order.commission_vat_minor, 2300) == (2000, 300, 2300)
    assert invoice.number == "INV-2026-000001" and invoice.issued_at is not None
    # the stamped XML verifies, and its QR says what the row says
    assert verify_invoice(invoice.xml.encode())
    qr = decode_qr(invoice.qr)
    assert (qr.total, qr.vat, qr.vat_number) == (Money(2300), Money(300), get_settings().platform.vat_number)
    ledger_clean()


def test_replays_issue_nothing_new(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    # given a completed order with its invoice
    order_id = completed(shop)
    first = documents(order_id)
    # when the completion is replayed: the service again, the auto-complete job, a second accept
    with db.transaction() as session:
        again = issue_for_completion(session, session.get(Order, order_id))  # type: ignore[arg-type]
    jobs.run_all(T0 + timedelta(days=30))
    with pytest.raises(OrderError):
        act(lifecycle.accept, order_id=order_id, user_id=shop["buyer"])
    # then the first invoice is returned and nothing else is issued
    assert again is not None and again.id == first[0].id
    assert [i.id for i in documents(order_id)] == [first[0].id]


def test_the_buyer_fee_is_invoiced_to_the_buyer_at_payment(shop: dict[str, int], buyer_fee) -> None:  # type: ignore[no-untyped-def]
    # given an order with a buyer fee
    order_id = place(shop)
    order = order_of(order_id)
    assert order.buyer_fee_minor > 0
    # when it is paid
    pay_by_card(shop, order_id)
    # then the fee and its VAT are invoiced to the buyer, in the payment's transaction
    [invoice] = documents(order_id)
    assert (invoice.purpose, invoice.recipient_id, invoice.kind) == ("buyer_fee", shop["buyer"], "388")
    assert totals(invoice) == (order.buyer_fee_minor, order.buyer_fee_vat_minor, order.buyer_fee_minor + order.buyer_fee_vat_minor)
    assert verify_invoice(invoice.xml.encode())


def test_a_full_refund_credits_the_buyer_fee_invoice_once(shop: dict[str, int], buyer_fee) -> None:  # type: ignore[no-untyped-def]
    # given a paid order whose buyer fee was invoiced
    order_id = paid(shop)
    [fee_invoice] = documents(order_id)
    # when it is cancelled by agreement (a full refund, the fee included)
    cancel_by_agreement(shop, order_id)
    # then one credit note reverses exactly the fee and its VAT, referring to the invoice
    [_, note] = documents(order_id)
    assert (note.kind, note.original_invoice_id, note.recipient_id) == ("381", fee_invoice.id, shop["buyer"])
    assert totals(note) == totals(fee_invoice)
    assert note.number.startswith("CN-") and fee_invoice.number in note.xml and verify_invoice(note.xml.encode())
    ledger_clean()


def test_a_partial_refund_invoices_commission_on_what_the_seller_keeps(shop: dict[str, int]) -> None:
    # given a disputed order
    order_id = place(shop)
    pay_by_card(shop, order_id)
    act(lifecycle.dispute, order_id=order_id, user_id=shop["buyer"], reason="التسجيل ناقص")
    # when an admin refunds half
    act(lifecycle.resolve, order_id=order_id, admin_id=shop["admin"], outcome="refund", note="نصف المبلغ", refund_minor=5000)
    # then the commission invoice is on the half the seller keeps, and no credit note is needed
    [invoice] = documents(order_id)
    assert totals(invoice) == (1000, 150, 1150) == (order_of(order_id).commission_minor, order_of(order_id).commission_vat_minor, 1150)


def test_a_refund_after_completion_is_credited_up_to_what_is_left(shop: dict[str, int]) -> None:
    # given a completed order's commission invoice (20.00 + 3.00 VAT)
    order_id = completed(shop)
    [invoice] = documents(order_id)
    # when half the commission is reversed after completion
    note = act(issue_credit_note, invoice_id=invoice.id, net_minor=1000, reason="استرداد جزئي", event="refund:5000")
    # then the credit note equals what is reversed, with its VAT, and refers to the invoice
    assert (totals(note), note.kind, note.original_invoice_id) == ((1000, 150, 1150), "381", invoice.id)
    # a replay of the same refund returns the same note
    assert act(issue_credit_note, invoice_id=invoice.id, net_minor=1000, reason="استرداد جزئي", event="refund:5000").id == note.id
    # and a credit above what is left is refused, issuing nothing
    with pytest.raises(InvoiceError) as refused:
        act(issue_credit_note, invoice_id=invoice.id, net_minor=1001, reason="أكثر من المتبقي", event="refund:10001")
    assert refused.value.key == "invoice.credit_exceeds"
    rest = act(issue_credit_note, invoice_id=invoice.id, net_minor=1000, reason="الباقي", event="refund:10000")
    assert totals(rest) == (1000, 150, 1150)
    with pytest.raises(InvoiceError):
        act(issue_credit_note, invoice_id=invoice.id, net_minor=1, reason="لا شيء متبق", event="refund:10002")
    assert len(documents(order_id)) == 3


# -- the chain -------------------------------------------------------------------------------


def assert_unbroken(chain: list[Invoice]) -> None:
    assert [i.icv for i in chain] == list(range(1, len(chain) + 1))
    assert chain[0].pih == FIRST_PREVIOUS_HASH
    for previous, current in zip(chain, chain[1:]):
        assert current.pih == previous.hash
    for invoice in chain:
        assert invoice.hash == invoice_hash(invoice.xml.encode())
    assert len({i.number for i in chain}) == len(chain)


def test_the_chain_is_continuous_across_orders_and_document_kinds(shop: dict[str, int], buyer_fee) -> None:  # type: ignore[no-untyped-def]
    # given invoices and credit notes of several orders
    first = completed(shop)
    second = place(shop)
    pay_by_card(shop, second)
    act(lifecycle.request_cancellation, order_id=second, user_id=shop["buyer"], reason="لم أعد أحتاجه")
    act(lifecycle.accept_cancellation, order_id=second, user_id=shop["seller"])
    [*_, commission] = documents(first)
    act(issue_credit_note, invoice_id=commission.id, net_minor=100, reason="تعويض", event="goodwill")
    # then they form one chain: counters 1..n, each PIH the previous hash, the first the constant
    chain = documents()
    assert len(chain) == 5  # fee + commission, fee + its credit note, the goodwill note
    assert_unbroken(chain)


def test_the_simulation_key_is_kept_in_the_data_dir_readable_by_the_owner_only(shop: dict[str, int]) -> None:
    completed(shop)
    path = credentials_path(get_settings().platform.egs_unit)
    assert path.parent.parent == get_settings().data_dir
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize("backend", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_200_invoices_from_8_threads_make_one_unbroken_chain(shop: dict[str, int]) -> None:
    # given 8 completed orders, each with its commission invoice (20.00 net)
    invoices = [documents(completed(shop))[0].id for _ in range(8)]
    failures: list[BaseException] = []

    def issue_25(invoice_id: int) -> None:
        try:
            for n in range(25):
                act(issue_credit_note, invoice_id=invoice_id, net_minor=1, reason="اختبار التزامن", event=f"load:{n}")
        except BaseException as exc:  # noqa: BLE001 (reported below)
            failures.append(exc)

    # when 8 threads issue 25 credit notes each, at once
    threads = [threading.Thread(target=issue_25, args=(invoice_id,)) for invoice_id in invoices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then all 200 were issued into one unbroken chain
    assert failures == []
    chain = documents()
    assert len(chain) == 8 + 200
    assert_unbroken(chain)


# -- settings --------------------------------------------------------------------------------


def test_an_invalid_platform_vat_number_is_refused_at_start_with_its_rule(monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    # given a VAT number that does not end in 3
    monkeypatch.setenv("MIHAN_PLATFORM_VAT_NUMBER", "310122393500000")
    get_settings.cache_clear()
    try:
        # when the settings load, or the CLI starts
        with pytest.raises(SettingsError, match="MIHAN_PLATFORM_VAT_NUMBER.*BR-KSA-40"):
            load_settings()
        code = main(["invoice", "list"])
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    # then it is refused with one line naming the variable and the rule
    assert code == 2
    error = capsys.readouterr().err.strip()
    assert "MIHAN_PLATFORM_VAT_NUMBER" in error and "BR-KSA-40" in error and "\n" not in error


def test_the_demo_defaults_are_a_valid_issuer_and_the_address_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings().platform.vat_number == "310122393500003"
    monkeypatch.setenv("MIHAN_PLATFORM_POSTAL_CODE", "123")
    with pytest.raises(SettingsError, match="BR-KSA-66"):
        load_settings()


# -- the CLI contract ------------------------------------------------------------------------


def test_cli_list_and_export_json_shapes(shop: dict[str, int], capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # given one completed order
    order_id = completed(shop)
    other = place(shop)
    capsys.readouterr()
    # when its invoices are listed as JSON
    assert main(["invoice", "list", "--order", str(order_id), "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    # then each row has the stable keys
    assert row == {
        "id": row["id"],
        "number": "INV-2026-000001",
        "kind": "invoice",
        "purpose": "commission",
        "order": order_id,
        "recipient": {"id": shop["seller"], "name": "فهد العتيبي"},
        "gross_minor": 2300,
        "currency": "SAR",
        "issued_at": T0.isoformat(),
    }
    assert main(["invoice", "list", "--order", str(other), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    # export as JSON: the row plus the chain, totals and QR
    assert main(["invoice", "export", str(row["id"]), "--format", "json"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert {k: exported[k] for k in ("net_minor", "vat_minor", "gross_minor", "icv", "original")} == {
        "net_minor": 2000, "vat_minor": 300, "gross_minor": 2300, "icv": 1, "original": None,
    }
    assert set(exported) >= {"uuid", "type", "unit", "pih", "hash", "issuer", "reason", "qr"}
    # export as XML to a file: the stamped document
    out = tmp_path / "invoice.xml"
    assert main(["invoice", "export", str(row["id"]), "--format", "xml", "--out", str(out)]) == 0
    assert verify_invoice(out.read_bytes())
    # an unknown id is one line and exit 1
    capsys.readouterr()
    assert main(["--lang", "en", "invoice", "export", "999", "--format", "json"]) == 1
    assert capsys.readouterr().err.strip() == "We could not find this invoice."
