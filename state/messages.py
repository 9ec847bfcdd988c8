"""The messages page (/messages, /messages/<n>), the order page's thread, and «تواصل مع البائع».

Which conversation comes from the route (``/messages/<n>``, or the order of ``/orders/<n>``),
never from an argument, and every handler resolves the viewer from the session cookie again;
the services refuse anyone who is not a party. Public vars are display strings only.

Real time: when a thread or the list is open, ``watch`` (a background event) asks the database
every two seconds for the viewer's newest message id and the other party's read marker (two
indexed lookups, run in a worker thread); only when that signature changes does it reload the
list and the thread. The same poll carries the header bell's (newest notification id, unread
count), so the bell changes in an open messages tab without a poller of its own. The database is the source of truth, so it works the same with several
workers and Redis-held state. A new ``open_page`` bumps ``_ticket`` and the old loop ends;
so does a tab that moved to another page (every page load sends an event, which updates the
route the loop compares with), signing out, and 30 minutes.

Voice notes are recorded by the browser (``assets/voice.js``, MediaRecorder) and posted to
``POST /messages/<n>/voice`` (``app/http.py``), authenticated by the session cookie like the
private files; the script's answer comes back to ``voice_done``, which reloads the thread.
A Starlette route is simpler than ``rx.upload`` here: the recording is a Blob in JavaScript,
not a file the user picks, and the route can cap the body while reading it.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import quote, urlencode

import reflex as rx

from app import messages, notifications, offers
from app.core.db import reading, transaction
from app.core.errors import MihanError
from app.core.i18n import translate
from app.messages import MessageError
from app.messages.queries import ConversationRow, MessageLine
from state.catalog import both
from state.checkout import CHECKOUT_PREFIX
from state.gig import gig_id_of
from state.offers import gig_options, offer_view
from state.orders import FILE_PREFIX, order_id_of, size_text, when_text
from state.seller import positive_int
from state.seller_profile import seller_key_of
from state.session import SessionState

PREFIX = "/messages/"
LIST = "/messages"
POLL_SECONDS = 2.0
POLL_LIMIT = 900  # 30 minutes of polling per page visit
MAX_PAGE = 10_000
VOICE_ERRORS = {"denied": "message.voice_denied", "unsupported": "message.voice_unsupported"}


def conversation_id_of(path: object) -> int | None:
    """The id in ``/messages/<n>``; else None."""
    return order_id_of(path, PREFIX)


def preview(kind: str, body: str) -> dict[str, str]:
    if kind == "voice":
        return both(lambda lang: translate("messages.voice_note", lang))
    if kind == "file":
        return both(lambda lang: translate("messages.file_preview", lang, name=body))
    if kind == "offer":
        return both(lambda lang: translate("offers.preview", lang, body=body))
    if kind == "notice":
        return both(lambda lang: translate(body, lang))
    return {"ar": body, "en": body}


def row_view(row: ConversationRow, open_id: int) -> dict[str, str]:
    shown = preview(row.last_kind, row.last_body)
    at = when_text(row.last_at)
    return {
        "href": f"{PREFIX}{row.id}",
        "name": row.other_name,
        "initial": row.other_name[:1],
        "about": row.about,
        "preview_ar": shown["ar"],
        "preview_en": shown["en"],
        "when_ar": at["ar"],
        "when_en": at["en"],
        "unread": str(row.unread) if row.unread else "",
        "active": "1" if row.id == open_id else "",
        "mine": "1" if row.last_from_me else "",
    }


def line_view(line: MessageLine, offer: offers.OfferTerms | None = None) -> dict[str, str]:
    at = when_text(line.created_at)
    notice = preview(line.kind, line.body) if line.kind == "notice" else {"ar": "", "en": ""}
    return {
        **offer_view(offer, mine=line.mine),
        "notice_ar": notice["ar"],
        "notice_en": notice["en"],
        "key": str(line.id),
        "mine": "1" if line.mine else "",
        "kind": line.kind,
        "body": line.body,
        "href": f"{FILE_PREFIX}{line.file_token}" if line.file_token else "",
        "file_name": line.file_name,
        "file_size": size_text(line.file_size) if line.file_token else "",
        "is_audio": "1" if line.file_mime.startswith("audio/") else "",
        "when_ar": at["ar"],
        "when_en": at["en"],
        "read": "1" if line.read else "",
        "guarded": "1" if line.mine and line.guard else "",
    }


class MessagesState(SessionState):
    """The list of conversations, the open thread, and the composer's last word."""

    loaded: bool = False
    conversations: list[dict[str, str]] = []
    query: str = ""
    total: int = 0
    page: int = 1
    pages: int = 1
    prev_href: str = ""
    next_href: str = ""
    open_id: int = 0
    other_name: str = ""
    about: str = ""
    about_href: str = ""
    lines: list[dict[str, str]] = []
    thread_missing: bool = False
    warning: str = ""
    error: str = ""
    recording: bool = False
    can_offer: bool = False  # the viewer is this conversation's seller
    offer_open: bool = False
    offer_gigs: list[dict[str, str]] = []
    _ticket: int = 0
    _signature: tuple[tuple[int, int], tuple[int, int]] = ((0, 0), (0, 0))

    # -- helpers (not callable from the browser) ------------------------------------------

    def _route_conversation(self, viewer_id: int) -> int | None:
        """The conversation this page shows: ``/messages/<n>``, or the thread of ``/orders/<n>``."""
        path = self.router.url.path
        conversation = conversation_id_of(path)
        if conversation is not None:
            return conversation
        order = order_id_of(path)
        if order is None:
            return None
        try:
            with transaction() as session:
                return messages.order_thread(session, order_id=order, user_id=viewer_id).id
        except MihanError:
            return None

    def _load(self, viewer_id: int) -> None:
        """The list (this page of it, on /messages only) and the open thread, marking it read."""
        if str(self.router.url.path or "").startswith(LIST):
            with reading() as session:
                found = messages.list_conversations(session, user_id=viewer_id, page=self.page, query=self.query)
            self.conversations = [row_view(row, self.open_id) for row in found.rows]
            self.total, self.page, self.pages = found.total, found.page, found.pages
            search = {"q": self.query} if self.query else {}
            self.prev_href = f"{LIST}?{urlencode({**search, 'page': found.page - 1})}" if found.page > 1 else ""
            self.next_href = f"{LIST}?{urlencode({**search, 'page': found.page + 1})}" if found.page < found.pages else ""
        if self.open_id:
            self._load_thread(viewer_id)
        else:
            self.unread_messages, self.unread_notifications = self._unread(viewer_id)
        self.loaded = True

    def _load_thread(self, viewer_id: int) -> None:
        try:
            with transaction() as session:
                messages.mark_read(session, conversation_id=self.open_id, user_id=viewer_id)
                thread = messages.get_thread(session, conversation_id=self.open_id, user_id=viewer_id)
                terms = offers.offers_in(session, [line.id for line in thread.lines if line.kind == "offer"])
                self.unread_messages = messages.unread_conversations(session, user_id=viewer_id)
                self.unread_notifications = notifications.count_unread(session, user_id=viewer_id)  # the thread's bell item is read now
        except MessageError:
            self.open_id, self.thread_missing, self.lines = 0, True, []
            return
        self.thread_missing = False
        self.other_name = thread.other_name
        self.about = thread.about
        self.about_href = f"/orders/{thread.order_id}" if thread.order_id else (f"/gig/{thread.gig_id}" if thread.gig_id else "")
        self.lines = [line_view(line, terms.get(line.id)) for line in thread.lines]
        self.can_offer = thread.i_sell
        self.conversations = [{**row, "unread": "" if row["href"] == f"{PREFIX}{self.open_id}" else row["unread"]} for row in self.conversations]

    def _refuse(self, exc: MihanError):  # type: ignore[no-untyped-def]
        self.error = self._message(exc)
        return rx.toast.error(self.error)

    def _scroll(self) -> rx.event.EventSpec:
        return rx.call_script("var b=document.getElementById('thread-box');if(b){b.scrollTop=b.scrollHeight;}")

    def _start(self, viewer_id: int):  # type: ignore[no-untyped-def]
        self._ticket += 1
        self._signature = self._signature_of(viewer_id, self.open_id)
        return [self._scroll(), MessagesState.watch]

    # -- events ---------------------------------------------------------------------------

    @rx.event
    def open_page(self):  # type: ignore[no-untyped-def]
        """On load of /messages (``?q=`` searches, ``?page=``), /messages/<n> and /orders/<n>."""
        ticket = self._ticket
        self.reset()
        self._ticket = ticket
        path = str(self.router.url.path or "")
        try:
            viewer = self._require()
        except MihanError:
            if path.startswith(LIST):
                return rx.redirect(f"/login?next={quote(path)}")
            return None
        self._show(viewer)
        query = self.router.url.query_parameters.get("q")
        self.query = query.strip()[:100] if isinstance(query, str) else ""
        self.page = positive_int(self.router.url.query_parameters.get("page"), MAX_PAGE) or 1
        self.open_id = self._route_conversation(viewer.id) or 0
        if not self.open_id and conversation_id_of(path) is not None:
            self.thread_missing = True
        self._load(viewer.id)
        return self._start(viewer.id)

    @rx.event
    def search(self, form_data: Any):  # type: ignore[no-untyped-def]
        """The list's search box: ``{"q": "…"}`` (the other party's name or a message's text)."""
        form = form_data if isinstance(form_data, dict) else {}
        q = form.get("q")
        try:
            viewer = self._require()
        except MihanError as exc:
            return self._refuse(exc)
        self.query = q.strip()[:100] if isinstance(q, str) else ""
        self.page = 1
        self._load(viewer.id)
        return None

    @rx.event
    def send(self, form_data: Any):  # type: ignore[no-untyped-def]
        """The composer: ``{"body": "…"}`` to the open conversation."""
        form = form_data if isinstance(form_data, dict) else {}
        self.error = self.warning = ""
        try:
            viewer = self._require()
            with transaction() as session:
                sent = messages.send_message(session, conversation_id=self.open_id, sender_id=viewer.id, body=form.get("body"))
        except MihanError as exc:
            return self._refuse(exc)
        self._load(viewer.id)
        events: list[Any] = [self._scroll()]
        if sent.warned:
            self.warning = translate("message.guard_masked" if sent.masked else "message.guard_warned", self._lang)
            events.append(rx.toast.warning(self.warning))
        return events

    @rx.event
    async def upload(self, files: list[rx.UploadFile]):  # type: ignore[no-untyped-def]
        """Files dropped on the composer's «إرفاق ملف»: each is sent as a message of its own."""
        self.error = self.warning = ""
        uploads = [f for f in files if isinstance(f, rx.UploadFile)] if isinstance(files, list) else []
        try:
            viewer = self._require()
            if not uploads:
                raise MessageError("message.file_empty")
        except MihanError as exc:
            return self._refuse(exc)
        refusals = []
        for upload in uploads[:5]:
            try:
                data = upload.file.read(messages.POLICY.max_attachment_bytes + 1)
                with transaction() as session:
                    messages.send_attachment(session, conversation_id=self.open_id, sender_id=viewer.id, filename=upload.filename or "", data=data)
            except MihanError as exc:
                refusals.append(self._message(exc))
        self._load(viewer.id)
        if refusals:
            self.error = "\n".join(dict.fromkeys(refusals))
            return rx.toast.error(self.error)
        return self._scroll()

    @rx.event
    def files_refused(self, rejections: Any):  # type: ignore[no-untyped-def]
        """The dropzone refused a file (too large) before sending it."""
        self.error = translate("message.file_too_large", self._lang, mb=messages.POLICY.max_attachment_bytes // (1024 * 1024))

    @rx.event
    def record(self):  # type: ignore[no-untyped-def]
        """«تسجيل رسالة صوتية» / «إيقاف وإرسال»: start or stop the browser's recorder."""
        self.error = ""
        try:
            viewer = self._require()
            with reading() as session:
                messages.party(session, self.open_id, viewer.id)
        except MihanError as exc:
            self.recording = False
            return self._refuse(exc)
        return rx.call_script(f"window.mihanVoice.toggle({int(self.open_id)})", callback=MessagesState.voice_done)

    @rx.event
    def voice_done(self, result: Any):  # type: ignore[no-untyped-def]
        """What the recorder said: ``{"recording": true}``, ``{"ok": true}`` or ``{"error": "…"}``."""
        answer = result if isinstance(result, dict) else {}
        try:
            viewer = self._require()
        except MihanError as exc:
            self.recording = False
            return self._refuse(exc)
        if answer.get("recording") is True:
            self.recording = True
            return None
        self.recording = False
        error = answer.get("error")
        if isinstance(error, str) and error:
            key = VOICE_ERRORS.get(error) or (error if error.startswith("message.") and translate(error, "ar") != error else "message.voice_failed")
            self.error = translate(key, self._lang, mb=messages.POLICY.max_voice_bytes // (1024 * 1024), minutes=messages.POLICY.max_voice_ms // 60_000)
            return rx.toast.error(self.error)
        self._load(viewer.id)
        return self._scroll()

    @rx.event
    def contact_seller(self):  # type: ignore[no-untyped-def]
        """«تواصل مع البائع» on a gig page or a seller's profile: open (or create) the conversation."""
        path = str(self.router.url.path or "")
        gig, seller = gig_id_of(path), seller_key_of(path)
        try:
            viewer = self._require()
        except MihanError:
            return rx.redirect(f"/login?next={quote(path)}") if gig or seller else None
        try:
            with transaction() as session:
                conversation = messages.start_conversation(session, buyer_id=viewer.id, gig_id=gig, seller_key=None if gig else seller)
        except MihanError as exc:
            return self._refuse(exc)
        return rx.redirect(f"{PREFIX}{conversation.id}")

    # -- custom offers ---------------------------------------------------------------------

    @rx.event
    def open_offer_form(self):  # type: ignore[no-untyped-def]
        """«أرسل عرضًا خاصًا»: the seller of the open conversation picks one of their active gigs."""
        self.error = ""
        try:
            viewer = self._require()
            with reading() as session:
                if messages.party(session, self.open_id, viewer.id).seller_id != viewer.id:
                    raise offers.OfferError("offer.not_seller")
                gigs = offers.offerable_gigs(session, viewer.id)
            if not gigs:
                raise offers.OfferError("offers.no_gigs")
        except MihanError as exc:
            return self._refuse(exc)
        self.offer_gigs = gig_options(gigs)
        self.offer_open = True
        return None

    @rx.event
    def close_offer_form(self, _open: Any = False):  # type: ignore[no-untyped-def]
        """«إلغاء», Escape or a click outside the dialog (which passes the dialog's new state)."""
        self.offer_open = False

    @rx.event
    def send_offer(self, form_data: Any):  # type: ignore[no-untyped-def]
        """The offer form: ``{"gig", "description", "price", "days", "revisions", "expires"}``."""
        self.error = self.warning = ""
        try:
            viewer = self._require()
            data = offers.parse_offer(form_data)
            with transaction() as session:
                _, sent = offers.send_offer(session, conversation_id=self.open_id, seller_id=viewer.id, data=data)
        except MihanError as exc:
            return self._refuse(exc)
        self.offer_open = False
        self._load(viewer.id)
        events: list[Any] = [self._scroll(), rx.toast.success(translate("offers.sent", self._lang))]
        if sent.warned:
            self.warning = translate("message.guard_masked" if sent.masked else "message.guard_warned", self._lang)
            events.append(rx.toast.warning(self.warning))
        return events

    @rx.event
    def accept_offer(self, offer: Any):  # type: ignore[no-untyped-def]
        """«قبول والدفع»: the buyer's order is placed from the offer; on to checkout."""
        try:
            viewer = self._require()
            with transaction() as session:
                order = offers.accept_offer(session, offer_id=positive_int(offer, 2**62), buyer_id=viewer.id)
        except MihanError as exc:
            return self._refuse(exc)
        return rx.redirect(f"{CHECKOUT_PREFIX}{order.id}")

    @rx.event
    def decline_offer(self, offer: Any):  # type: ignore[no-untyped-def]
        return self._decide_offer(offer, offers.decline_offer, "buyer_id", "offers.declined")

    @rx.event
    def withdraw_offer(self, offer: Any):  # type: ignore[no-untyped-def]
        return self._decide_offer(offer, offers.withdraw_offer, "seller_id", "offers.withdrawn")

    def _decide_offer(self, offer: Any, decide: Any, role: str, done_key: str):  # type: ignore[no-untyped-def]
        try:
            viewer = self._require()
            with transaction() as session:
                decide(session, offer_id=positive_int(offer, 2**62), **{role: viewer.id})
        except MihanError as exc:
            return self._refuse(exc)
        self._load(viewer.id)
        return rx.toast.success(translate(done_key, self._lang))

    @rx.event(background=True)
    async def watch(self):  # type: ignore[no-untyped-def]
        """Poll the database for this viewer's new messages and read receipts; reload on change."""
        async with self:
            ticket, open_id, token = self._ticket, self.open_id, self.auth_token
            path = str(self.router.url.path or "")
            watching = self.loaded and ticket > 0
        if not watching:
            return
        for _ in range(POLL_LIMIT):
            await asyncio.sleep(POLL_SECONDS)
            viewer = await asyncio.to_thread(self._viewer_of, token)
            if viewer is None:
                return
            found = await asyncio.to_thread(self._signature_of, viewer, open_id)
            async with self:
                # a newer page load started its own loop, the tab moved on, or signed out
                if self._ticket != ticket or self.auth_token != token or str(self.router.url.path or "") != path:
                    return
                if found == self._signature:
                    continue
                if found[0] != self._signature[0]:
                    self._load(viewer)
                self._signature = found
                self.unread_notifications = found[1][1]  # the header's bell follows the same poll
            if open_id:
                yield self._scroll()

    @staticmethod
    def _viewer_of(token: str) -> int | None:
        from app import accounts

        with reading() as session:
            viewer = accounts.resolve(session, token)
        return viewer.id if viewer else None

    @staticmethod
    def _signature_of(viewer_id: int, open_id: int) -> tuple[tuple[int, int], tuple[int, int]]:
        """The messages' signature and the bell's (newest notification id, unread count)."""
        with reading() as session:
            return (
                messages.signature(session, user_id=viewer_id, conversation_id=open_id or None),
                notifications.newest_unread(session, user_id=viewer_id),
            )
