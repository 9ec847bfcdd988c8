"""/admin/payouts: sellers' withdrawal requests, for admins only (moderators do not move money).

The queue shows the full IBAN (the admin copies it into the bank); the paid and rejected tabs
mask it. «تم التحويل» comes as ``{"withdrawal": "<n>", "reference": "…"}`` and «رفض» as
``{"withdrawal": "<n>", "note": "…"}``; both values are checked here and again by the service,
which refuses a request already decided, so a double click or two admins pay it once.

«تصدير CSV» sends the file through this handler (``rx.download``) rather than a Starlette route:
the export is then guarded like every other admin action (the session resolved again and the
role checked on each event, over the socket the page already uses), and no URL exists that a
link on another site could make an admin's browser fetch with its cookie.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import reflex as rx

from app.core import clock
from app.core.db import reading, transaction
from app.core.errors import MihanError
from app.core.i18n import translate
from app.wallets import withdrawals
from app.wallets.errors import WalletError
from models.orders import WithdrawalStatus
from state.admin import AdminPageState
from state.paging import PagedList
from state.seller import positive_int
from state.wallet import withdrawal_view

PATH = "/admin/payouts"
PER_PAGE = 20
MAX_PAGE = 10_000
MAX_TEXT = 2000  # characters of a reference or note kept before the service checks them
TABS = tuple(status.value for status in WithdrawalStatus)  # requested (the queue), paid, rejected


def tab_href(tab: str, page: int = 1) -> str:
    params = {**({"tab": tab} if tab != TABS[0] else {}), **({"page": str(page)} if page > 1 else {})}
    return f"{PATH}?{urlencode(params)}" if params else PATH


def payout_view(row: withdrawals.Payout) -> dict[str, str]:
    queued = row.status == WithdrawalStatus.REQUESTED.value
    return {**withdrawal_view(row, full_iban=queued), "seller": row.seller_name, "email": row.seller_email}


def _text(form: dict[str, Any], name: str) -> str:
    value = form.get(name)
    return value[:MAX_TEXT] if isinstance(value, str) else ""


class PayoutsState(PagedList, AdminPageState):
    """One page of one tab, as display dicts; ``waiting`` counts the queue for its tab's badge."""

    tab: str = TABS[0]
    waiting: int = 0

    def _load(self, tab: str, page: int) -> None:
        status = WithdrawalStatus(tab)
        with reading() as session:
            total = withdrawals.count_payouts(session, status=status)
            offset = self._window(total, page, PER_PAGE, lambda n: tab_href(tab, n))
            rows = withdrawals.list_payouts(session, status=status, limit=PER_PAGE, offset=offset)
            waiting = total if status is WithdrawalStatus.REQUESTED else withdrawals.count_payouts(session, status=WithdrawalStatus.REQUESTED)
        self.items = [payout_view(row) for row in rows]
        self.tab, self.waiting = tab, waiting
        self.pending_payouts = waiting
        self.loaded = True

    def _decide(self, form_data: Any, outcome: str):  # type: ignore[no-untyped-def]
        """Pay (``paid``, with the bank reference) or reject (``rejected``, with the reason) the
        form's withdrawal for an admin, then show the queue again."""
        admin = self._admin(PATH)
        if isinstance(admin, list):
            return admin
        self.error = ""
        form = form_data if isinstance(form_data, dict) else {}
        try:
            withdrawal = positive_int(form.get("withdrawal"))
            if withdrawal is None:
                raise WalletError("wallet.not_found")
            with transaction() as session:
                if outcome == WithdrawalStatus.PAID.value:
                    withdrawals.mark_paid(session, withdrawal_id=withdrawal, admin_id=admin.id, bank_reference=_text(form, "reference"))
                else:
                    withdrawals.reject(session, withdrawal_id=withdrawal, admin_id=admin.id, note=_text(form, "note"))
        except MihanError as exc:
            self.error = self._message(exc)
            self._load(self.tab, self.page)  # a request decided meanwhile leaves the queue
            return rx.toast.error(self.error)
        self._load(self.tab, self.page)
        return rx.toast.success(translate(f"payouts.done_{outcome}", self._lang))

    # -- events ---------------------------------------------------------------------------

    @rx.event
    def open_page(self):  # type: ignore[no-untyped-def]
        """On load of /admin/payouts (``?tab=paid|rejected`` for the history, ``?page=<n>``)."""
        self.reset()
        refused = self._refusal(PATH)
        if refused is not None:
            return refused
        query = self.router.url.query_parameters
        tab = query.get("tab")
        self._load(tab if tab in TABS else TABS[0], positive_int(query.get("page"), MAX_PAGE) or 1)

    @rx.event
    def mark_paid(self, form_data: Any):  # type: ignore[no-untyped-def]
        """«تم التحويل» with the bank's reference of the transfer."""
        return self._decide(form_data, WithdrawalStatus.PAID.value)

    @rx.event
    def reject(self, form_data: Any):  # type: ignore[no-untyped-def]
        """«رفض» with the reason the seller will read; the money is available to them again."""
        return self._decide(form_data, WithdrawalStatus.REJECTED.value)

    @rx.event
    def export_csv(self):  # type: ignore[no-untyped-def]
        """«تصدير CSV»: every withdrawal, for the bank or the accountant (UTF-8 with a BOM for Excel)."""
        refused = self._refusal(PATH)
        if refused is not None:
            return refused
        with reading() as session:
            text = withdrawals.export_csv(session)
        name = f"mihan-withdrawals-{clock.now():%Y%m%d-%H%M}.csv"
        return rx.download(data="\ufeff" + text, filename=name, mime_type="text/csv;charset=utf-8")

