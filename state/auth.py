"""Sign-up, log-in, e-mail verification and password recovery.

Handlers take the raw form dict, validate it with the service's pydantic input, call one
service inside one transaction, and show a single translated sentence on failure.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from app import accounts
from app.accounts import EmailInput, LogInInput, ResetInput, SignUpInput, parse
from app.core.db import transaction
from app.core.errors import MihanError
from app.core.i18n import translate
from app.core.security import is_same_site_path
from state.session import SessionState


def _safe_next(target: object) -> str:
    """Only same-site paths may follow a log-in (no open redirect)."""
    return target if is_same_site_path(target) else "/"


class AuthState(SessionState):
    """Forms of the signed-out pages."""

    error: str = ""
    notice: str = ""
    done: bool = False
    _link_token: str = ""

    def _reset_messages(self) -> None:
        self.error = ""
        self.notice = ""
        self.done = False

    def _sign_in(self, sign_in: accounts.SignIn) -> None:
        self.auth_token = sign_in.token
        self._show(sign_in.viewer)

    @rx.event
    def open_form(self):  # type: ignore[no-untyped-def]
        """On load of a form page: clear old messages; signed-in people skip sign-up/log-in."""
        self._reset_messages()
        if self.router.url.path in ("/login", "/signup") and self._viewer() is not None:
            return rx.redirect("/")

    @rx.event
    def sign_up(self, form_data: Any):  # type: ignore[no-untyped-def]
        self._reset_messages()
        try:
            data = parse(SignUpInput, form_data)
            with transaction() as session:
                user = accounts.sign_up(session, data, lang=self._lang)
                sign_in = accounts.start_session(session, user=user, ip=self._client_ip(), user_agent=self._user_agent())
        except MihanError as exc:
            self.error = self._message(exc)
            return
        self._sign_in(sign_in)
        return [rx.redirect("/"), rx.toast.success(translate("auth.welcome", self._lang, name=user.name))]

    @rx.event
    def log_in(self, form_data: Any):  # type: ignore[no-untyped-def]
        self._reset_messages()
        try:
            data = parse(LogInInput, form_data)
            with transaction() as session:
                sign_in = accounts.log_in(session, data, ip=self._client_ip(), user_agent=self._user_agent())
        except MihanError as exc:
            self.error = self._message(exc)
            return
        if sign_in is None:
            self.error = translate("auth.bad_credentials", self._lang)
            return
        self._sign_in(sign_in)
        target = _safe_next(self.router.url.query_parameters.get("next"))
        return [rx.redirect(target), rx.toast.success(translate("auth.welcome_back", self._lang, name=sign_in.viewer.name))]

    @rx.event
    def request_reset(self, form_data: Any):  # type: ignore[no-untyped-def]
        self._reset_messages()
        try:
            data = parse(EmailInput, form_data)
            with transaction() as session:
                accounts.request_reset(session, data, lang=self._lang)
        except MihanError as exc:
            self.error = self._message(exc)
            return
        self.notice = translate("auth.reset_sent", self._lang)
        self.done = True

    def _capture_link_token(self) -> None:
        """Keep the mailed link's token server-side, out of public state."""
        self._reset_messages()
        token = self.router.url.query_parameters.get("token", "")
        self._link_token = token if isinstance(token, str) else ""

    @rx.event
    def open_link(self):  # type: ignore[no-untyped-def]
        """On load of /reset-password."""
        self._capture_link_token()

    @rx.event
    def reset_password(self, form_data: Any):  # type: ignore[no-untyped-def]
        self._reset_messages()
        try:
            payload = dict(form_data) if isinstance(form_data, dict) else {}
            data = parse(ResetInput, {"token": self._link_token, "password": payload.get("password")})
            with transaction() as session:
                accounts.reset_password(session, data)
        except MihanError as exc:
            self.error = self._message(exc)
            return
        self._link_token = ""
        self.notice = translate("auth.reset_done", self._lang)
        self.done = True

    @rx.event
    def verify_email(self):  # type: ignore[no-untyped-def]
        """On load of /verify-email: redeem the token from the link."""
        self._capture_link_token()
        try:
            with transaction() as session:
                accounts.verify_email(session, token=self._link_token)
        except MihanError as exc:
            self.error = self._message(exc)
            return
        self._link_token = ""
        self.notice = translate("auth.verify_done", self._lang)
        self.done = True
        self._show(self._viewer())

    @rx.event
    def resend_verification(self):  # type: ignore[no-untyped-def]
        try:
            viewer = self._require()
            if viewer.email_verified:
                return
            with transaction() as session:
                accounts.send_verification(session, user_id=viewer.id, lang=self._lang)
        except MihanError as exc:
            return rx.toast.error(self._message(exc))
        return rx.toast.success(translate("auth.verification_sent", self._lang))
