"""The page shell: header (logo, search, messages, the notifications bell, account menu,
language), verification banner, footer.

Layout uses logical properties only (``margin_inline_*``, ``padding_inline``), so flipping
``dir`` mirrors everything.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from pages.components.i18n import t
from pages.components.notifications import bell
from state.auth import AuthState
from state.catalog import CatalogState
from state.session import SessionState

CONTENT_WIDTH = "72rem"
# The admin console's sections (path, catalogue key, icon, admins only): moderators see the
# review queue only; the account menu opens the queue under «لوحة الإدارة».
ADMIN_SECTIONS = (
    ("/admin/moderation", "admin.nav_moderation", "shield_check", False),
    ("/admin/reports", "admin.nav_reports", "flag", False),
    ("/admin/taxonomy", "admin.nav_taxonomy", "folder_tree", True),
    ("/admin/lexicon", "admin.nav_lexicon", "book_a", True),
    ("/admin/payments", "admin.nav_payments", "credit_card", True),
    ("/admin/payouts", "admin.nav_payouts", "banknote", True),
    ("/admin/transfers", "admin.nav_transfers", "landmark", True),
    ("/admin/disputes", "admin.nav_disputes", "scale", True),
    ("/admin/invites", "admin.nav_invites", "ticket", True),
    ("/admin/verifications", "admin.nav_verifications", "badge_check", True),
    ("/admin/invoices", "admin.nav_invoices", "receipt_text", True),
    ("/admin/vat", "admin.nav_vat", "calculator", True),
)
# What waits in a section, shown beside its link (admins only; SessionState counts on load).
ADMIN_COUNTS = {
    "/admin/payouts": SessionState.pending_payouts,
    "/admin/disputes": SessionState.open_disputes,
    "/admin/verifications": SessionState.pending_verifications,
    "/admin/transfers": SessionState.pending_transfers,
}


def logo() -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.image(src="/logo.svg", alt="", width="2rem", height="2rem"),
            rx.text(t("brand.name"), size="6", weight="bold", color=rx.color("teal", 11)),
            spacing="2",
            align="center",
        ),
        href="/",
        underline="none",
        aria_label="Mihan",
    )


def search_form(on_submit: Any, *extra: rx.Component, label_key: str, placeholder_key: str, size: str = "2", **input_props: Any) -> rx.Component:
    """A ``role=search`` form: a box named ``q`` with the search icon, then a submit button."""
    return rx.form(
        rx.hstack(
            rx.input(
                rx.input.slot(rx.icon("search", size=16)),
                name="q",
                type="search",
                placeholder=t(placeholder_key),
                aria_label=t(label_key),
                size=size,
                width="100%",
                max_length=100,
                **input_props,
            ),
            *extra,
            rx.button(t(label_key), type="submit", size=size, variant="soft"),
            spacing="2",
            width="100%",
        ),
        on_submit=on_submit,
        width="100%",
        role="search",
    )


def search_box() -> rx.Component:
    """The header search: type-ahead titles come from a native datalist the state fills."""
    return search_form(
        CatalogState.submit,
        rx.el.datalist(
            rx.foreach(CatalogState.suggestions, lambda title: rx.el.option(value=title)),
            id="search-suggestions",
        ),
        label_key="nav.search",
        placeholder_key="nav.search_placeholder",
        auto_complete="off",
        custom_attrs={"list": "search-suggestions"},
        on_change=CatalogState.suggest.debounce(250),
    )


def language_switch() -> rx.Component:
    return rx.button(
        rx.icon("languages", size=16),
        t("nav.language"),
        on_click=SessionState.toggle_language,
        variant="ghost",
        size="2",
        id="language-switch",
        lang=rx.cond(SessionState.is_en, "ar", "en"),
    )


def count_badge(count: rx.Var | None) -> rx.Component:
    """How many things wait (nothing when none do)."""
    if count is None:
        return rx.fragment()
    return rx.cond(count > 0, rx.badge(count, color_scheme="amber", variant="solid", radius="full", size="1"))


def _menu_link(icon: str, key: str, href: str, element_id: str, count: rx.Var | None = None) -> rx.Component:
    return rx.menu.item(
        rx.link(rx.hstack(rx.icon(icon, size=14), t(key), count_badge(count), spacing="2", align="center"), href=href, underline="none"),
        id=element_id,
    )


def messages_link() -> rx.Component:
    """The header's «الرسائل», with how many conversations wait to be read."""
    return rx.link(
        rx.hstack(
            rx.icon("message_circle", size=18, aria_hidden="true"),
            rx.text(t("nav.messages"), display=["none", "none", "inline"]),
            count_badge(SessionState.unread_messages),
            spacing="1",
            align="center",
        ),
        href="/messages",
        underline="none",
        id="header-messages",
        aria_label=t("nav.messages"),
    )


def account_menu() -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(
                rx.avatar(src=SessionState.avatar, fallback=SessionState.viewer_name[:1], size="1", radius="full"),
                rx.text(SessionState.viewer_name, max_width="9rem", truncate=True),
                rx.icon("chevron_down", size=14),
                variant="soft",
                size="2",
                id="account-menu",
            )
        ),
        rx.menu.content(
            rx.menu.item(rx.link(t("nav.profile"), href="/account", underline="none")),
            _menu_link("heart", "nav.favourites", "/favourites", "menu-favourites"),
            _menu_link("wallet", "nav.wallet", "/wallet", "menu-wallet"),
            _menu_link("receipt_text", "nav.invoices", "/invoices", "menu-invoices"),
            _menu_link("megaphone", "nav.requests", "/requests", "menu-requests"),
            rx.cond(
                SessionState.is_seller,
                _menu_link("store", "nav.my_gigs", "/seller/gigs", "menu-my-gigs"),
                rx.menu.item(rx.link(t("nav.become_seller"), href="/account#seller", underline="none")),
            ),
            rx.cond(SessionState.is_moderator, _menu_link("shield_check", "nav.admin", "/admin/moderation", "menu-admin")),
            *[
                rx.cond(SessionState.is_admin, _menu_link(icon, key, path, f"menu{path.replace('/', '-')}", ADMIN_COUNTS.get(path)))
                for path, key, icon, admin_only in ADMIN_SECTIONS
                if admin_only
            ],
            rx.menu.separator(),
            rx.menu.item(t("nav.log_out"), on_click=SessionState.log_out, color_scheme="red", id="log-out"),
        ),
        dir=SessionState.text_dir,
    )


def header() -> rx.Component:
    return rx.el.header(
        rx.flex(
            logo(),
            rx.box(search_box(), flex_grow="1", min_width="14rem", order=["3", "3", "0"], width=["100%", "100%", "auto"]),
            rx.hstack(
                language_switch(),
                rx.cond(SessionState.signed_in, messages_link()),
                rx.cond(SessionState.signed_in, bell()),
                rx.cond(
                    SessionState.signed_in,
                    account_menu(),
                    rx.hstack(
                        rx.link(rx.button(t("nav.sign_in"), variant="soft", size="2"), href="/login"),
                        rx.link(rx.button(t("nav.sign_up"), size="2"), href="/signup"),
                        spacing="2",
                    ),
                ),
                spacing="3",
                align="center",
                margin_inline_start="auto",
            ),
            wrap="wrap",
            align="center",
            spacing="3",
            max_width=CONTENT_WIDTH,
            margin_inline="auto",
            padding_inline="1rem",
            padding_block="0.75rem",
        ),
        border_block_end=f"1px solid {rx.color('gray', 5)}",
        background_color=rx.color("gray", 1),
        position="sticky",
        top="0",
        z_index="10",
    )


def verification_banner() -> rx.Component:
    return rx.cond(
        SessionState.signed_in & ~SessionState.email_verified,
        rx.box(
            rx.hstack(
                rx.icon("mail", size=16),
                rx.text(t("auth.verify_banner"), size="2"),
                rx.button(t("auth.resend"), on_click=AuthState.resend_verification, size="1", variant="outline"),
                spacing="2",
                align="center",
                wrap="wrap",
                max_width=CONTENT_WIDTH,
                margin_inline="auto",
                padding_inline="1rem",
                padding_block="0.5rem",
            ),
            background_color=rx.color("amber", 3),
        ),
    )


def footer() -> rx.Component:
    return rx.el.footer(
        rx.flex(
            rx.text(t("footer.rights"), size="2", color_scheme="gray"),
            rx.hstack(
                rx.link(t("footer.terms"), href="/terms", size="2"),
                rx.link(t("footer.privacy"), href="/privacy", size="2"),
                rx.link(t("footer.refund"), href="/refund-policy", size="2"),
                spacing="4",
                wrap="wrap",
            ),
            justify="between",
            wrap="wrap",
            spacing="3",
            max_width=CONTENT_WIDTH,
            margin_inline="auto",
            padding_inline="1rem",
            padding_block="1.5rem",
        ),
        border_block_start=f"1px solid {rx.color('gray', 5)}",
        margin_block_start="3rem",
    )


def shell(*content: rx.Component) -> rx.Component:
    """Wrap a page's content in the header and footer."""
    return rx.box(
        header(),
        verification_banner(),
        rx.el.main(
            *content,
            max_width=CONTENT_WIDTH,
            margin_inline="auto",
            padding_inline="1rem",
            padding_block="1.5rem",
            width="100%",
            flex_grow="1",
        ),
        footer(),
        min_height="100vh",
        display="flex",
        flex_direction="column",
    )


def message_panel(title_key: str, message_key: str | rx.Var, action: rx.Component, element_id: str, *extra: rx.Component) -> rx.Component:
    """A block in place of a page's content: a heading, the reason (a catalogue key, or a Var
    already in words) and a way on."""
    return rx.center(
        rx.vstack(
            *extra,
            rx.heading(t(title_key), size="6", as_="h1"),
            rx.text(t(message_key) if isinstance(message_key, str) else message_key, color_scheme="gray", text_align="center"),
            action,
            spacing="3",
            align="center",
            max_width="30rem",
        ),
        padding_block="3rem",
        id=element_id,
    )


def not_found_panel(message_key: str, element_id: str) -> rx.Component:
    """The "page not found" block of a dynamic page, with a way back to browsing."""
    return message_panel("page.not_found", message_key, rx.link(rx.button(t("catalog.browse_all")), href="/search"), element_id)
