"""The signed-in user's account: profile, photo, password, seller mode and e-mail notifications."""

from __future__ import annotations

import reflex as rx

from app.accounts.avatars import MAX_BYTES
from pages.components.forms import card, error_callout, field, submit, text_area
from pages.components.i18n import t
from pages.components.layout import shell
from state.notifications import NotificationPrefsState as P
from state.profile import ProfileState
from state.session import SessionState

AVATAR_UPLOAD = "avatar-upload"


def profile_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            field("auth.name", "name", default_value=ProfileState.name, required=True, max_length=80),
            text_area("profile.bio", "bio", default_value=ProfileState.bio, max_length=1000, rows="4"),
            field("profile.city", "city", default_value=ProfileState.city, max_length=80),
            field("profile.languages", "languages", default_value=ProfileState.languages, hint="profile.languages_hint"),
            submit("profile.save", id="profile-save"),
            spacing="4",
            width="100%",
        ),
        on_submit=ProfileState.save_profile,
    )


def avatar_section() -> rx.Component:
    return rx.vstack(
        rx.heading(t("profile.avatar"), size="4", as_="h2"),
        rx.hstack(
            rx.avatar(src=ProfileState.avatar, fallback=ProfileState.name[:1], size="6", radius="full"),
            rx.vstack(
                rx.upload.root(
                    rx.button(t("profile.avatar_pick"), variant="outline", type="button", size="2"),
                    id=AVATAR_UPLOAD,
                    accept={"image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"], "image/webp": [".webp"]},
                    max_files=1,
                    max_size=MAX_BYTES,
                    multiple=False,
                ),
                rx.text(rx.selected_files(AVATAR_UPLOAD).join(", "), size="1", color_scheme="gray"),
                rx.button(
                    t("profile.avatar_upload"),
                    type="button",
                    size="2",
                    on_click=ProfileState.upload_avatar(rx.upload_files(upload_id=AVATAR_UPLOAD)),
                ),
                spacing="2",
                align="start",
            ),
            spacing="4",
            align="center",
            wrap="wrap",
        ),
        error_callout(ProfileState.avatar_error),
        spacing="3",
        width="100%",
    )


def password_section() -> rx.Component:
    return rx.vstack(
        rx.heading(t("profile.security"), size="4", as_="h2"),
        error_callout(ProfileState.password_error),
        rx.form(
            rx.vstack(
                field("auth.current_password", "current_password", type="password", auto_complete="current-password", required=True),
                field(
                    "auth.new_password", "new_password", type="password", auto_complete="new-password",
                    required=True, min_length=8, hint="auth.password_hint",
                ),
                submit("auth.save_password", variant="outline"),
                spacing="4",
                width="100%",
            ),
            on_submit=ProfileState.change_password,
            reset_on_submit=True,
        ),
        spacing="3",
        width="100%",
    )


def vat_form() -> rx.Component:
    """The seller's VAT status and what it means for how their orders are invoiced."""
    return rx.vstack(
        rx.heading(t("profile.vat_title"), size="3", as_="h3", id="vat"),
        rx.callout(
            rx.cond(ProfileState.vat_deemed, t("profile.vat_mode_deemed"), t("profile.vat_mode_agent")),
            icon="receipt",
            color_scheme=rx.cond(ProfileState.vat_deemed, "amber", "gray"),
            id="vat-mode",
        ),
        error_callout(ProfileState.vat_error),
        rx.form(
            rx.vstack(
                rx.el.label(
                    rx.el.input(
                        type="checkbox",
                        name="vat_registered",
                        id="vat_registered",
                        default_checked=ProfileState.vat_registered,
                        key=ProfileState.vat_registered.to_string(),
                        style={"margin_inline_end": "0.5rem", "inline_size": "1.1rem", "block_size": "1.1rem"},
                    ),
                    t("profile.vat_registered"),
                    html_for="vat_registered",
                    style={"display": "flex", "align_items": "center", "font_weight": "500"},
                ),
                field("profile.vat_number", "vat_number", default_value=ProfileState.vat_number, hint="profile.vat_number_hint", dir="ltr", input_mode="numeric", max_length=40),
                rx.text(t("profile.vat_applies"), size="1", color_scheme="gray"),
                submit("profile.vat_save", id="save-vat"),
                spacing="3",
                width="100%",
            ),
            on_submit=ProfileState.save_vat,
            id="vat-form",
        ),
        spacing="3",
        width="100%",
    )


def seller_section() -> rx.Component:
    return rx.vstack(
        rx.heading(t("profile.seller_title"), size="4", as_="h2", id="seller"),
        rx.cond(
            ProfileState.is_seller,
            rx.vstack(rx.callout(t("profile.seller_on"), icon="store", color_scheme="teal"), rx.separator(size="4"), vat_form(), spacing="4", width="100%"),
            rx.vstack(
                rx.text(t("profile.seller_hint"), color_scheme="gray"),
                rx.button(t("profile.become_seller"), on_click=ProfileState.become_seller, size="3", id="become-seller"),
                spacing="3",
                align="start",
            ),
        ),
        spacing="3",
        width="100%",
    )


def _group_switch(group: rx.Var) -> rx.Component:
    control = "mail-" + group["name"].to(str)
    return rx.el.label(
        rx.flex(
            rx.text(rx.cond(SessionState.is_en, group["label_en"], group["label_ar"]), size="2"),
            rx.switch(name=group["name"], id=control, default_checked=group["on"] == "1"),
            justify="between",
            align="center",
            gap="0.75rem",
            width="100%",
        ),
        html_for=control,
        width="100%",
    )


def notifications_section() -> rx.Component:
    """E-mail per group and the mail language; the bell always shows everything."""
    return rx.vstack(
        rx.heading(t("notifications.prefs_title"), size="4", as_="h2", id="notifications"),
        rx.text(t("notifications.prefs_intro"), size="2", color_scheme="gray"),
        error_callout(P.prefs_error),
        rx.cond(
            P.prefs_loaded,
            rx.form(
                rx.vstack(
                    rx.foreach(P.groups, _group_switch),
                    rx.el.label(t("notifications.prefs_lang"), html_for="mail-lang", style={"font_weight": "500"}),
                    rx.select.root(
                        rx.select.trigger(id="mail-lang", width="100%"),
                        rx.select.content(
                            rx.select.item(t("notifications.lang_ar"), value="ar"),
                            rx.select.item(t("notifications.lang_en"), value="en"),
                        ),
                        name="mail_lang",
                        default_value=P.mail_lang,
                        size="3",
                    ),
                    submit("notifications.prefs_save", variant="outline", id="save-notification-prefs"),
                    spacing="3",
                    width="100%",
                ),
                on_submit=P.save_prefs,
                id="notification-prefs",
            ),
        ),
        spacing="3",
        width="100%",
    )


def account() -> rx.Component:
    return shell(
        rx.cond(
            ProfileState.loaded,
            rx.vstack(
                card(
                    rx.hstack(
                        rx.heading(t("profile.title"), size="6", as_="h1"),
                        rx.cond(
                            ProfileState.email_verified,
                            rx.badge(t("profile.email_verified"), color_scheme="green"),
                            rx.badge(t("profile.email_unverified"), color_scheme="amber"),
                        ),
                        justify="between",
                        align="center",
                        wrap="wrap",
                    ),
                    rx.text(ProfileState.email, color_scheme="gray", style={"unicode_bidi": "isolate"}),
                    error_callout(ProfileState.error),
                    profile_form(),
                    max_width="40rem",
                ),
                card(avatar_section(), max_width="40rem"),
                card(seller_section(), max_width="40rem"),
                card(notifications_section(), max_width="40rem"),
                card(password_section(), max_width="40rem"),
                spacing="5",
                width="100%",
            ),
            rx.center(rx.spinner(size="3"), padding="3rem"),
        )
    )
