"""The session every page shares: who is signed in, which language, and the one guard.

Identity lives only in the session cookie; each handler resolves it again through
``_require`` so a revoked or expired session stops working at once. Public vars hold display
data only (a name, flags), never a table row.
"""

from __future__ import annotations

import reflex as rx

from app import accounts, messages, notifications
from app.accounts import NotAuthenticated, NotAuthorized, Viewer
from app.accounts.profile import avatar_url
from app.core.db import reading, transaction
from app.core.errors import MihanError
from app.core.i18n import direction, normalise_language, translate
from app.core.settings import get_settings
from app.orders import disputes, transfers
from app.trust import identity
from app.wallets import withdrawals
from models.orders import WithdrawalStatus

SESSION_COOKIE = "mihan_session"
LANG_COOKIE = "mihan_lang"
_settings = get_settings()


class SessionState(rx.State):
    """Root of Mihan's states: cookies, display of the viewer, language."""

    auth_token: str = rx.Cookie(
        "", name=SESSION_COOKIE, max_age=_settings.session_days * 86400, same_site="lax", secure=_settings.secure_cookies
    )
    lang: str = rx.Cookie("ar", name=LANG_COOKIE, max_age=365 * 86400, same_site="lax")

    viewer_name: str = ""
    signed_in: bool = False
    is_seller: bool = False
    is_admin: bool = False
    is_moderator: bool = False
    email_verified: bool = True
    avatar: str = ""
    # what waits for an admin (the console's links show them): disputes, withdrawals to pay
    open_disputes: int = 0
    pending_payouts: int = 0
    pending_verifications: int = 0  # sellers' identity checks waiting for an admin
    pending_transfers: int = 0  # bank transfers waiting for an admin to confirm or reject
    # conversations with a message the viewer has not read (the header's «الرسائل» badge)
    unread_messages: int = 0
    # notifications the viewer has not read (the header's bell)
    unread_notifications: int = 0

    @rx.var
    def is_en(self) -> bool:
        return self.lang == "en"

    @rx.var
    def text_dir(self) -> str:
        return direction(self.lang)

    # -- helpers (not callable from the browser) ------------------------------------------

    @property
    def _lang(self) -> str:
        return normalise_language(self.lang)

    def _viewer(self) -> Viewer | None:
        with reading() as session:
            return accounts.resolve(session, self.auth_token)

    def _require(self, role: str | None = None) -> Viewer:
        """Return the signed-in viewer or raise; every protected handler starts here."""
        viewer = self._viewer()
        if viewer is None:
            self._show(None)
            raise NotAuthenticated()
        if role is not None and not viewer.has_role(role):
            raise NotAuthorized()
        return viewer

    def _viewer_or_login(self, path: str) -> Viewer | rx.event.EventSpec:
        """The signed-in viewer, shown in the header; else the way to log in and come back to ``path``."""
        try:
            viewer = self._require()
        except MihanError:
            return rx.redirect(f"/login?next={path}")
        self._show(viewer)
        return viewer

    def _viewer_and_page(self, path: str) -> tuple[Viewer, int] | rx.event.EventSpec:
        """A personal list page's load: forget the previous visit, then the signed-in viewer (else
        the way to log in and come back to ``path``) and the page the URL asks for (``?page=``)."""
        from state.favourites import page_number  # favourites builds on this module

        self.reset()
        viewer = self._viewer_or_login(path)
        if not isinstance(viewer, Viewer):
            return viewer
        return viewer, page_number(self.router.url.query_parameters)

    def _show(self, viewer: Viewer | None) -> None:
        self.signed_in = viewer is not None
        self.viewer_name = viewer.name if viewer else ""
        self.is_seller = bool(viewer and viewer.is_seller)
        self.is_admin = bool(viewer and viewer.is_admin)
        self.is_moderator = bool(viewer and viewer.is_moderator)
        self.email_verified = bool(viewer.email_verified) if viewer else True
        self.avatar = avatar_url(viewer.avatar_file) if viewer else ""
        waiting = self._waiting() if viewer and viewer.is_admin else (0, 0, 0, 0)
        self.open_disputes, self.pending_payouts, self.pending_verifications, self.pending_transfers = waiting
        self.unread_messages, self.unread_notifications = self._unread(viewer.id) if viewer else (0, 0)

    def _waiting(self) -> tuple[int, int, int, int]:
        with reading() as session:
            return (
                disputes.count_disputes(session),
                withdrawals.count_payouts(session, status=WithdrawalStatus.REQUESTED),
                identity.count_pending(session),
                transfers.count_pending(session),
            )

    def _unread(self, viewer_id: int) -> tuple[int, int]:
        """The header's two counts: unread conversations and unread notifications."""
        with reading() as session:
            return messages.unread_conversations(session, user_id=viewer_id), notifications.count_unread(session, user_id=viewer_id)

    def _message(self, error: MihanError) -> str:
        return error.message(self._lang)

    def _client_ip(self) -> str:
        return str(self.router.session.client_ip or "")

    def _user_agent(self) -> str:
        return str(self.router.headers.user_agent or "")[:300]

    def _apply_direction(self) -> rx.event.EventSpec:
        lang = self._lang
        return rx.call_script(
            f"document.documentElement.lang='{lang}';document.documentElement.dir='{direction(lang)}';"
        )

    # -- events ---------------------------------------------------------------------------

    @rx.event
    def refresh(self):  # type: ignore[no-untyped-def]
        """On every page load: show who is signed in and put the page in the right direction."""
        if self.lang not in ("ar", "en"):
            self.lang = "ar"
        self._show(self._viewer())
        return self._apply_direction()

    @rx.event
    def toggle_language(self):  # type: ignore[no-untyped-def]
        self.lang = "en" if self._lang == "ar" else "ar"
        return self._apply_direction()

    @rx.event
    async def log_out(self):  # type: ignore[no-untyped-def]
        """Revoke the session and forget every page's data of the previous user in this tab."""
        with transaction() as session:
            accounts.log_out(session, self.auth_token)
        self.auth_token = ""
        self._show(None)
        pending = list(type(self).get_substates())
        while pending:
            substate_class = pending.pop()
            (await self.get_state(substate_class)).reset()
            pending.extend(substate_class.get_substates())
        return [rx.redirect("/"), rx.toast.info(translate("auth.logged_out", self._lang))]
