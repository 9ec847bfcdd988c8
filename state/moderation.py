"""The moderation queue at /admin/moderation: gigs awaiting review, approve / reject / suspend.

Only moderators and admins (``_require("moderator")``) see the queue or act on it. Each action
comes as a form ``{"gig": "<n>", "note": "..."}``; both values are checked here, the reason is
required for a rejection or a suspension (the service checks it too), and the queue reloads.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from babel.dates import format_datetime

from app import catalog
from app.accounts import NotAuthorized
from app.catalog import CatalogError
from app.core.db import reading, transaction
from app.core.errors import MihanError
from app.core.i18n import translate
from state.catalog import both, money_text
from state.seller import catalog_message, positive_int
from state.session import SessionState

PATH = "/admin/moderation"
PER_PAGE = 20
MAX_PAGE = 10_000
MAX_NOTE = 500


class ModerationState(SessionState):
    """One page of the pending queue, as display dicts."""

    loaded: bool = False
    items: list[dict[str, str]] = []
    total: int = 0
    page: int = 1
    pages: int = 1
    error: str = ""

    def _load(self, page: int) -> None:
        with reading() as session:
            total = catalog.count_pending(session)
            pages = max(1, -(-total // PER_PAGE))
            page = min(max(1, page), pages)
            found = catalog.list_pending(session, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
        self.items = [self._item(gig) for gig in found]
        self.total, self.page, self.pages = total, page, pages
        self.loaded = True

    @staticmethod
    def _item(gig: catalog.PendingGig) -> dict[str, str]:
        price = money_text(gig.price_minor, gig.currency)
        when = both(lambda lang: format_datetime(gig.submitted_at, format="medium", locale="ar" if lang == "ar" else "en"))
        return {
            "id": str(gig.id),
            "title": gig.title,
            "excerpt": gig.excerpt,
            "seller_name": gig.seller_name,
            "category_ar": gig.category_ar,
            "category_en": gig.category_en,
            "price_ar": price["ar"],
            "price_en": price["en"],
            "when_ar": when["ar"],
            "when_en": when["en"],
            "href": f"/gig/{gig.id}",
        }

    def _refuse(self, error: MihanError):  # type: ignore[no-untyped-def]
        """Signed out: log in first; signed in without the role: home, with the reason."""
        if isinstance(error, NotAuthorized):
            return [rx.redirect("/"), rx.toast.error(translate("auth.forbidden", self._lang))]
        return rx.redirect(f"/login?next={PATH}")

    def _decide(self, form_data: Any, action: str):  # type: ignore[no-untyped-def]
        self.error = ""
        try:
            self._require("moderator")
        except MihanError as exc:
            self.reset()
            return self._refuse(exc)
        try:
            form = form_data if isinstance(form_data, dict) else {}
            gig = positive_int(form.get("gig"))
            note = form.get("note", "")
            if gig is None:
                raise CatalogError("gig.not_found")
            if not isinstance(note, str) or len(note) > MAX_NOTE * 4:
                raise CatalogError("moderation.invalid_note")
            with transaction() as session:
                catalog.moderate(session, gig_id=gig, action=action, note=note)
        except MihanError as exc:
            self.error = catalog_message(exc, self._lang)
            return rx.toast.error(self.error)
        self._load(self.page)
        return rx.toast.success(translate(f"moderation.done_{action}", self._lang))

    # -- events ---------------------------------------------------------------------------

    @rx.event
    def open_queue(self):  # type: ignore[no-untyped-def]
        """On load of /admin/moderation (``?page=<n>`` for later pages)."""
        self.reset()
        try:
            viewer = self._require("moderator")
        except MihanError as exc:
            return self._refuse(exc)
        self._show(viewer)
        self._load(positive_int(self.router.url.query_parameters.get("page"), MAX_PAGE) or 1)

    @rx.event
    def go_page(self, page: Any):  # type: ignore[no-untyped-def]
        number = positive_int(page, MAX_PAGE)
        try:
            self._require("moderator")
        except MihanError as exc:
            self.reset()
            return self._refuse(exc)
        if number is not None:
            self._load(number)

    @rx.event
    def approve(self, form_data: Any):  # type: ignore[no-untyped-def]
        return self._decide(form_data, "approve")

    @rx.event
    def reject(self, form_data: Any):  # type: ignore[no-untyped-def]
        return self._decide(form_data, "reject")

    @rx.event
    def suspend(self, form_data: Any):  # type: ignore[no-untyped-def]
        return self._decide(form_data, "suspend")
