"""Ordering: the buyer's picks on the gig page, then paying at /checkout/<order>.

On the gig page the buyer ticks extras and picks a quantity (this state), then presses
«اطلب الآن» under a package: ``place_order`` freezes the choice and the price, and the buyer
lands on /checkout/<order> with the breakdown. Paying from the wallet is one service call;
paying by card starts a gateway payment and leaves for the gateway's page, which sends the
buyer back to /checkout/<order>/return?reference=…, where the result is asked of the gateway
(``confirm_payment``) and the buyer goes on to the order, or back to try again.

The gig and the order come from the route, the buyer from the session; the buyer's picks are
checked again by ``parse_checkout`` and ``place_order``, which refuses an own gig with its
own sentence.
"""

from __future__ import annotations

from typing import Any
import reflex as rx

from app.core import clock
from app.core.db import reading, transaction
from app.core.errors import MihanError
from app.core.i18n import translate
from app.orders import checkout, lifecycle, transfers, views
from app.orders.errors import OrderError
from app.orders.machine import Actor
from app.orders.policy import POLICY
from app.wallets.balances import buyer_balance
from models.orders import OrderStatus, PaymentStatus
from state.catalog import money_text
from state.gig import GIG_PREFIX, gig_id_of
from state.orders import (
    FILE_PREFIX,
    ORDER_PREFIX,
    OrderHeader,
    bank_enabled,
    card_choices,
    card_gateways,
    declined_text,
    log_in_first,
    order_id_of,
    outcome_toast,
    returning_gateway,
    when_text,
)
from state.seller import is_on, whole_number
from state.session import SessionState

CHECKOUT_PREFIX = "/checkout/"
RETURN_SUFFIX = "/return"
MAX_EXTRAS = 10
WALLET = "wallet"
BANK = "bank"
RESULTS = {PaymentStatus.FAILED.value: "failed", PaymentStatus.INITIATED.value: "pending"}


class OrderChoiceState(SessionState):
    """What the buyer picked on the gig page besides the package: extras (by place) and how many."""

    picked_extras: list[int] = []
    quantity: str = "1"

    @rx.event
    def open_page(self):  # type: ignore[no-untyped-def]
        """On load of a gig page: nothing picked yet."""
        self.reset()

    @rx.event
    def toggle_extra(self, place: Any, checked: Any):  # type: ignore[no-untyped-def]
        """An extra's checkbox: add or drop the ``place``-th extra of the gig."""
        chosen = whole_number(place, MAX_EXTRAS - 1)
        if chosen is None:
            return
        picked = [p for p in self.picked_extras if p != chosen]
        self.picked_extras = sorted([*picked, chosen]) if is_on(checked) else picked

    @rx.event
    def set_quantity(self, value: Any):  # type: ignore[no-untyped-def]
        chosen = whole_number(value, POLICY.max_quantity)
        if chosen:
            self.quantity = str(chosen)

    @rx.event
    def order_now(self, tier: Any):  # type: ignore[no-untyped-def]
        """«اطلب الآن» under a package: place the order and go to pay; visitors log in first."""
        gig_id = gig_id_of(self.router.url.path)
        back = f"{GIG_PREFIX}{gig_id}" if gig_id else "/"
        try:
            viewer = self._require()
        except MihanError:
            return log_in_first(back)
        try:
            if gig_id is None:
                raise OrderError("order.gig_unavailable")
            data = checkout.parse_checkout({"tier": tier, "quantity": int(self.quantity or "1"), "extras": list(self.picked_extras)})
            with transaction() as session:
                order = checkout.place_order(session, buyer_id=viewer.id, gig_id=gig_id, data=data)
                placed = order.id
        except (MihanError, ValueError) as exc:
            message = self._message(exc) if isinstance(exc, MihanError) else translate("order.invalid_choice", self._lang)
            return rx.toast.error(message)
        return rx.redirect(f"{CHECKOUT_PREFIX}{placed}")


class CheckoutState(OrderHeader, SessionState):
    """The checkout's summary and payment choices, as display strings."""

    total_ar: str = ""
    total_en: str = ""
    wallet_ar: str = ""
    wallet_en: str = ""
    wallet_enough: bool = False
    card_methods: list[dict[str, str]] = []  # one radio per card gateway: value, title_*, hint_*
    method: str = ""  # "wallet", "bank" or a card gateway's name: the radio the buyer chose
    error: str = ""
    bank_on: bool = False  # «تحويل بنكي» is offered
    # the buyer's newest bank transfer for the order, as display strings ("" status: none)
    transfer_status: str = ""
    transfer_reference: str = ""
    transfer_amount_ar: str = ""
    transfer_amount_en: str = ""
    transfer_iban: str = ""  # grouped by four
    transfer_iban_plain: str = ""  # what «نسخ» copies
    transfer_holder: str = ""
    transfer_bank: str = ""
    transfer_due_ar: str = ""
    transfer_due_en: str = ""
    transfer_reason: str = ""
    receipt: dict[str, str] = {}  # name, size, href of the uploaded receipt
    # the return page: paid | failed | pending | bank ("" while asking)
    result: str = ""
    order_href: str = ""
    checkout_href: str = ""

    # -- helpers (not callable from the browser) ------------------------------------------

    def _order(self) -> int | None:
        path = self.router.url.path
        return order_id_of(path, CHECKOUT_PREFIX) or order_id_of(path, CHECKOUT_PREFIX, RETURN_SUFFIX)

    def _fill(self, detail: views.OrderDetail, wallet_minor: int) -> None:
        self._fill_header(detail)
        total = money_text(detail.money.total.minor, detail.money.total.currency)
        self.total_ar, self.total_en = total["ar"], total["en"]
        wallet = money_text(wallet_minor, detail.money.total.currency)
        self.wallet_ar, self.wallet_en = wallet["ar"], wallet["en"]
        self.wallet_enough = wallet_minor >= detail.money.total.minor
        self.card_methods = card_choices()
        self.card_enabled = bool(self.card_methods)
        self.bank_on = bank_enabled()
        self.method = WALLET if self.wallet_enough else self.card_methods[0]["value"] if self.card_enabled else BANK if self.bank_on else ""

    def _fill_transfer(self, found: transfers.Instructions | None) -> None:
        """The bank transfer's instructions and where it stands (nothing when there is none)."""
        if found is None:
            return
        amount = money_text(found.amount.minor, found.amount.currency)
        due = when_text(found.due_at)
        self.transfer_status, self.transfer_reference, self.transfer_reason = found.status, found.reference, found.reason
        self.transfer_amount_ar, self.transfer_amount_en = amount["ar"], amount["en"]
        self.transfer_due_ar, self.transfer_due_en = due["ar"], due["en"]
        self.transfer_iban, self.transfer_holder, self.transfer_bank = found.iban, found.holder, found.bank_name
        self.transfer_iban_plain = found.iban.replace(" ", "")
        self.receipt = {"name": found.receipt_name, "size": "", "href": f"{FILE_PREFIX}{found.receipt_token}"} if found.receipt_token else {}

    def _load_transfer(self, buyer: int, order: int) -> None:
        with reading() as session:
            self._fill_transfer(transfers.instructions(session, order_id=order, buyer_id=buyer))

    def _target(self) -> tuple[int, int]:
        """The signed-in buyer and the route's order (the services check the order is theirs)."""
        viewer = self._require()
        order = self._order()
        if order is None:
            raise OrderError("order.not_found")
        return viewer.id, order

    def _failed(self, exc: MihanError):  # type: ignore[no-untyped-def]
        self.error = self._message(exc)
        return rx.toast.error(self.error)

    # -- events ---------------------------------------------------------------------------

    @rx.event
    def open_page(self):  # type: ignore[no-untyped-def]
        """On load of /checkout/<n>: the buyer's unpaid order; a paid one goes to its page."""
        self.reset()
        try:
            viewer = self._require()
        except MihanError:
            order = self._order()
            return log_in_first(f"{CHECKOUT_PREFIX}{order}" if order else "/")
        self._show(viewer)
        order = self._order()
        with reading() as session:
            detail = views.order_detail(session, order_id=order, user_id=viewer.id) if order else None
            wallet = buyer_balance(session, viewer.id, detail.money.total.currency).minor if detail else 0
        self.loaded = True
        if detail is None or detail.viewer is not Actor.BUYER:
            self.not_found = True
            return None
        if detail.status != OrderStatus.PLACED.value:
            return rx.redirect(f"{ORDER_PREFIX}{detail.id}", replace=True)
        self._fill(detail, wallet)
        self._load_transfer(viewer.id, detail.id)
        return None

    @rx.event
    def choose(self, method: Any):  # type: ignore[no-untyped-def]
        """A payment method's radio card: the wallet or a card gateway that is switched on."""
        if method == WALLET or (method == BANK and bank_enabled()) or (isinstance(method, str) and method in card_gateways()):
            self.method = method

    @rx.event
    def pay(self):  # type: ignore[no-untyped-def]
        """«ادفع»: from the wallet (the whole total, or nothing), or by card on the chosen gateway's page."""
        self.error = ""
        try:
            buyer, order = self._target()
            if self.method != WALLET and self.method not in card_gateways() and not (self.method == BANK and bank_enabled()):
                raise OrderError("payment.unknown_gateway")
            with transaction() as session:
                if self.method == WALLET:
                    checkout.pay_with_wallet(session, order_id=order, user_id=buyer)
                else:
                    url = checkout.start_payment(
                        session, order_id=order, user_id=buyer, gateway=self.method, return_url=f"{CHECKOUT_PREFIX}{order}{RETURN_SUFFIX}"
                    )
        except MihanError as exc:
            return self._failed(exc)
        if self.method == WALLET:
            return [rx.redirect(f"{ORDER_PREFIX}{order}"), rx.toast.success(translate("checkout.paid", self._lang))]
        return rx.redirect(url)

    @rx.event
    def abandon(self):  # type: ignore[no-untyped-def]
        """«إلغاء الطلب» before paying: nothing was held, nothing moves."""
        self.error = ""
        try:
            buyer, order = self._target()
            with transaction() as session:
                lifecycle.abandon(session, order_id=order, user_id=buyer)
        except MihanError as exc:
            return self._failed(exc)
        return [rx.redirect(f"{ORDER_PREFIX}{order}"), rx.toast.info(translate("orders.done_abandon", self._lang))]

    @rx.event
    async def upload_receipt(self, files: list[rx.UploadFile]):  # type: ignore[no-untyped-def]
        """«رفع الإيصال»: the picked receipt of the buyer's pending transfer (replaces an earlier one)."""
        self.error = ""
        uploads = [f for f in files if isinstance(f, rx.UploadFile)] if isinstance(files, list) else []
        try:
            buyer, order = self._target()
            if not uploads:
                raise OrderError("transfer.receipt_empty")
            data = uploads[0].file.read(transfers.MAX_RECEIPT_BYTES + 1)
            with transaction() as session:
                transfers.upload_receipt(session, order_id=order, user_id=buyer, filename=uploads[0].filename or "", data=data, now=clock.now())
        except MihanError as exc:
            return self._failed(exc)
        self._load_transfer(buyer, order)
        return rx.toast.success(translate("transfer.uploaded", self._lang))

    @rx.event
    def receipt_refused(self, rejections: Any):  # type: ignore[no-untyped-def]
        """The picker refused the file (too large) before sending it."""
        self.error = translate("transfer.receipt_too_large", self._lang, mb=transfers.MAX_RECEIPT_BYTES // (1024 * 1024))

    @rx.event
    def copied(self):  # type: ignore[no-untyped-def]
        """After a «نسخ» button put the IBAN or the reference on the clipboard."""
        return rx.toast.success(translate("transfer.copied", self._lang))

    @rx.event
    def come_back(self):  # type: ignore[no-untyped-def]
        """On load of /checkout/<n>/return?reference=…: ask the gateway, apply what it says, and
        show the result.

        Paid: on to the order, with a toast. Declined: the reason in the buyer's language and the
        way back to the checkout. Not answered yet: «we will tell you», a refresh, what happens
        next. A bank transfer: its instructions and the receipt upload. The result is applied
        whoever opens the link (it is the gateway's verified answer); what is shown needs the
        order's buyer.
        """
        self.reset()
        try:
            buyer, order = self._target()
        except MihanError:
            order = self._order()
            return log_in_first(f"{CHECKOUT_PREFIX}{order}" if order else "/")
        self._show(self._require())
        reference = self.router.url.query_parameters.get("reference")
        gateway = returning_gateway(order, reference)
        try:
            with transaction() as session:
                checkout.confirm_payment(session, gateway=gateway, reference=reference)
        except MihanError as exc:
            return [rx.redirect(f"{CHECKOUT_PREFIX}{order}", replace=True), self._failed(exc)]
        with reading() as session:
            outcome = views.payment_outcome(session, order_id=order, buyer_id=buyer, gateway=gateway, reference=reference)
        if outcome is None:
            return rx.redirect(f"{CHECKOUT_PREFIX}{order}", replace=True)
        if outcome.status == PaymentStatus.PAID.value:
            return [rx.redirect(f"{ORDER_PREFIX}{order}", replace=True), outcome_toast(outcome, self._lang, "checkout.paid")]
        self.number, self.order_href, self.checkout_href = f"#{order}", f"{ORDER_PREFIX}{order}", f"{CHECKOUT_PREFIX}{order}"
        self.result = BANK if gateway == BANK and outcome.status == PaymentStatus.INITIATED.value else RESULTS[outcome.status]
        if self.result == "failed":
            self.error = declined_text(outcome, self._lang)
        if gateway == BANK:
            self._load_transfer(buyer, order)
        self.loaded = True
        return None
