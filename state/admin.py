"""What the admin-only pages of the console share: one guard, its two refusals, one edit step.

Each handler of an admin page is a public RPC, so each one starts with ``_refusal``: a visitor
who is signed out is sent to log in (and back), a signed-in user without the admin role sees
the «لا تملك صلاحية» panel instead of the page, and in both cases the page's data is cleared.
``_apply`` runs an admin's edit in its own transaction and turns a refusal into a message.
"""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx
from sqlmodel import Session

from app.accounts import NotAuthorized, Viewer
from app.core.db import transaction
from app.core.errors import MihanError
from app.core.i18n import translate
from state.seller import positive_int
from state.session import SessionState

MAX_PAGE = 10_000


class AdminPageState(SessionState):
    """Base of the admin pages' states; ``forbidden`` shows the refusal panel."""

    forbidden: bool = False
    error: str = ""

    def _role(self) -> str:
        """Who may use the page: admins, unless a page lets moderators in too."""
        return "admin"

    def _admin(self, path: str) -> Viewer | list[rx.event.EventSpec]:
        """The signed-in admin (or moderator, per ``_role``); otherwise clear the page and
        return what to do instead."""
        try:
            viewer = self._require(self._role())
        except MihanError as exc:
            self.reset()
            if isinstance(exc, NotAuthorized):
                self.forbidden = True
                return [rx.toast.error(translate("auth.forbidden", self._lang))]
            return [rx.redirect(f"/login?next={path}")]
        self._show(viewer)
        self.forbidden = False
        return viewer

    def _refusal(self, path: str) -> list[rx.event.EventSpec] | None:
        """None for a signed-in admin; otherwise clear the page and return what to do instead."""
        found = self._admin(path)
        return None if isinstance(found, Viewer) else found

    def _open_list(self, path: str, load: Callable[[int, int], None]) -> list[rx.event.EventSpec] | None:
        """A paged admin list's on-load: clear the page, check the viewer, then ``load(viewer
        id, page)`` with ``?page=<n>`` (1 when missing or junk)."""
        self.reset()
        viewer = self._admin(path)
        if isinstance(viewer, list):
            return viewer
        load(viewer.id, positive_int(self.router.url.query_parameters.get("page"), MAX_PAGE) or 1)
        return None

    def _apply(self, path: str, edit: Callable[[Session], object]) -> list[rx.event.EventSpec] | None:
        """Run ``edit`` for an admin in a transaction: None when it is done, else what to show."""
        refused = self._refusal(path)
        if refused is not None:
            return refused
        self.error = ""
        try:
            with transaction() as session:
                edit(session)
        except MihanError as exc:
            self.error = self._message(exc)
            return [rx.toast.error(self.error)]
        return None
