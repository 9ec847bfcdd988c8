"""Signed-out pages: sign-up, log-in, password recovery, e-mail verification."""

from __future__ import annotations

import reflex as rx

from pages.components.forms import card, error_callout, field, notice_callout, submit
from pages.components.i18n import t
from pages.components.layout import shell
from state.auth import AuthState


def _switch(question: str, link: str, href: str) -> rx.Component:
    return rx.hstack(rx.text(t(question), size="2"), rx.link(t(link), href=href, size="2"), spacing="2", justify="center")


def sign_up() -> rx.Component:
    return shell(
        card(
            rx.heading(t("auth.sign_up_title"), size="6", as_="h1"),
            error_callout(AuthState.error),
            rx.form(
                rx.vstack(
                    field("auth.name", "name", auto_complete="name", required=True, min_length=2, max_length=80),
                    field("auth.email", "email", type="email", auto_complete="email", required=True, dir="ltr"),
                    field(
                        "auth.password", "password", type="password", auto_complete="new-password",
                        required=True, min_length=8, hint="auth.password_hint",
                    ),
                    submit("auth.sign_up", id="sign-up-submit"),
                    spacing="4",
                    width="100%",
                ),
                on_submit=AuthState.sign_up,
            ),
            _switch("auth.have_account", "auth.log_in", "/login"),
        )
    )


def log_in() -> rx.Component:
    return shell(
        card(
            rx.heading(t("auth.log_in_title"), size="6", as_="h1"),
            error_callout(AuthState.error),
            rx.form(
                rx.vstack(
                    field("auth.email", "email", type="email", auto_complete="email", required=True, dir="ltr"),
                    field("auth.password", "password", type="password", auto_complete="current-password", required=True),
                    submit("auth.log_in", id="log-in-submit"),
                    spacing="4",
                    width="100%",
                ),
                on_submit=AuthState.log_in,
            ),
            rx.link(t("auth.forgot"), href="/forgot-password", size="2"),
            _switch("auth.no_account", "auth.sign_up", "/signup"),
        )
    )


def forgot_password() -> rx.Component:
    return shell(
        card(
            rx.heading(t("auth.forgot_title"), size="6", as_="h1"),
            rx.text(t("auth.forgot_hint"), color_scheme="gray"),
            error_callout(AuthState.error),
            notice_callout(AuthState.notice),
            rx.cond(
                ~AuthState.done,
                rx.form(
                    rx.vstack(
                        field("auth.email", "email", type="email", auto_complete="email", required=True, dir="ltr"),
                        submit("auth.send_link"),
                        spacing="4",
                        width="100%",
                    ),
                    on_submit=AuthState.request_reset,
                ),
            ),
        )
    )


def reset_password() -> rx.Component:
    return shell(
        card(
            rx.heading(t("auth.reset_title"), size="6", as_="h1"),
            error_callout(AuthState.error),
            notice_callout(AuthState.notice),
            rx.cond(
                AuthState.done,
                rx.link(rx.button(t("auth.log_in"), size="3", width="100%"), href="/login"),
                rx.form(
                    rx.vstack(
                        field(
                            "auth.new_password", "password", type="password", auto_complete="new-password",
                            required=True, min_length=8, hint="auth.password_hint",
                        ),
                        submit("auth.save_password"),
                        spacing="4",
                        width="100%",
                    ),
                    on_submit=AuthState.reset_password,
                ),
            ),
        )
    )


def verify_email() -> rx.Component:
    return shell(
        card(
            rx.heading(t("auth.verify_title"), size="6", as_="h1"),
            error_callout(AuthState.error),
            notice_callout(AuthState.notice),
            rx.cond(
                (AuthState.error == "") & ~AuthState.done,
                rx.hstack(rx.spinner(), rx.text(t("auth.verify_pending")), spacing="2"),
            ),
        )
    )
