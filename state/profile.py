"""The account page: profile fields, avatar, password, seller mode and the seller's VAT status."""

from __future__ import annotations

from typing import Any

import reflex as rx

from app import accounts
from app.accounts import PasswordChangeInput, ProfileInput, parse
from app.accounts.avatars import MAX_BYTES
from app.core.db import reading, transaction
from app.core.errors import MihanError
from app.core.i18n import translate
from state.session import SessionState


def _languages(text: object) -> list[str]:
    if not isinstance(text, str):
        return []
    parts = text.replace("،", ",").split(",")
    return [part.strip() for part in parts if part.strip()]


class ProfileState(SessionState):
    """Form values of the signed-in user's own profile (their own data only)."""

    name: str = ""
    email: str = ""
    bio: str = ""
    city: str = ""
    languages: str = ""
    error: str = ""
    password_error: str = ""
    avatar_error: str = ""
    loaded: bool = False
    # the seller's VAT registration, and whether new orders make the platform the deemed supplier
    vat_registered: bool = False
    vat_number: str = ""
    vat_deemed: bool = False
    vat_error: str = ""

    def _load(self, user_id: int) -> None:
        with reading() as session:
            view = accounts.get_profile(session, user_id=user_id)
        self.name = view.name
        self.email = view.email
        self.bio = view.bio
        self.city = view.city
        self.languages = "، ".join(view.languages) if self._lang == "ar" else ", ".join(view.languages)
        self.avatar = view.avatar_url
        self.is_seller = view.is_seller
        self.email_verified = view.email_verified
        if view.is_seller:
            with reading() as session:
                self._show_vat(accounts.get_vat_status(session, user_id=user_id))
        self.loaded = True

    def _show_vat(self, status: accounts.VatStatus) -> None:
        self.vat_registered = status.registered
        self.vat_number = status.vat_number
        self.vat_deemed = status.deemed_supplier

    @rx.event
    def open_page(self):  # type: ignore[no-untyped-def]
        """On load of /account: signed-out visitors go to log-in and come back after."""
        self.error = self.password_error = self.avatar_error = self.vat_error = ""
        try:
            viewer = self._require()
        except MihanError:
            return rx.redirect("/login?next=/account")
        self._load(viewer.id)

    @rx.event
    def save_profile(self, form_data: Any):  # type: ignore[no-untyped-def]
        self.error = ""
        try:
            viewer = self._require()
            payload = form_data if isinstance(form_data, dict) else {}
            data = parse(
                ProfileInput,
                {
                    "name": payload.get("name"),
                    "bio": payload.get("bio", ""),
                    "city": payload.get("city", ""),
                    "languages": _languages(payload.get("languages", "")),
                },
            )
            with transaction() as session:
                accounts.update_profile(session, user_id=viewer.id, data=data)
        except MihanError as exc:
            self.error = self._message(exc)
            return
        self._load(viewer.id)
        self.viewer_name = self.name
        return rx.toast.success(translate("profile.saved", self._lang))

    @rx.event
    async def upload_avatar(self, files: list[rx.UploadFile]):  # type: ignore[no-untyped-def]
        self.avatar_error = ""
        try:
            viewer = self._require()
            if not isinstance(files, list) or not files or not hasattr(files[0], "file"):
                raise accounts.AccountError("profile.avatar_missing")
            data = files[0].file.read(MAX_BYTES + 1)
            with transaction() as session:
                url = accounts.set_avatar(session, user_id=viewer.id, data=data)
        except MihanError as exc:
            self.avatar_error = self._message(exc)
            return
        self.avatar = url
        return rx.toast.success(translate("profile.avatar_saved", self._lang))

    @rx.event
    def change_password(self, form_data: Any):  # type: ignore[no-untyped-def]
        self.password_error = ""
        try:
            viewer = self._require()
            data = parse(PasswordChangeInput, form_data)
            with transaction() as session:
                accounts.change_password(session, user_id=viewer.id, data=data, current_token=self.auth_token)
        except MihanError as exc:
            self.password_error = self._message(exc)
            return
        return rx.toast.success(translate("auth.password_changed", self._lang))

    @rx.event
    def become_seller(self):  # type: ignore[no-untyped-def]
        try:
            viewer = self._require()
            with transaction() as session:
                accounts.become_seller(session, user_id=viewer.id)
        except MihanError as exc:
            return rx.toast.error(self._message(exc))
        self.is_seller = True
        return rx.toast.success(translate("profile.seller_created", self._lang))

    @rx.event
    def save_vat(self, form_data: Any):  # type: ignore[no-untyped-def]
        """The seller's VAT status: registered with a valid VAT number, or not registered."""
        self.vat_error = ""
        try:
            viewer = self._require()
            payload = form_data if isinstance(form_data, dict) else {}
            registered = payload.get("vat_registered") in ("on", True)
            with transaction() as session:
                status = accounts.set_vat_registration(session, user_id=viewer.id, registered=registered, vat_number=payload.get("vat_number"))
        except MihanError as exc:
            self.vat_error = self._message(exc)
            return
        self._show_vat(status)
        return rx.toast.success(translate("profile.vat_saved", self._lang))
