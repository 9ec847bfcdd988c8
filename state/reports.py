"""Reports from any page (``ReportState.file``) and the moderators' queue at /admin/reports.

«إبلاغ» sends ``{"kind": "gig"|"review"|"user", "target": "<n>", "reason": "…", "note": "…"}``:
the target is named by id on purpose (anyone may report anything public), and the service checks
it is public and not the reporter's own. The queue's «قرار» sends ``{"report": "<n>", "action":
"dismissed"|"actioned", "resolution": "…"}``; moderators and admins only.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from app.core import clock
from app.core.db import reading, transaction
from app.core.errors import MihanError
from app.core.i18n import translate
from app.trust import reports
from models.trust import ReportReason
from state.catalog import both
from state.orders import when_text
from state.paging import PagedList
from state.seller import positive_int
from state.admin import AdminPageState
from state.session import SessionState

PATH = "/admin/reports"
PER_PAGE = 20
MAX_TEXT = 4000  # characters kept of a note before the service checks it
REASONS = tuple(reason.value for reason in ReportReason)


def _text(form: dict[str, Any], name: str) -> str:
    value = form.get(name)
    return value[:MAX_TEXT] if isinstance(value, str) else ""


class ReportState(SessionState):
    """Filing a report from a gig, a review or a person's page."""

    @rx.event
    def file(self, form_data: Any):  # type: ignore[no-untyped-def]
        """«إرسال البلاغ»."""
        form = form_data if isinstance(form_data, dict) else {}
        try:
            viewer = self._require()
            with transaction() as session:
                report = reports.file_report(
                    session,
                    reporter_id=viewer.id,
                    kind=form.get("kind"),
                    target_id=positive_int(form.get("target")),
                    reason=form.get("reason"),
                    note=_text(form, "note"),
                    now=clock.now(),
                )
                appeal = report.appeal
        except MihanError as exc:
            return rx.toast.error(self._message(exc))
        return rx.toast.success(translate("report.appealed" if appeal else "report.filed", self._lang))


def queue_item(item: reports.QueueItem) -> dict[str, str]:
    reason = both(lambda lang: translate(f"report.reason_{item.reason}", lang))
    kind = both(lambda lang: translate(f"report.kind_{item.kind}", lang))
    when = when_text(item.created_at)
    return {
        "key": str(item.id),
        "kind": item.kind,
        "kind_ar": kind["ar"],
        "kind_en": kind["en"],
        "reason_ar": reason["ar"],
        "reason_en": reason["en"],
        "note": item.note,
        "appeal": "1" if item.appeal else "",
        "reporter": item.reporter,
        "title": item.title,
        "href": item.href,
        "reports": str(item.reports),
        "when_ar": when["ar"],
        "when_en": when["en"],
    }


class ReportsQueueState(PagedList, AdminPageState):
    """The open reports, oldest first, as display dicts; moderators and admins."""

    def _role(self) -> str:
        return "moderator"

    def _load(self, moderator_id: int, page: int) -> None:
        with reading() as session:
            offset = self._window(reports.count_open(session), page, PER_PAGE, lambda n: f"{PATH}?page={n}")
            found = reports.list_open(session, moderator_id=moderator_id, limit=PER_PAGE, offset=offset)
        self.items = [queue_item(item) for item in found]
        self.loaded = True

    @rx.event
    def open_page(self):  # type: ignore[no-untyped-def]
        """On load of /admin/reports (``?page=<n>``)."""
        return self._open_list(PATH, self._load)

    @rx.event
    def decide(self, form_data: Any):  # type: ignore[no-untyped-def]
        """«رفض البلاغ» (dismissed) or «اتخاذ إجراء» (actioned), with the resolution."""
        viewer = self._admin(PATH)
        if isinstance(viewer, list):
            return viewer
        self.error = ""
        form = form_data if isinstance(form_data, dict) else {}
        action = form.get("action")
        try:
            with transaction() as session:
                reports.decide(
                    session,
                    moderator_id=viewer.id,
                    report_id=positive_int(form.get("report")),
                    action=action,
                    resolution=_text(form, "resolution"),
                    now=clock.now(),
                )
        except MihanError as exc:
            self.error = self._message(exc)
            self._load(viewer.id, self.page)
            return rx.toast.error(self.error)
        self._load(viewer.id, self.page)
        return rx.toast.success(translate(f"report.done_{action}", self._lang))
