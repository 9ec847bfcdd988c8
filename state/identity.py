"""Identity verification: the seller's card on «خدماتي» (/seller/gigs) and the admins' queue at
/admin/verifications.

The seller asks with ``request_number`` (``{"name": "…", "number": "FL-…"}``) or by picking a
file and pressing «إرسال للمراجعة» (``upload_document``, with the legal name typed beside it and
kept by ``set_legal_name``). The queue's «تنفيذ القرار» sends ``{"request": "<n>", "decision":
"approve"|"reject", "reason": "…"}``; «سحب التوثيق» sends ``{"seller": "<n>", "reason": "…"}``.
Every value is checked again by ``app.trust.identity``, which also checks who acts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx
from sqlmodel import Session

from app.core import clock
from app.core.db import reading, transaction
from app.core.errors import MihanError
from app.core.i18n import translate
from app.trust import identity
from app.trust.errors import TrustError
from models.trust import VerificationMethod, VerificationStatus
from state.admin import AdminPageState
from state.catalog import both
from state.orders import size_text, when_text
from state.paging import PagedList
from state.seller import positive_int
from state.session import SessionState

PATH = "/admin/verifications"
PER_PAGE = 20
MAX_TEXT = 2000  # characters kept of a typed field before the service checks it
METHODS = tuple(method.value for method in VerificationMethod)
DECISIONS = {"approve": True, "reject": False}
ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")


def _text(form: dict[str, Any], name: str) -> str:
    value = form.get(name)
    return value[:MAX_TEXT] if isinstance(value, str) else ""


def method_text(method: str) -> dict[str, str]:
    return both(lambda lang: translate(f"identity.method_{method}", lang))


class IdentityState(SessionState):
    """The seller's own verification: their status, the latest decision's reason, the form."""

    loaded: bool = False
    verified: bool = False
    status: str = ""  # the latest request's: pending | approved | rejected | withdrawn ("" none)
    pending_ar: str = ""  # «قيد المراجعة منذ …» while a request waits
    pending_en: str = ""
    reason: str = ""  # why the latest request was rejected or the verification withdrawn
    can_request: bool = False
    capped: bool = False
    method: str = VerificationMethod.DOCUMENT.value  # the form's tab
    legal_name: str = ""  # the seller's own typing, for the document form
    error: str = ""

    def _load(self, seller_id: int) -> None:
        with reading() as session:
            found = identity.status_of(session, seller_id=seller_id, now=clock.now())
        self.verified, self.can_request, self.capped, self.status = found.verified, found.can_request, found.capped, found.status
        waiting = found.status == VerificationStatus.PENDING.value
        since = when_text(found.asked_at if waiting else None)
        note = both(lambda lang: translate("identity.pending_note", lang, when=since[lang]) if waiting else "")
        self.pending_ar, self.pending_en = note["ar"], note["en"]
        shown = found.status in (VerificationStatus.REJECTED.value, VerificationStatus.WITHDRAWN.value)
        self.reason = found.reason if shown else ""
        self.loaded = True

    def _seller(self) -> int:
        viewer = self._require()
        if not viewer.is_seller:
            raise TrustError("trust.sellers_only")
        return viewer.id

    @rx.event
    def open_card(self):  # type: ignore[no-untyped-def]
        """On load of /seller/gigs: the card for sellers (the page itself sends others away)."""
        self.reset()
        try:
            seller = self._seller()
        except MihanError:
            return
        self._load(seller)

    @rx.event
    def set_method(self, value: Any):  # type: ignore[no-untyped-def]
        """The form's tab: a document or a freelance number."""
        if isinstance(value, str) and value in METHODS:
            self.method = value

    @rx.event
    def set_legal_name(self, value: Any):  # type: ignore[no-untyped-def]
        """The legal name typed beside the document picker (checked when the document is sent)."""
        self.legal_name = value[: identity.MAX_NAME * 2] if isinstance(value, str) else ""

    def _done(self, seller: int):  # type: ignore[no-untyped-def]
        self.legal_name = ""
        self._load(seller)
        return rx.toast.success(translate("identity.sent", self._lang))

    def _refuse(self, error: MihanError):  # type: ignore[no-untyped-def]
        self.error = self._message(error)
        return rx.toast.error(self.error)

    @rx.event
    def request_number(self, form_data: Any):  # type: ignore[no-untyped-def]
        """«إرسال للمراجعة» with a freelance document number and the legal name."""
        self.error = ""
        form = form_data if isinstance(form_data, dict) else {}
        try:
            seller = self._seller()
            with transaction() as session:
                identity.request_with_number(session, seller_id=seller, name=_text(form, "name"), number=_text(form, "number"), now=clock.now())
        except MihanError as exc:
            return self._refuse(exc)
        return self._done(seller)

    @rx.event
    async def upload_document(self, files: list[rx.UploadFile]):  # type: ignore[no-untyped-def]
        """«إرسال للمراجعة» with the picked identity document and the typed legal name."""
        self.error = ""
        uploads = [f for f in files if isinstance(f, rx.UploadFile)] if isinstance(files, list) else []
        try:
            seller = self._seller()
            if not uploads:
                raise TrustError("identity.file_empty")
            data = uploads[0].file.read(identity.MAX_BYTES + 1)
            with transaction() as session:
                identity.request_with_document(
                    session, seller_id=seller, name=self.legal_name, filename=uploads[0].filename or "", data=data, now=clock.now()
                )
        except MihanError as exc:
            return self._refuse(exc)
        return self._done(seller)

    @rx.event
    def file_refused(self, rejections: Any):  # type: ignore[no-untyped-def]
        """The picker refused the file (too large) before sending it."""
        self.error = translate("identity.file_too_large", self._lang, mb=identity.MAX_BYTES // (1024 * 1024))


def queue_item(item: identity.QueueItem) -> dict[str, str]:
    method = method_text(item.method)
    when = when_text(item.created_at)
    return {
        "key": str(item.id),
        "seller": item.seller_name,
        "email": item.seller_email,
        "seller_href": f"/sellers/{item.seller_id}",
        "method": item.method,
        "method_ar": method["ar"],
        "method_en": method["en"],
        "legal_name": item.legal_name,
        "number": item.document_number,
        "href": f"/files/{item.token}" if item.token else "",
        "name": item.file_name,
        "size": size_text(item.file_size),
        "when_ar": when["ar"],
        "when_en": when["en"],
    }


class VerificationsQueueState(PagedList, AdminPageState):
    """The pending identity verifications, oldest first; admins only."""

    def _load(self, admin_id: int, page: int) -> None:
        with reading() as session:
            offset = self._window(identity.count_pending(session), page, PER_PAGE, lambda n: f"{PATH}?page={n}")
            found = identity.list_pending(session, admin_id=admin_id, limit=PER_PAGE, offset=offset)
        self.items = [queue_item(item) for item in found]
        self.loaded = True

    @rx.event
    def open_page(self):  # type: ignore[no-untyped-def]
        """On load of /admin/verifications (``?page=<n>``)."""
        return self._open_list(PATH, self._load)

    def _run(self, form_data: Any, command: Callable[[Session, int, dict[str, Any]], object], done_key: str):  # type: ignore[no-untyped-def]
        """Check the admin, run ``command(session, admin id, form)`` in a transaction, show the
        list again and what happened."""
        admin = self._admin(PATH)
        if isinstance(admin, list):
            return admin
        form = form_data if isinstance(form_data, dict) else {}
        refused = self._apply(PATH, lambda session: command(session, admin.id, form))
        self._load(admin.id, self.page)
        return refused if refused is not None else rx.toast.success(translate(done_key, self._lang))

    @rx.event
    def decide(self, form_data: Any):  # type: ignore[no-untyped-def]
        """«تنفيذ القرار»: approve or reject one pending request, with the reason."""
        decision = form_data.get("decision") if isinstance(form_data, dict) else None
        approve = DECISIONS.get(decision) if isinstance(decision, str) else None

        def command(session: Session, admin_id: int, form: dict[str, Any]) -> object:
            request = positive_int(form.get("request"))
            return identity.decide(session, admin_id=admin_id, request_id=request, approve=approve, reason=_text(form, "reason"), now=clock.now())

        return self._run(form_data, command, "verifications.done_approved" if approve else "verifications.done_rejected")

    @rx.event
    def withdraw(self, form_data: Any):  # type: ignore[no-untyped-def]
        """«سحب التوثيق» of a verified seller (their number, Latin or Arabic-Indic digits), with the reason they read."""

        def command(session: Session, admin_id: int, form: dict[str, Any]) -> object:
            typed = form.get("seller")
            seller = positive_int(typed.strip().translate(ARABIC_DIGITS) if isinstance(typed, str) else typed)
            return identity.withdraw(session, admin_id=admin_id, seller_id=seller, reason=_text(form, "reason"), now=clock.now())

        return self._run(form_data, command, "verifications.withdrawn")
