"""/admin/invites: founding sellers' invite codes, for admins only.

«إنشاء» comes as ``{"count": "<n>", "days": "<n>", "note": "…"}`` and «إلغاء» as
``{"code": "<id>"}``; the strings are turned into numbers here and checked again by the
service, which also checks the admin. Codes are shown in full: an admin hands them out.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from app.core import clock
from app.core.db import reading, transaction
from app.core.i18n import translate
from app.trust import founding
from state.admin import AdminPageState
from state.catalog import both
from state.orders import when_text
from state.paging import PagedList
from state.seller import positive_int

PATH = "/admin/invites"
PER_PAGE = 30
STATE_COLORS = {"open": "green", "redeemed": "blue", "expired": "gray", "revoked": "red"}


def invite_view(row: founding.InviteRow) -> dict[str, str]:
    state = both(lambda lang: translate(f"invites.state_{row.state}", lang))
    expires = when_text(row.expires_at)
    return {
        "key": str(row.id),
        "code": row.code,
        "note": row.note,
        "state": row.state,
        "state_ar": state["ar"],
        "state_en": state["en"],
        "expires_ar": expires["ar"],
        "expires_en": expires["en"],
        "seller": row.redeemed_by,
        "can_revoke": "1" if row.state == "open" else "",
    }


class InvitesState(PagedList, AdminPageState):
    fresh: list[str] = []  # the codes just made, to copy at once

    def _load(self, admin_id: int, page: int) -> None:
        now = clock.now()
        with reading() as session:
            offset = self._window(founding.count_codes(session, admin_id=admin_id), page, PER_PAGE, lambda n: f"{PATH}?page={n}")
            rows = founding.list_codes(session, admin_id=admin_id, now=now, limit=PER_PAGE, offset=offset)
        self.items = [invite_view(row) for row in rows]
        self.loaded = True

    @rx.event
    def open_page(self):  # type: ignore[no-untyped-def]
        """On load of /admin/invites (``?page=<n>``)."""
        return self._open_list(PATH, self._load)

    @rx.event
    def create(self, form_data: Any):  # type: ignore[no-untyped-def]
        """«إنشاء الرموز»: ``count`` codes valid ``days`` days, with a note of whom they are for."""
        admin = self._admin(PATH)
        if isinstance(admin, list):
            return admin
        form = form_data if isinstance(form_data, dict) else {}
        note = form.get("note")
        made: list[str] = []

        def make(session) -> None:  # type: ignore[no-untyped-def]
            codes = founding.create_codes(
                session,
                admin_id=admin.id,
                count=positive_int(form.get("count"), founding.MAX_BATCH) or 0,
                note=note if isinstance(note, str) else None,
                valid_days=positive_int(form.get("days"), founding.VALID_DAYS[1]) or 0,
                now=clock.now(),
            )
            made.extend(code.code for code in codes)

        refused = self._apply(PATH, make)
        if refused is not None:
            return refused
        self._load(admin.id, 1)
        self.fresh = made
        return rx.toast.success(translate("invites.created", self._lang, count=len(made)))

    @rx.event
    def revoke(self, form_data: Any):  # type: ignore[no-untyped-def]
        """«إلغاء» an unspent code."""
        admin = self._admin(PATH)
        if isinstance(admin, list):
            return admin
        form = form_data if isinstance(form_data, dict) else {}
        code_id = positive_int(form.get("code"))
        refused = self._apply(PATH, lambda session: founding.revoke_code(session, admin_id=admin.id, code_id=code_id, now=clock.now()))
        if refused is not None:
            return refused
        self._load(admin.id, self.page)
        return rx.toast.success(translate("invites.revoked", self._lang))
