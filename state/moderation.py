"""The moderation queue at /admin/moderation: gigs awaiting review, approve / reject / suspend,
and the contact guard's flags (repeated attempts to move off the platform), each shown with the
conversation around the attempt: dismiss, warn the sender, or mark actioned.

Only moderators and admins (``_require("moderator")``) see the queue or act on it. Each action
comes as a form ``{"gig": "<n>", "note": "..."}``; both values are checked here, the reason is
required for a rejection or a suspension (the service checks it too), and the queue reloads.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from babel.dates import format_datetime

from app import catalog, messages
from app.accounts import NotAuthorized
from app.catalog import CatalogError
from app.core.db import reading, transaction
from app.core.errors import MihanError
from app.core.i18n import translate
from app.messages.moderation import ContextLine
from state.catalog import both, money_text
from state.orders import when_text
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
    flags: list[dict[str, str]] = []
    flag_context: list[list[dict[str, str]]] = []

    def _load_flags(self, moderator_id: int) -> None:
        with reading() as session:
            found = messages.list_open_flags(session, moderator_id=moderator_id)
        self.flags = [self._flag(flag) for flag in found]
        self.flag_context = [[self._context_line(line) for line in flag.context] for flag in found]

    @staticmethod
    def _flag(flag: messages.FlagView) -> dict[str, str]:
        kinds = both(lambda lang: ("، " if lang == "ar" else ", ").join(translate(f"flags.kind_{kind}", lang) for kind in flag.kinds))
        attempts = both(lambda lang: translate("flags.attempts", lang, n=flag.attempts))
        when = when_text(flag.created_at)
        return {
            "id": str(flag.id),
            "sender": flag.sender_name,
            "other": flag.other_name,
            "order": f"#{flag.order_id}" if flag.order_id else "",
            "kinds_ar": kinds["ar"],
            "kinds_en": kinds["en"],
            "attempts_ar": attempts["ar"],
            "attempts_en": attempts["en"],
            "when_ar": when["ar"],
            "when_en": when["en"],
        }

    @staticmethod
    def _context_line(line: ContextLine) -> dict[str, str]:
        when = when_text(line.created_at)
        return {
            "sender": line.sender_name,
            "text": line.text if line.kind == "text" else f"[{line.kind}]",
            "flagged": "1" if line.flagged_sender else "",
            "attempt": "1" if line.is_the_attempt else "",
            "when_ar": when["ar"],
            "when_en": when["en"],
        }

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
        self._load_flags(viewer.id)

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

    @rx.event
    def decide_flag(self, form_data: Any):  # type: ignore[no-untyped-def]
        """A flag's decision: ``{"flag": "<n>", "decision": "dismiss" | "warn" | "action", "note": "…"}``."""
        self.error = ""
        try:
            viewer = self._require("moderator")
        except MihanError as exc:
            self.reset()
            return self._refuse(exc)
        form = form_data if isinstance(form_data, dict) else {}
        decision = form.get("decision")
        try:
            with transaction() as session:
                messages.decide_flag(session, flag_id=positive_int(form.get("flag")), moderator_id=viewer.id, decision=decision, note=form.get("note", ""))
        except MihanError as exc:
            self.error = self._message(exc)
            return rx.toast.error(self.error)
        self._load_flags(viewer.id)
        return rx.toast.success(translate(f"flags.done_{decision}", self._lang))
