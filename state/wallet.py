"""/wallet (المحفظة): balances, the seller's upcoming earnings and withdrawals, and the history.

Whose wallet is shown comes only from the session; the page number of the history is the one
thing the URL controls (``?page=``). Everything reaches the browser as display strings in both
languages (amounts, dates in Riyadh time, kinds of movement), IBANs masked. The withdraw form
is checked by ``withdrawals.parse_withdrawal`` and the request by the service (one a day, not
above the available balance), whose messages are shown as they are.

The helpers at the top (``pair``, ``money_pair``, ``when_pair``) build those display strings
for the admins' payout and dispute pages too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import reflex as rx
from babel.dates import format_date

from app.accounts import Viewer
from app.core.clock import as_utc
from app.core.db import reading, transaction
from app.core.errors import MihanError
from app.core.i18n import LANGUAGES, catalogue, translate
from app.core.money import Money, format_money
from app.wallets import balances, withdrawals
from app.wallets.errors import WalletError
from state.favourites import page_href
from state.orders import TIMEZONE, when_text
from state.session import SessionState

PATH = "/wallet"
PER_PAGE = 20
STATUS_COLORS = {"requested": "amber", "paid": "green", "rejected": "red"}
FORM_FIELDS = ("amount", "iban", "holder_name")
MAX_FIELD = 200  # characters of a form value kept before validation


# -- display strings in both languages ---------------------------------------------------------


def pair(name: str, make: Callable[[str], str]) -> dict[str, str]:
    """``{"<name>_ar": make("ar"), "<name>_en": make("en")}`` for a display dict."""
    return {f"{name}_{lang}": make(lang) for lang in LANGUAGES}


def label_pair(name: str, key: str, fallback: str = "", **params: object) -> dict[str, str]:
    """A catalogue text; ``fallback``'s when ``key`` is not in the catalogue (a new kind)."""
    chosen = key if key in catalogue("ar") or not fallback else fallback
    return pair(name, lambda lang: translate(chosen, lang, **params))


def money_pair(name: str, money: Money, *, signed: bool = False) -> dict[str, str]:
    """The amount as text; ``signed`` puts a + before money coming in (a minus is always shown)."""

    def text(lang: str) -> str:
        shown = format_money(money, lang)
        if not signed or money.minor <= 0:
            return shown
        return shown.replace("\u200f", "\u200f+", 1) if shown.startswith("\u200f") else f"+{shown}"

    return pair(name, text)


def when_pair(name: str, at: datetime | None, *, with_time: bool = True) -> dict[str, str]:
    """A moment in Riyadh time, as each language writes it ("" when there is none)."""
    if at is None or with_time:
        text = when_text(at)
        return pair(name, lambda lang: text[lang])
    return pair(name, lambda lang: format_date(as_utc(at).astimezone(TIMEZONE), format="long", locale=lang))


def withdrawal_view(row: withdrawals.Payout, *, full_iban: bool = False) -> dict[str, str]:
    """A withdrawal request as a row: amount, IBAN (masked unless ``full_iban``), status, dates."""
    compact = "".join(row.iban.split())
    return {
        "key": str(row.id),
        "iban": " ".join(compact[i : i + 4] for i in range(0, len(compact), 4)) if full_iban else withdrawals.mask_iban(compact),
        "holder": row.holder_name,
        "status": row.status,
        "reference": row.bank_reference,
        "note": row.note,
        **money_pair("amount", row.amount),
        **label_pair("status", f"wallet.status_{row.status}", "wallet.status_requested"),
        **when_pair("requested", row.requested_at),
        **when_pair("decided", row.decided_at),
    }


# -- the page ---------------------------------------------------------------------------------


class WalletState(SessionState):
    """The viewer's wallet as display strings; ``summary`` holds the balances and the rules."""

    loaded: bool = False
    summary: dict[str, str] = {}
    upcoming: list[dict[str, str]] = []
    requests: list[dict[str, str]] = []
    history: list[dict[str, str]] = []
    total: int = 0
    page: int = 1
    pages: int = 1
    prev_href: str = ""
    next_href: str = ""
    can_withdraw: bool = False
    error: str = ""

    def _load(self, viewer: Viewer, page: int) -> None:
        with reading() as session:
            wallet = balances.buyer_balance(session, viewer.id)
            seller = balances.seller_balances(session, viewer.id) if viewer.is_seller else None
            own = [withdrawal_view(w) for w in withdrawals.list_own(session, seller_id=viewer.id)] if seller else []
            next_at = withdrawals.next_request_at(session, seller_id=viewer.id) if seller else None
            total = balances.count_history(session, viewer.id)
            pages = max(1, -(-total // PER_PAGE))
            page = min(max(1, page), pages)
            lines = balances.history(session, viewer.id, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
        minimum = Money(withdrawals.MIN_WITHDRAWAL_MINOR)
        summary = money_pair("wallet", wallet) | pair("rules", lambda lang: translate("wallet.rules", lang, minimum=format_money(minimum, lang)))
        self.can_withdraw = False
        if seller is not None:
            summary |= money_pair("pending", seller.pending) | money_pair("available", seller.available) | money_pair("withdrawing", seller.withdrawing)
            if next_at is not None:
                when = when_pair("when", next_at)
                summary |= pair("closed", lambda lang: translate("wallet.next_request", lang, when=when[f"when_{lang}"]))
            elif seller.available < minimum:
                summary |= pair("closed", lambda lang: translate("wallet.below_minimum", lang, minimum=format_money(minimum, lang)))
            else:
                self.can_withdraw = True
        self.summary = summary
        self.upcoming = [
            {
                "title": e.title,
                "href": f"/orders/{e.order_id}",
                "tip": "1" if e.is_tip else "",
                **money_pair("net", e.net),
                **when_pair("clears", e.clears_at, with_time=False),
            }
            for e in (seller.upcoming if seller else [])
        ]
        self.requests = own
        self.history = [self._line(line) for line in lines]
        self.total, self.page, self.pages = total, page, pages
        self.prev_href = page_href(PATH, page - 1) if page > 1 else ""
        self.next_href = page_href(PATH, page + 1) if page < pages else ""
        self.loaded = True

    @staticmethod
    def _line(line: balances.HistoryLine) -> dict[str, str]:
        return {
            "incoming": "1" if line.amount.minor > 0 else "",
            "order": str(line.order_id or ""),
            "href": f"/orders/{line.order_id}" if line.order_id else "",
            **when_pair("when", line.at),
            **label_pair("kind", f"wallet.kind_{line.kind}", "wallet.kind_other"),
            **label_pair("account", f"wallet.account_{line.account}", "wallet.account_other"),
            **money_pair("amount", line.amount, signed=True),
        }

    # -- events ---------------------------------------------------------------------------

    @rx.event
    def open_page(self):  # type: ignore[no-untyped-def]
        """On load of /wallet (``?page=<n>`` pages the history): signed-out visitors log in first."""
        opened = self._viewer_and_page(PATH)
        if not isinstance(opened, tuple):
            return opened
        self._load(*opened)

    @rx.event
    def withdraw(self, form_data: Any):  # type: ignore[no-untyped-def]
        """«سحب الرصيد»: ``{"amount": "150", "iban": "SA03…", "holder_name": "…"}``."""
        self.error = ""
        viewer = self._viewer_or_login(PATH)
        if not isinstance(viewer, Viewer):
            self.reset()
            return viewer
        form = form_data if isinstance(form_data, dict) else {}
        fields = {name: value[:MAX_FIELD] if isinstance(value, str) else value for name, value in form.items() if name in FORM_FIELDS}
        try:
            if not viewer.is_seller:
                raise WalletError("wallet.sellers_only")
            data = withdrawals.parse_withdrawal(fields)
            with transaction() as session:
                withdrawals.request(session, seller_id=viewer.id, data=data)
        except MihanError as exc:
            self.error = self._message(exc)
            return rx.toast.error(self.error)
        self._load(viewer, 1)
        return [rx.toast.success(translate("wallet.requested", self._lang)), rx.set_value("withdraw-amount", "")]
