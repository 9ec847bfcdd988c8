"""/admin/invites: make founding sellers' invite codes (how many, valid how long, for whom),
copy the fresh ones, and see every code's state; an unspent code can be withdrawn."""

from __future__ import annotations

import reflex as rx

from pages.catalog import pager
from pages.components.admin import admin_list, admin_page
from pages.components.forms import error_callout, field
from pages.components.i18n import pick, t
from pages.seller import status_badge
from state.invites import PATH, STATE_COLORS, InvitesState as S


def create_form() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(t("invites.new"), size="4", as_="h2"),
                rx.text(t("invites.new_hint"), size="2", color_scheme="gray"),
                rx.flex(
                    field("invites.count", "count", type="number", control_id="invite-count", default_value="5", min=1, max=50, required=True),
                    field("invites.days", "days", type="number", control_id="invite-days", default_value="30", min=1, max=365, required=True),
                    spacing="3",
                    width="100%",
                    direction=rx.breakpoints(initial="column", sm="row"),
                ),
                field("invites.note", "note", control_id="invite-note", max_length=200, placeholder=t("invites.note_placeholder")),
                rx.button(rx.icon("ticket_plus", size=16), t("invites.create"), type="submit", size="3", id="create-invites"),
                spacing="3",
                align="start",
                width="100%",
            ),
            on_submit=S.create,
            reset_on_submit=True,
            width="100%",
        ),
        width="100%",
    )


def fresh_codes() -> rx.Component:
    return rx.cond(
        S.fresh.length() > 0,
        rx.callout(
            rx.vstack(
                rx.text(t("invites.fresh")),
                rx.flex(rx.foreach(S.fresh, lambda code: rx.code(code, size="3", dir="ltr")), wrap="wrap", gap="2"),
                spacing="2",
            ),
            icon="ticket",
            color_scheme="green",
            width="100%",
            id="fresh-codes",
        ),
    )


def code_row(item: rx.Var) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.hstack(
                    rx.code(item["code"], size="3", dir="ltr"),
                    status_badge(item["state"], pick(item["state_ar"], item["state_en"]), STATE_COLORS),
                    spacing="2",
                    align="center",
                    wrap="wrap",
                ),
                rx.cond(item["note"] != "", rx.text(item["note"], size="2", dir="auto")),
                rx.text(t("invites.expires"), " ", pick(item["expires_ar"], item["expires_en"]), size="1", color_scheme="gray"),
                rx.cond(item["seller"] != "", rx.text(t("invites.redeemed_by"), " ", item["seller"], size="2")),
                spacing="1",
                align="start",
            ),
            rx.cond(
                item["can_revoke"] != "",
                rx.form(
                    rx.el.input(type="hidden", name="code", value=item["key"]),
                    rx.button(t("invites.revoke"), type="submit", variant="soft", color_scheme="red", size="2"),
                    on_submit=S.revoke,
                ),
            ),
            justify="between",
            align="start",
            gap="3",
            wrap="wrap",
            width="100%",
        ),
        width="100%",
        class_name="invite-row",
    )


def invites() -> rx.Component:
    return admin_page(
        PATH,
        S,
        "invites.title",
        error_callout(S.error),
        create_form(),
        fresh_codes(),
        admin_list(S.items, code_row, "invites.empty", "invite-list"),
        pager(S),
    )
