"""The order pages: one order at /orders/<n>, and the lists /orders (طلباتي) and /seller/orders.

Which order comes from the route on every event, never from an argument; who the viewer is
comes from the session; ``views.order_detail`` answers ``None`` for anyone who is neither party
(nor an admin), and the page shows "not found". The buttons shown are ``views``' available
actions, and each handler still goes through the one service that re-checks everything, so a
stale page or a forged event is refused by the service, not by the page.

Public vars are display strings (both languages at once, so switching needs no reload). The
viewer's own uploaded files that are not in a delivery yet are referred to by their place in a
server-side list: the browser sends "file 0", never a file's token.

On a completed order the buyer may tip (``tips.give_tip``): from the wallet at once, or by card
on the gateway's page, which sends them back to /orders/<n>?reference=…, where the result is
asked of the gateway (never read from the URL) before the order is shown again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

import reflex as rx
from babel.dates import format_datetime, get_timezone
from sqlmodel import Session

from app.core import clock
from app.core.clock import as_utc
from app.core.db import reading, transaction
from app.core.errors import MihanError
from app.core.i18n import translate
from app.core.money import Money
from app.core.settings import get_settings
from app.orders import card_refunds, checkout, lifecycle, tips, views
from app.orders import files as order_files
from app.orders.errors import OrderError
from app.orders.machine import Actor
from app.orders.policy import POLICY
from app.orders.views import OrderDetail, PaymentOutcome, Role
from app.payments import PaymentError, enabled_gateways
from app.payments.bank import NAME as BANK
from app.payments.sandbox import NAME as SANDBOX
from app.wallets.balances import buyer_balance
from models.orders import OrderStatus, PaymentStatus
from state.catalog import DAYS, MAX_PAGE, Counted, _int, both, money_text
from state.gig import TIERS
from state.seller import positive_int, whole_number
from state.session import SessionState

ORDER_PREFIX = "/orders/"
BUYER_LIST = "/orders"
SELLER_LIST = "/seller/orders"
FILE_PREFIX = "/files/"
TIMEZONE = get_timezone("Asia/Riyadh")  # the pilot's market; every time shown is local
HOURS = Counted("orders.hours_one", "orders.hours_two", "orders.hours_few", "orders.hours_many")
MAX_UPLOADS = 10  # files per drop
S = OrderStatus
STATUS_COLORS = {
    S.PLACED.value: "gray",
    S.AWAITING_REQUIREMENTS.value: "amber",
    S.IN_PROGRESS.value: "blue",
    S.DELIVERED.value: "teal",
    S.DISPUTED.value: "red",
    S.COMPLETED.value: "green",
    S.CANCELLED.value: "gray",
    S.REFUNDED.value: "orange",
}
# The buttons of the order page that are one small form: the service it calls, and the keyword
# the form's ``note`` goes to (None: the move takes no note).
SIMPLE_ACTIONS: dict[str, tuple[Callable[..., Any], str | None]] = {
    "accept": (lifecycle.accept, None),
    "abandon": (lifecycle.abandon, None),
    "request_revision": (lifecycle.request_revision, "note"),
    "request_cancellation": (lifecycle.request_cancellation, "reason"),
    "withdraw_cancellation": (lifecycle.withdraw_cancellation, None),
    "accept_cancellation": (lifecycle.accept_cancellation, None),
    "cancel_late": (lifecycle.cancel_late, "reason"),
    "dispute": (lifecycle.dispute, "reason"),
}
# the moves that refund the buyer in full, who chooses where the money goes (``card_refunds``)
REFUND_ACTIONS = frozenset({"accept_cancellation", "cancel_late"})
PAID_EVENTS = frozenset({"paid", "tipped"})  # timeline events whose note is how the buyer paid


# -- parsing what the browser controls ----------------------------------------------------------


def order_id_of(path: object, prefix: str = ORDER_PREFIX, suffix: str = "") -> int | None:
    """The id in ``<prefix><n><suffix>`` (ASCII digits, positive, within a BIGINT); else None."""
    if not isinstance(path, str) or not path.startswith(prefix):
        return None
    rest = path[len(prefix) :].rstrip("/")
    if suffix:
        if not rest.endswith(suffix):
            return None
        rest = rest[: -len(suffix)]
    return positive_int(rest)


def log_in_first(path: str) -> rx.event.EventSpec:
    """Send a signed-out visitor to log in, and back to ``path`` (a path we built) after."""
    return rx.redirect(f"/login?next={quote(path)}")


def _form(form_data: object) -> dict[str, Any]:
    return form_data if isinstance(form_data, dict) else {}


def _text(value: object) -> str:
    """A typed note as the service expects it: a string (the service checks its length)."""
    return value if isinstance(value, str) else ""


# -- display helpers (shared with checkout) -----------------------------------------------------


def when_text(moment: datetime | None) -> dict[str, str]:
    """A moment as local date and time in both languages; blank when there is none."""
    if moment is None:
        return {"ar": "", "en": ""}
    local = as_utc(moment)
    return {
        "ar": format_datetime(local, "d MMMM y، h:mm a", locale="ar", tzinfo=TIMEZONE),
        "en": format_datetime(local, "d MMM y, h:mm a", locale="en", tzinfo=TIMEZONE),
    }


def span_text(seconds: float, lang: str) -> str:
    """A duration as days and hours in words («يومان و٣ ساعات»), or «less than an hour»."""
    hours = int(abs(seconds)) // 3600
    days, hours = divmod(hours, 24)
    parts = ([DAYS.text(days, lang)] if days else []) + ([HOURS.text(hours, lang)] if hours else [])
    if not parts:
        return translate("orders.under_an_hour", lang)
    return translate("orders.and", lang).join(parts)


def deadline(detail: OrderDetail) -> datetime | None:
    """What the order's clock counts down to: the due time while the seller works, the
    automatic completion while a delivery waits for the buyer; None otherwise."""
    if detail.status == S.IN_PROGRESS.value:
        return detail.due_at
    if detail.status == S.DELIVERED.value and detail.delivered_at is not None:
        return as_utc(detail.delivered_at) + POLICY.auto_complete_after
    return None


def countdown(detail: OrderDetail, now: datetime) -> tuple[dict[str, str], bool]:
    """The time left to the order's deadline (``deadline``), and whether it is late (only the
    seller's due time can be missed: the automatic completion simply happens)."""
    end = deadline(detail)
    if end is None:
        return {"ar": "", "en": ""}, False
    seconds = (as_utc(end) - now).total_seconds()
    if detail.status == S.DELIVERED.value:
        return both(lambda lang: translate("orders.time_left", lang, span=span_text(max(seconds, 0), lang))), False
    late = detail.is_late or seconds <= 0
    key = "orders.late_by" if seconds <= 0 else "orders.time_left"
    return both(lambda lang: translate(key, lang, span=span_text(seconds, lang))), late


def status_view(status: str) -> dict[str, str]:
    text = both(lambda lang: translate(f"orders.status_{status}" if status in STATUS_COLORS else "orders.status_placed", lang))
    return {"status": status, "status_ar": text["ar"], "status_en": text["en"]}


def package_text(tier: str, name: str) -> dict[str, str]:
    """«الباقة الأساسية — إعلان قصير»: the tier's label and, when it says more, the seller's name for it."""
    key = TIERS.get(tier, TIERS["basic"])
    return both(lambda lang: translate(key, lang) if name in (translate(key, "ar"), translate(key, "en")) else f"{translate(key, lang)} — {name}")


def line(key: str, amount: Money, *, strong: bool = False, **params: object) -> dict[str, str]:
    label = both(lambda lang: translate(key, lang, **params))
    price = money_text(amount.minor, amount.currency)
    return {"label_ar": label["ar"], "label_en": label["en"], "amount_ar": price["ar"], "amount_en": price["en"], "strong": "1" if strong else ""}


def price_lines(detail: OrderDetail) -> list[dict[str, str]]:
    """The money of the order as lines: the buyer's breakdown, or the seller's earnings."""
    money = detail.money
    if detail.viewer is Actor.SELLER:
        kept = Money(money.subtotal.minor + money.tip.minor - money.seller_net.minor, money.total.currency)
        return [
            line("checkout.subtotal", money.subtotal),
            line("orders.commission_only" if detail.deemed_supplier else "orders.commission", kept),
            line("orders.seller_net", money.seller_net, strong=True),
        ]
    unit = detail.package_price
    lines = [line("checkout.package_line", Money(unit.minor * detail.quantity, unit.currency), n=detail.quantity)]
    lines += [line("checkout.extra_line", extra.price, title=extra.title) for extra in detail.extras]
    lines.append(line("checkout.subtotal", money.subtotal))
    if money.tip.minor:
        lines.append(line("checkout.tip", money.tip))
    if money.buyer_fee.minor:
        lines.append(line("checkout.buyer_fee", money.buyer_fee))
    if money.buyer_fee_vat.minor:
        lines.append(line("checkout.buyer_fee_vat", money.buyer_fee_vat))
    if money.full_price_vat.minor:
        lines.append(line("checkout.full_price_vat", money.full_price_vat, rate=rate_text(detail.vat_rate_bp)))
    lines.append(line("checkout.total", money.total, strong=True))
    if money.refunded.minor:
        lines.append(line("orders.refunded", money.refunded))
    return lines


def rate_text(rate_bp: int) -> str:
    """A rate in basis points as a percentage without needless decimals: 1500 is ``15``."""
    whole, part = divmod(rate_bp, 100)
    return str(whole) if not part else f"{whole}.{part:02d}".rstrip("0")


def tax_note(detail: OrderDetail) -> dict[str, str]:
    """How the order is invoiced, when the platform is its deemed supplier; for admins also the
    seller's VAT registration as it stands now."""
    parts = []
    if detail.deemed_supplier:
        parts.append(both(lambda lang: translate("orders.deemed_note", lang)))
    if detail.seller_vat_number is not None:
        number = detail.seller_vat_number
        parts.append(both(lambda lang: translate("orders.seller_vat", lang, number=number) if number else translate("orders.seller_not_vat", lang)))
    return {lang: " ".join(part[lang] for part in parts) for lang in ("ar", "en")}


def size_text(size: int) -> str:
    """A file size in KB or MB, Latin digits (as file lists everywhere show them)."""
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{max(1, round(size / 1024))} KB"


def file_view(item: views.FileLine) -> dict[str, str]:
    return {"name": item.name, "size": size_text(item.size_bytes), "href": f"{FILE_PREFIX}{item.token}"}


def timeline_view(event: views.TimelineLine) -> dict[str, str]:
    """One line of the timeline: what happened, who did it, when, and their note as plain text."""
    what = both(lambda lang: translate(f"timeline.{event.kind}", lang))
    role = both(lambda lang: translate(f"orders.by_{event.actor}", lang))
    who = {lang: f"{role[lang]} · {event.actor_name}" if event.actor_name and event.actor != "admin" else role[lang] for lang in role}
    note = event.note
    if event.kind in PAID_EVENTS:  # the note is the method's code: say it in words
        note = ""
        method = both(lambda lang: translate(method_key(event.note), lang))
        who = {lang: f"{who[lang]} · {method[lang]}" for lang in who}
    at = when_text(event.at)
    return {
        "kind": event.kind,
        "what_ar": what["ar"],
        "what_en": what["en"],
        "who_ar": who["ar"],
        "who_en": who["en"],
        "when_ar": at["ar"],
        "when_en": at["en"],
        "note": note,
    }


def payment_failure_text(failure: str, lang: str) -> str:
    """The gateway's reason as the buyer reads it: a known message key, or the generic one."""
    key = failure if failure.startswith("payment.") and translate(failure, "ar") != failure else "payment.declined"
    return translate(key, lang)


def declined_text(outcome: PaymentOutcome, lang: str) -> str:
    return translate("checkout.declined", lang, reason=payment_failure_text(outcome.failure, lang))


def outcome_toast(outcome: PaymentOutcome, lang: str, paid_key: str) -> rx.event.EventSpec:
    """What the buyer back from the gateway's page is told: paid, declined (why), or not yet."""
    if outcome.status == PaymentStatus.PAID.value:
        return rx.toast.success(translate(paid_key, lang))
    if outcome.status == PaymentStatus.FAILED.value:
        return rx.toast.error(declined_text(outcome, lang))
    return rx.toast.info(translate("checkout.pending", lang))


def card_gateways() -> list[str]:
    """The gateways buyers may pick to pay by card: every real one MIHAN_PAYMENT_GATEWAYS switches
    on (Moyasar, PayTabs), in its order; the sandbox only when no real one is on. Bank transfer
    is not a card (``bank_enabled``)."""
    names = [gateway.name for gateway in enabled_gateways() if gateway.name != BANK]
    real = [name for name in names if name != SANDBOX]
    return real or ([SANDBOX] if SANDBOX in names else [])


def bank_enabled() -> bool:
    """Whether checkout offers «تحويل بنكي» (MIHAN_PAYMENT_GATEWAYS names bank)."""
    return BANK in get_settings().payment_gateways


def card_gateway() -> str | None:
    """The first card gateway (tips pay by card through it); None when no card gateway is on."""
    return next(iter(card_gateways()), None)


def card_choices() -> list[dict[str, str]]:
    """The card options of the checkout, one per card gateway, each named after the gateway
    that takes the payment (``checkout.method_<gateway>``, ``checkout.card_hint_<gateway>``)."""
    return [{"value": name, **card_texts(name)} for name in card_gateways()]


def method_key(method: str) -> str:
    """The catalogue key naming a way to pay ("wallet" or a gateway): «بطاقة» for a gateway the
    catalogue does not name (one switched off since)."""
    key = f"checkout.method_{method}"
    return key if translate(key, "ar") != key else "checkout.method_card"


def card_texts(gateway: str | None) -> dict[str, str]:
    """The card option's title and hint in both languages, named after the gateway that will
    take the payment: the sandbox says it is a test, a real gateway says whose page comes next."""
    title = both(lambda lang: translate(method_key(gateway or ""), lang))
    hint_key = f"checkout.card_hint_{gateway}"
    hint = both(lambda lang: translate(hint_key, lang) if translate(hint_key, "ar") != hint_key else "")
    return {"title_ar": title["ar"], "title_en": title["en"], "hint_ar": hint["ar"], "hint_en": hint["en"]}


def returning_gateway(order_id: int, reference: object) -> str:
    """The gateway of the payment a buyer comes back from: the one it was started with (the
    settings may have changed meanwhile), else today's card gateway, which refuses a junk
    reference as unknown."""
    with reading() as session:
        started = views.payment_gateway(session, order_id=order_id, reference=reference)
    return started or card_gateway() or SANDBOX


def tip_note(detail: OrderDetail) -> dict[str, str]:
    """The sentence about the order's paid tip, as the viewer reads it; blank when there is none."""
    if detail.tip is None:
        return {"ar": "", "en": ""}
    amount = money_text(detail.tip.amount.minor, detail.tip.amount.currency)
    net = money_text(detail.tip.seller_net.minor, detail.tip.seller_net.currency)
    key = {Actor.BUYER: "orders.tip_thanks", Actor.SELLER: "orders.tip_received"}.get(detail.viewer, "orders.tip_given")
    return both(lambda lang: translate(key, lang, amount=amount[lang], net=net[lang]))


# -- one order ----------------------------------------------------------------------------------


class OrderHeader(rx.State, mixin=True):
    """What the checkout and the order page both show of an order: what was bought, and its money."""

    loaded: bool = False
    not_found: bool = False
    number: str = ""
    gig_title: str = ""
    gig_href: str = ""
    package_ar: str = ""
    package_en: str = ""
    quantity: int = 1
    days_ar: str = ""
    days_en: str = ""
    lines: list[dict[str, str]] = []
    tax_note_ar: str = ""
    tax_note_en: str = ""
    card_enabled: bool = False

    def _fill_header(self, detail: OrderDetail) -> None:
        self.number = f"#{detail.id}"
        self.gig_title = detail.gig_title
        self.gig_href = f"/gig/{detail.gig_id}"
        package = package_text(detail.package_tier, detail.package_name)
        self.package_ar, self.package_en = package["ar"], package["en"]
        self.quantity = detail.quantity
        days = both(lambda lang: DAYS.text(detail.delivery_days, lang))
        self.days_ar, self.days_en = days["ar"], days["en"]
        self.lines = price_lines(detail)
        note = tax_note(detail)
        self.tax_note_ar, self.tax_note_en = note["ar"], note["en"]


class OrderState(OrderHeader, SessionState):
    """The order page's display strings, and the one error sentence of the last refusal."""

    role: str = ""  # buyer | seller | admin
    checkout_href: str = ""
    status: str = ""
    status_ar: str = ""
    status_en: str = ""
    buyer_name: str = ""
    seller_name: str = ""
    placed_ar: str = ""
    placed_en: str = ""
    due_ar: str = ""
    due_en: str = ""
    left_ar: str = ""
    left_en: str = ""
    late: bool = False
    revisions_left: int = 0
    revisions_ar: str = ""
    revisions_en: str = ""
    cancel_request: str = ""
    cancel_reason: str = ""
    extras: list[str] = []
    questions: list[dict[str, str]] = []
    choices: list[list[str]] = []
    has_file_question: bool = False
    timeline: list[dict[str, str]] = []
    deliveries: list[dict[str, str]] = []
    delivery_files: list[list[dict[str, str]]] = []
    my_files: list[dict[str, str]] = []
    actions: list[str] = []
    refund_card: bool = False  # the viewer is the buyer of an order paid by card: a refund may go back to it
    # the tip after completion: its card for the buyer, and the sentence once it is paid
    tip_open: bool = False
    tip_note_ar: str = ""
    tip_note_en: str = ""
    tip_wallet_ar: str = ""
    tip_wallet_en: str = ""
    tip_method: str = ""  # the way to pay picked at first: "wallet" when it covers a tip, else "card"
    card_title_ar: str = ""  # the tip's card option, named after the gateway that takes it
    card_title_en: str = ""
    card_hint_ar: str = ""
    card_hint_en: str = ""
    error: str = ""
    _my_tokens: list[str] = []
    _currency: str = "SAR"

    # -- helpers (not callable from the browser) ------------------------------------------

    def _order(self) -> int | None:
        return order_id_of(self.router.url.path)

    def _fill(self, detail: OrderDetail, wallet: Money | None = None) -> None:
        self._fill_header(detail)
        self.role = detail.viewer.value
        self.checkout_href = f"/checkout/{detail.id}"
        status = status_view(detail.status)
        self.status, self.status_ar, self.status_en = status["status"], status["status_ar"], status["status_en"]
        self.buyer_name, self.seller_name = detail.buyer_name, detail.seller_name
        placed, due = when_text(detail.created_at), when_text(deadline(detail) or detail.due_at)
        self.placed_ar, self.placed_en = placed["ar"], placed["en"]
        self.due_ar, self.due_en = due["ar"], due["en"]
        left, self.late = countdown(detail, clock.now())
        self.left_ar, self.left_en = left["ar"], left["en"]
        self.revisions_left = detail.revisions_left
        revisions = both(lambda lang: translate("orders.revisions_left", lang, left=detail.revisions_left, allowed=detail.revisions_allowed))
        self.revisions_ar, self.revisions_en = revisions["ar"], revisions["en"]
        self.cancel_request, self.cancel_reason = detail.cancel_request, detail.cancel_reason
        self.extras = [extra.title for extra in detail.extras]
        self.questions = [
            {
                "position": str(q.position),
                "question": q.question,
                "kind": q.kind,
                "required": "1" if q.required else "",
                "answer": "" if q.kind == "file" else q.answer,
                **({f"file_{k}": v for k, v in file_view(q.file).items()} if q.file else {"file_name": "", "file_size": "", "file_href": ""}),
            }
            for q in detail.requirements
        ]
        self.choices = [list(q.choices) for q in detail.requirements]
        self.has_file_question = any(q.kind == "file" for q in detail.requirements)
        self.timeline = [timeline_view(event) for event in reversed(detail.timeline)]
        self.deliveries = [{"number": str(d.number), "message": d.message, **{f"when_{k}": v for k, v in when_text(d.at).items()}} for d in detail.deliveries]
        self.delivery_files = [[file_view(item) for item in d.files] for d in detail.deliveries]
        self.my_files = [{"name": item.name, "size": size_text(item.size_bytes)} for item in detail.loose_files]
        self._my_tokens = [item.token for item in detail.loose_files]
        self.actions = list(detail.actions)
        self.refund_card = detail.viewer is Actor.BUYER and detail.payment_method not in ("", card_refunds.WALLET)
        self._fill_tip(detail, wallet)

    def _fill_card(self, allowed: bool) -> None:
        """Offer the card for a tip when ``allowed`` and a card gateway is on, titled after it."""
        gateway = card_gateway() if allowed else None
        self.card_enabled = gateway is not None
        for name, text in card_texts(gateway).items():
            setattr(self, f"card_{name}", text)

    def _fill_tip(self, detail: OrderDetail, wallet: Money | None) -> None:
        self._currency = detail.money.total.currency
        note = tip_note(detail)
        self.tip_note_ar, self.tip_note_en = note["ar"], note["en"]
        self.tip_open = detail.can_tip
        self._fill_card(detail.can_tip)
        balance = wallet or Money(0, self._currency)
        shown = money_text(balance.minor, balance.currency)
        self.tip_wallet_ar, self.tip_wallet_en = shown["ar"], shown["en"]
        covers = balance.minor >= min(POLICY.tip_presets_minor)
        self.tip_method = "wallet" if covers or not self.card_enabled else "card"

    def _load(self, viewer_id: int, is_admin: bool) -> None:
        order = self._order()
        detail, wallet = None, None
        if order is not None:
            with reading() as session:
                detail = views.order_detail(session, order_id=order, user_id=viewer_id, is_admin=is_admin)
                if detail is not None and detail.can_tip:
                    wallet = buyer_balance(session, viewer_id, detail.money.total.currency)
        self.loaded = True
        self.not_found = detail is None
        if detail is not None:
            self._fill(detail, wallet)

    def _run(self, command: Callable[[Session, int, int], object], done_key: str):  # type: ignore[no-untyped-def]
        """Run one service for the session's viewer on the route's order, then show the order again.

        A command that returns a URL (a gateway's page to pay on) sends the viewer there instead.
        """
        self.error = ""
        try:
            viewer = self._require()
            order = self._order()
            if order is None:
                raise OrderError("order.not_found")
            with transaction() as session:
                result = command(session, order, viewer.id)
        except MihanError as exc:
            self.error = self._message(exc)
            return rx.toast.error(self.error)
        if isinstance(result, str) and result:
            return rx.redirect(result)
        self._load(viewer.id, viewer.is_admin)
        # the review part follows the new status (accepting opens the review form); imported
        # here because state.order_reviews builds on this module
        from state.order_reviews import OrderReviewState

        return [rx.toast.success(translate(done_key, self._lang)), OrderReviewState.open_page()]

    def _came_back(self, viewer_id: int, reference: object):  # type: ignore[no-untyped-def]
        """Back from the gateway's page with a tip's payment: ask the gateway, then say how it went
        on the order's own URL (so a reload asks nothing again)."""
        order = self._order()
        if order is None:
            return rx.redirect(BUYER_LIST, replace=True)
        back = rx.redirect(f"{ORDER_PREFIX}{order}", replace=True)
        gateway = returning_gateway(order, reference)
        try:
            with transaction() as session:
                checkout.confirm_payment(session, gateway=gateway, reference=reference)
        except MihanError as exc:
            return [back, rx.toast.error(self._message(exc))]
        with reading() as session:
            outcome = views.payment_outcome(session, order_id=order, buyer_id=viewer_id, gateway=gateway, reference=reference, for_tip=True)
        return back if outcome is None else [back, outcome_toast(outcome, self._lang, "orders.done_tip")]

    # -- events ---------------------------------------------------------------------------

    @rx.event
    def open_page(self):  # type: ignore[no-untyped-def]
        """On load of /orders/<n>: the order if this viewer is a party (or an admin)."""
        self.reset()
        try:
            viewer = self._require()
        except MihanError:
            order = self._order()
            return log_in_first(f"{ORDER_PREFIX}{order}" if order else BUYER_LIST)
        self._show(viewer)
        reference = self.router.url.query_parameters.get("reference")
        if reference is not None:
            return self._came_back(viewer.id, reference)
        self._load(viewer.id, viewer.is_admin)
        return None

    @rx.event
    def act(self, form_data: Any):  # type: ignore[no-untyped-def]
        """A one-form button: ``{"action": "accept" | "dispute" | …, "note": "…"}``."""
        form = _form(form_data)
        action = form.get("action")
        if not isinstance(action, str) or action not in SIMPLE_ACTIONS:
            self.error = translate("order.not_allowed", self._lang)
            return rx.toast.error(self.error)
        service, note = SIMPLE_ACTIONS[action]
        extra: dict[str, Any] = {} if note is None else {note: _text(form.get("note"))}
        if action in REFUND_ACTIONS:  # the service checks the choice (and ignores it from a seller)
            extra["refund_to"] = form.get("refund_to", card_refunds.WALLET)
        return self._run(lambda session, order, user: service(session, order_id=order, user_id=user, **extra), f"orders.done_{action}")

    @rx.event
    def submit_requirements(self, form_data: Any):  # type: ignore[no-untyped-def]
        """The requirements form: ``answer_<position>`` fields; a file question's value is the
        place of one of the buyer's uploaded files in ``my_files``."""
        form = _form(form_data)
        kinds = {q["position"]: q["kind"] for q in self.questions}
        tokens = list(self._my_tokens)
        answers: dict[int, str] = {}
        for position, kind in kinds.items():
            value = form.get(f"answer_{position}")
            if kind == "file":
                chosen = whole_number(value, len(tokens) - 1)
                value = tokens[chosen] if chosen is not None else ""
            answers[int(position)] = _text(value)
        return self._run(
            lambda session, order, user: lifecycle.submit_requirements(session, order_id=order, user_id=user, answers=answers),
            "orders.done_requirements",
        )

    @rx.event
    def deliver(self, form_data: Any):  # type: ignore[no-untyped-def]
        """«تسليم العمل»: the message, and the uploaded files ticked (``file_<place>``)."""
        form = _form(form_data)
        tokens = list(self._my_tokens)
        chosen = [token for place, token in enumerate(tokens) if form.get(f"file_{place}") in ("on", True, "true")]
        return self._run(
            lambda session, order, user: lifecycle.deliver(session, order_id=order, user_id=user, message=_text(form.get("message")), file_tokens=chosen),
            "orders.done_deliver",
        )

    @rx.event
    def give_tip(self, form_data: Any):  # type: ignore[no-untyped-def]
        """«أرسل الإكرامية»: ``{"amount": "25.00", "custom": "", "method": "wallet" | "card"}``.

        A typed custom amount wins over a picked one. The wallet pays at once; the card sends
        the buyer to the gateway's page and back to this order.
        """
        form = _form(form_data)
        typed = form.get("custom")
        picked = typed if isinstance(typed, str) and typed.strip() else form.get("amount")
        method = form.get("method")
        currency = self._currency

        def command(session: Session, order: int, user: int) -> str:
            amount = tips.parse_amount(picked, currency)
            gateway = tips.WALLET if method == "wallet" else card_gateway() if method == "card" else None
            if gateway is None:
                raise PaymentError("payment.unknown_gateway")
            started = tips.give_tip(session, order_id=order, user_id=user, amount=amount, method=gateway, return_url=f"{ORDER_PREFIX}{order}")
            return started.redirect_url

        return self._run(command, "orders.done_tip")

    @rx.event
    async def upload(self, files: list[rx.UploadFile]):  # type: ignore[no-untyped-def]
        """Files dropped on the requirements or delivery form: each is stored on its own."""
        self.error = ""
        uploads = [f for f in files if isinstance(f, rx.UploadFile)] if isinstance(files, list) else []
        try:
            viewer = self._require()
            order = self._order()
            if order is None:
                raise OrderError("order.not_found")
        except MihanError as exc:
            self.error = self._message(exc)
            return rx.toast.error(self.error)
        refusals = [] if uploads else [translate("orders.files_refused", self._lang, mb=files_limit_mb())]
        stored = 0
        for upload in uploads[:MAX_UPLOADS]:
            try:
                data = upload.file.read(order_files.MAX_BYTES + 1)
                with transaction() as session:
                    order_files.attach(session, order_id=order, user_id=viewer.id, filename=upload.filename or "", data=data)
                stored += 1
            except MihanError as exc:
                refusals.append(self._message(exc))
        self.error = "\n".join(dict.fromkeys(refusals))
        self._load(viewer.id, viewer.is_admin)
        if not stored:
            return rx.toast.error(self.error)
        return rx.toast.success(translate("orders.files_added", self._lang, n=stored))

    @rx.event
    def files_refused(self, rejections: Any):  # type: ignore[no-untyped-def]
        """The dropzone refused files (too large, too many) before sending them."""
        self.error = translate("orders.files_refused", self._lang, mb=files_limit_mb())


def files_limit_mb() -> int:
    return order_files.MAX_BYTES // (1024 * 1024)


# -- the lists ----------------------------------------------------------------------------------


def list_params(query: Mapping[str, object]) -> tuple[str, int]:
    """``?status=`` (a known tab, else the default) and ``?page=`` (1 to MAX_PAGE)."""
    tab = query.get("status")
    return (tab if isinstance(tab, str) and tab in views.STATUS_GROUPS else views.DEFAULT_GROUP), _int(query.get("page"), 1, MAX_PAGE) or 1


def list_href(path: str, tab: str, page: int = 1) -> str:
    """A tab's link (always naming the tab: without one, the page opens the first non-empty)."""
    params = {"status": tab, **({"page": str(page)} if page > 1 else {})}
    return f"{path}?{urlencode(params)}"


def row_view(row: views.OrderRow, now: datetime) -> dict[str, str]:
    status = status_view(row.status)
    total = money_text(row.total.minor, row.total.currency)
    placed = when_text(row.created_at)
    if row.status == S.IN_PROGRESS.value and row.due_at is not None:
        late = row.is_late or as_utc(row.due_at) <= now
        due = when_text(row.due_at)
        when = both(lambda lang: translate("orders.due_on", lang, when=due[lang]))
    else:
        late = False
        when = both(lambda lang: translate("orders.placed_on", lang, when=placed[lang]))
    return {
        **status,
        "href": f"{ORDER_PREFIX}{row.id}",
        "number": f"#{row.id}",
        "title": row.gig_title,
        "other": row.other_name,
        "total_ar": total["ar"],
        "total_en": total["en"],
        "when_ar": when["ar"],
        "when_en": when["en"],
        "late": "1" if late else "",
    }


class OrderListState(SessionState):
    """One page of one tab of the viewer's orders (as buyer on /orders, as seller on /seller/orders)."""

    loaded: bool = False
    needs_seller: bool = False
    selling: bool = False
    tab: str = views.DEFAULT_GROUP
    tabs: list[dict[str, str]] = []
    rows: list[dict[str, str]] = []
    total: int = 0
    page: int = 1
    pages: int = 1
    prev_href: str = ""
    next_href: str = ""

    @rx.event
    def open_page(self):  # type: ignore[no-untyped-def]
        """On load of /orders or /seller/orders (the route, never an argument, picks the side)."""
        self.reset()
        path = str(self.router.url.path or "").rstrip("/")
        selling = path == SELLER_LIST
        base = SELLER_LIST if selling else BUYER_LIST
        try:
            viewer = self._require()
        except MihanError:
            return log_in_first(base)
        self._show(viewer)
        self.selling = selling
        if selling and not viewer.is_seller:
            self.needs_seller = self.loaded = True
            return None
        role = Role.SELLER if selling else Role.BUYER
        query = self.router.url.query_parameters
        tab, page = list_params(query)
        with reading() as session:
            counts = views.count_orders(session, user_id=viewer.id, role=role)
            if "status" not in query:  # no tab asked: open the first that has orders
                tab = next((key for key, count in counts.items() if count), tab)
            found = views.list_orders(session, user_id=viewer.id, role=role, status_group=tab, page=page)
        now = clock.now()
        self.tab = tab
        self.tabs = [
            {"key": key, "href": list_href(base, key), "count": str(counts[key]), **{f"label_{k}": v for k, v in both(lambda lang, key=key: translate(f"orders.tab_{key}", lang)).items()}}
            for key in views.STATUS_GROUPS
        ]
        self.rows = [row_view(row, now) for row in found.rows]
        self.total, self.page, self.pages = found.total, found.page, found.pages
        self.prev_href = list_href(base, tab, found.page - 1) if found.page > 1 else ""
        self.next_href = list_href(base, tab, found.page + 1) if found.page < found.pages else ""
        self.loaded = True
        return None
