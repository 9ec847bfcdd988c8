"""Bank transfer: checkout asks for a transfer, the buyer uploads the receipt, an admin confirms
or rejects, the job expires what nobody confirmed; money moves once, through checkout's path."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from app.cli import main
from app.core import db
from app.core.errors import MihanError
from app.core.settings import get_settings
from app.orders import jobs, transfers
from app.payments import bank
from models.orders import Notification, PaymentStatus
from models.payments import BankTransfer, TransferStatus
from tests.integration.gatewaykit import held, paid_once, payment_rows, start, unpaid
from tests.integration.orderkit import IBAN, T0, act, now, order_of, place, refused, shop  # noqa: F401 (fixtures)
from state.checkout import CheckoutState
from state.session import SessionState
from state.transfers import TransfersQueueState
from tests.integration.statekit import ar, png_bytes, redirects, rows, upload
from tests.integration.test_order_state import tab, toasts
from tests.integration.test_order_concurrency import at_once

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def bank_on(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The bank gateway switched on beside the sandbox, with the published example IBAN."""
    for name, value in {
        "MIHAN_PAYMENT_GATEWAYS": "sandbox,bank",
        "MIHAN_BANK_IBAN": IBAN,
        "MIHAN_BANK_HOLDER": "شركة مهن للخدمات الرقمية",
        "MIHAN_BANK_NAME": "البنك التجريبي",
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def asked(shop: dict[str, int]) -> tuple[int, str]:
    """An order whose buyer chose «تحويل بنكي»: (order, the transfer's reference)."""
    order_id = place(shop)
    url = start(shop, order_id, "bank")
    return order_id, url.rsplit("=", 1)[-1]


def receipt(shop: dict[str, int], order_id: int, data: bytes = PDF, user: str = "buyer") -> BankTransfer:
    return act(transfers.upload_receipt, order_id=order_id, user_id=shop[user], filename="إيصال.pdf", data=data, now=T0)


def confirm(shop: dict[str, int], reference: str, user: str = "admin", when=T0):  # type: ignore[no-untyped-def]
    return act(transfers.confirm, admin_id=shop[user], reference=reference, bank_reference="FT2611019912", now=when)


def reject(shop: dict[str, int], reference: str):  # type: ignore[no-untyped-def]
    return act(transfers.reject, admin_id=shop["admin"], reference=reference, reason="لم يصل المبلغ إلى الحساب.", now=T0)


def books_clean() -> None:
    """``mihan ledger check``: the ledger's rules and the orders' audit find nothing."""
    assert main(["ledger", "check", "--json"]) == 0


def kinds(user_id: int) -> list[str]:
    return [n.kind for n in rows(Notification, Notification.user_id == user_id)]


def test_a_transfer_is_asked_once_paid_once_and_its_receipt_shown_only_to_the_buyer_and_admins(shop: dict[str, int], bank_on: None, now) -> None:  # type: ignore[no-untyped-def]
    # given: the buyer picks bank transfer, twice (a double click)
    order_id, reference = asked(shop)
    assert start(shop, order_id, "bank").endswith(f"/checkout/{order_id}/return?reference={reference}")
    assert bank.is_reference(reference) and len(rows(BankTransfer)) == 1
    with db.reading() as session:
        shown = transfers.instructions(session, order_id=order_id, buyer_id=shop["buyer"])
        assert transfers.instructions(session, order_id=order_id, buyer_id=shop["other"]) is None
    assert shown is not None and shown.iban == "SA03 8000 0000 6080 1016 7519" and shown.amount.minor == order_of(order_id).total_minor
    assert shown.due_at == T0 + timedelta(days=3) and shown.status == TransferStatus.PENDING.value
    # the normal unpaid expiry leaves an order waiting on its transfer alone
    assert jobs.run_all(T0 + timedelta(days=2))["unpaid"] == 0
    unpaid(order_id, "bank")
    # when: the buyer uploads a receipt, replaces it, and an admin confirms
    first = receipt(shop, order_id, png_bytes()).receipt_token
    token = receipt(shop, order_id).receipt_token
    assert token != first
    with db.reading() as session:
        assert transfers.open_receipt(session, token=token, user_id=shop["buyer"]) is not None
        assert transfers.open_receipt(session, token=token, user_id=shop["admin"]) is not None
        assert transfers.open_receipt(session, token=token, user_id=shop["other"]) is None
        assert transfers.open_receipt(session, token=first, user_id=shop["buyer"]) is None
        assert [item.reference for item in transfers.list_pending(session, admin_id=shop["admin"], limit=10, offset=0)] == [reference]
    confirm(shop, reference)
    # then: paid once from the bank's clearing into escrow, the buyer told; a second confirm is refused
    paid_once(order_id, "bank")
    assert order_of(order_id).status == "in_progress"
    assert "transfer_confirmed" in kinds(shop["buyer"]) and "new" in kinds(shop["seller"])
    refused("transfer.already_decided", transfers.confirm, admin_id=shop["admin"], reference=reference, bank_reference="", now=T0)
    refused("transfer.not_pending", transfers.upload_receipt, order_id=order_id, user_id=shop["buyer"], filename="x.pdf", data=PDF, now=T0)
    books_clean()


def test_refusals_change_nothing(shop: dict[str, int], bank_on: None) -> None:
    order_id, reference = asked(shop)
    refused("trust.admin_only", transfers.confirm, admin_id=shop["buyer"], reference=reference, bank_reference="", now=T0)
    refused("trust.admin_only", transfers.reject, admin_id=shop["seller"], reference=reference, reason="لا", now=T0)
    refused("transfer.reason_required", transfers.reject, admin_id=shop["admin"], reference=reference, reason="  ", now=T0)
    refused("transfer.not_found", transfers.confirm, admin_id=shop["admin"], reference="MH-0000OO", bank_reference="", now=T0)
    upload = {"order_id": order_id, "filename": "r.pdf", "now": T0}
    refused("transfer.receipt_type", transfers.upload_receipt, user_id=shop["buyer"], data=b"MZ\x90\x00 not a receipt", **upload)
    refused("transfer.receipt_type", transfers.upload_receipt, user_id=shop["buyer"], data=b"%PDF-1.4 cut short", **upload)
    refused("transfer.receipt_empty", transfers.upload_receipt, user_id=shop["buyer"], data=b"", **upload)
    refused("order.not_found", transfers.upload_receipt, user_id=shop["other"], data=PDF, **upload)
    with pytest.raises(MihanError):
        act(transfers.list_pending, admin_id=shop["buyer"], limit=10, offset=0)
    unpaid(order_id, "bank")


def test_a_rejected_transfer_leaves_the_order_to_pay_again_for_the_unpaid_period(shop: dict[str, int], bank_on: None, now) -> None:  # type: ignore[no-untyped-def]
    order_id, reference = asked(shop)
    now(T0 + timedelta(hours=30))
    reject(shop, reference)
    [payment] = payment_rows(order_id)
    assert payment.status == PaymentStatus.FAILED.value and "transfer_rejected" in kinds(shop["buyer"])
    refused("transfer.already_decided", transfers.confirm, admin_id=shop["admin"], reference=reference, bank_reference="", now=T0)
    with db.reading() as session:
        assert transfers.instructions(session, order_id=order_id, buyer_id=shop["buyer"]).reason == "لم يصل المبلغ إلى الحساب."  # type: ignore[union-attr]
    # a day after placing but not after the rejection: still there; a new transfer is a new reference
    assert jobs.run_all(T0 + timedelta(hours=40))["unpaid"] == 0
    assert start(shop, order_id, "bank").rsplit("=", 1)[-1] != reference
    unpaid(order_id, "bank")
    _, second = rows(BankTransfer)
    act(transfers.reject, admin_id=shop["admin"], reference=second.reference, reason="إيصال لحساب آخر.", now=T0 + timedelta(hours=30))
    assert jobs.run_all(T0 + timedelta(hours=55))["unpaid"] == 1
    assert order_of(order_id).status == "cancelled"
    books_clean()


def test_an_unconfirmed_transfer_expires_releases_the_order_and_cannot_be_confirmed_after(shop: dict[str, int], bank_on: None, now) -> None:  # type: ignore[no-untyped-def]
    order_id, reference = asked(shop)
    assert jobs.run_all(T0 + timedelta(days=3) - timedelta(minutes=1))["bank_transfer_expiry"] == 0
    done = jobs.run_all(T0 + timedelta(days=3))
    assert done["bank_transfer_expiry"] == 1 and jobs.run_all(T0 + timedelta(days=4))["bank_transfer_expiry"] == 0
    assert order_of(order_id).status == "cancelled" and "transfer_expired" in kinds(shop["buyer"])
    refused("transfer.expired", transfers.confirm, admin_id=shop["admin"], reference=reference, bank_reference="", now=T0 + timedelta(days=3))
    assert held(order_id, "bank") == (0, 0)
    books_clean()


def test_two_admins_deciding_at_once_give_one_outcome(shop: dict[str, int], bank_on: None) -> None:
    order_id, reference = asked(shop)
    outcomes = at_once(lambda: confirm(shop, reference), lambda: reject(shop, reference))
    assert outcomes == ["ok", "transfer.already_decided"]
    [transfer] = rows(BankTransfer)
    if transfer.status == TransferStatus.CONFIRMED.value:
        paid_once(order_id, "bank")
    else:
        unpaid(order_id, "bank")
    books_clean()


def test_the_buyer_pays_by_transfer_through_the_pages_and_an_admin_confirms_on_the_queue(shop: dict[str, int], bank_on: None) -> None:
    # given the checkout: «تحويل بنكي» is offered beside the card, never as a card
    order_id = place(shop)
    page = tab(shop, "buyer", f"/checkout/{order_id}")
    page.call(CheckoutState, "open_page")
    shown = page.state(CheckoutState)
    assert shown.bank_on and [c["value"] for c in shown.card_methods] == ["sandbox"]
    page.call(CheckoutState, "choose", "bank")
    # when the buyer pays by transfer: the return page shows what to transfer where
    [url] = redirects(page.call(CheckoutState, "pay"))
    reference = url.rsplit("=", 1)[-1]
    back = tab(shop, "buyer", url)
    assert redirects(back.call(CheckoutState, "come_back")) == []
    result = back.state(CheckoutState)
    assert (result.result, result.transfer_status, result.transfer_reference) == ("bank", "pending", reference)
    assert result.transfer_iban == "SA03 8000 0000 6080 1016 7519" and result.transfer_iban_plain == IBAN and "100.00" in result.transfer_amount_en
    # a wrong file is refused with its sentence; the receipt is taken
    assert ar("transfer.receipt_type") in toasts(back.call(CheckoutState, "upload_receipt", [upload(b"MZ not a receipt", "r.exe")]))
    back.call(CheckoutState, "upload_receipt", [upload(png_bytes(), "إيصال.png")])
    assert back.state(CheckoutState).receipt["name"] == "إيصال.png"
    # the checkout page shows the transfer too, while it waits
    page.call(CheckoutState, "open_page")
    assert page.state(CheckoutState).transfer_status == "pending"
    # then a buyer cannot see the admins' queue; the admin sees it and confirms
    stranger = tab(shop, "buyer", "/admin/transfers")
    stranger.call(TransfersQueueState, "open_page")
    assert stranger.state(TransfersQueueState).forbidden and stranger.state(TransfersQueueState).items == []
    queue = tab(shop, "admin", "/admin/transfers")
    queue.call(TransfersQueueState, "open_page")
    [item] = queue.state(TransfersQueueState).items
    assert (item["key"], item["order"], item["name"]) == (reference, f"#{order_id}", "إيصال.png") and item["late"] == ""
    assert queue.state(SessionState).pending_transfers == 1  # the console's count beside the link
    queue.call(TransfersQueueState, "decide", {"transfer": reference, "decision": "confirm", "note": "FT26110199"})
    assert queue.state(TransfersQueueState).items == []
    paid_once(order_id, "bank")
