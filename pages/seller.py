"""/seller/gigs: the seller's services with their status and the moves each status allows."""

from __future__ import annotations

import reflex as rx

from pages.catalog import level_badge, localized, trust_badges
from pages.components.forms import error_callout
from pages.components.i18n import pick, t
from pages.components.layout import shell
from pages.identity import identity_card
from state.identity import IdentityState
from state.seller import STATUS_COLORS, SellerGigsState


def needs_seller_notice(message_key: str = "seller.needs_seller") -> rx.Component:
    return rx.callout(
        rx.vstack(
            rx.text(t(message_key)),
            rx.link(t("seller.switch"), href="/account#seller", id="switch-to-seller"),
            spacing="2",
            align="start",
        ),
        icon="store",
        color_scheme="amber",
        width="100%",
        id="needs-seller",
    )


def status_badge(status: rx.Var, label: rx.Var, colors: dict[str, str] = STATUS_COLORS) -> rx.Component:
    """``label`` on the colour of ``status`` (a gig's by default, or another table of colours)."""
    return rx.match(
        status,
        *[(value, rx.badge(label, color_scheme=color, variant="soft", radius="full", size="2")) for value, color in colors.items()],
        rx.badge(label, color_scheme="gray", variant="soft", radius="full", size="2"),
    )


def action_button(row: rx.Var, action: str, key: str, **props) -> rx.Component:
    """A one-button form: the gig and the move go back as form fields the state checks."""
    return rx.form(
        rx.el.input(type="hidden", name="gig", value=row["id"]),
        rx.el.input(type="hidden", name="action", value=action),
        rx.button(t(key), type="submit", size="2", **props),
        on_submit=SellerGigsState.act,
    )


def gig_row(row: rx.Var) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.hstack(
                    status_badge(row["status"], localized(row, "status")),
                    rx.text(t("seller.updated"), " ", localized(row, "updated"), size="1", color_scheme="gray"),
                    spacing="2",
                    align="center",
                    wrap="wrap",
                ),
                rx.link(rx.text(row["title"], weight="bold", size="3", dir="auto"), href=row["href"], underline="hover"),
                rx.text(t("seller.from"), " ", localized(row, "price"), size="2", color_scheme="gray"),
                rx.cond(
                    row["note"] != "",
                    rx.callout(
                        rx.text(rx.text.strong(t("seller.reason")), " ", row["note"], dir="auto"),
                        icon="info",
                        color_scheme="red",
                        size="1",
                        width="100%",
                    ),
                ),
                spacing="2",
                align="start",
                flex="1 1 18rem",
                min_width="0",
            ),
            rx.flex(
                rx.cond(row["can_submit"] != "", action_button(row, "submit", "seller.submit")),
                rx.cond(row["can_pause"] != "", action_button(row, "pause", "seller.pause", variant="soft", color_scheme="gray")),
                rx.cond(row["can_resume"] != "", action_button(row, "resume", "seller.resume", variant="soft")),
                rx.cond(
                    row["can_edit"] != "",
                    rx.link(rx.button(rx.icon("pencil", size=14), t("seller.edit"), variant="outline", size="2"), href=row["edit_href"]),
                ),
                spacing="2",
                wrap="wrap",
                align="center",
            ),
            spacing="3",
            wrap="wrap",
            justify="between",
            align="center",
        ),
        width="100%",
        class_name="seller-gig",
    )


def _criterion(row: rx.Var) -> rx.Component:
    met = row["met"] != ""
    return rx.hstack(
        rx.cond(
            met,
            rx.icon("circle_check", size=16, color=rx.color("green", 10), aria_label=t("trust.met")),
            rx.icon("circle_dashed", size=16, color=rx.color("gray", 9), aria_label=t("trust.not_met")),
        ),
        rx.text(pick(row["label_ar"], row["label_en"]), size="2", flex="1"),
        rx.text(pick(row["have_ar"], row["have_en"]), " / ", pick(row["need_ar"], row["need_en"]), size="2", weight="medium", dir="ltr"),
        spacing="2",
        align="center",
        width="100%",
        class_name="level-criterion",
    )


def level_card() -> rx.Component:
    """The seller's level and, criterion by criterion, what the next level still needs."""
    S = SellerGigsState
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(t("trust.your_level"), size="4", as_="h2"),
                level_badge(S.level, pick(S.level_ar, S.level_en)),
                trust_badges(S.founding, IdentityState.verified),
                spacing="3",
                align="center",
                wrap="wrap",
            ),
            rx.cond(
                S.next_level_ar != "",
                rx.vstack(
                    rx.text(t("trust.next_level"), " ", rx.text.strong(pick(S.next_level_ar, S.next_level_en)), size="2", color_scheme="gray"),
                    rx.foreach(S.progress, _criterion),
                    rx.text(t("trust.nightly"), size="1", color_scheme="gray"),
                    spacing="2",
                    width="100%",
                ),
                rx.text(t("trust.at_top"), size="2", color_scheme="gray"),
            ),
            rx.cond(~S.founding, invite_form()),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id="level-card",
    )


def invite_form() -> rx.Component:
    """A founding seller's invite code, typed as the admin gave it (spaces and dashes are fine)."""
    return rx.form(
        rx.flex(
            rx.el.label(t("trust.invite_label"), html_for="invite-code", style={"font_size": "0.9rem"}),
            rx.input(name="code", id="invite-code", max_length=32, dir="ltr", size="2", flex="1 1 10rem", auto_complete="off"),
            rx.button(t("trust.invite_redeem"), type="submit", variant="soft", size="2", id="redeem-invite"),
            spacing="2",
            align="center",
            wrap="wrap",
            width="100%",
        ),
        on_submit=SellerGigsState.redeem_invite,
        reset_on_submit=True,
        width="100%",
    )


def seller_gigs() -> rx.Component:
    return shell(
        rx.cond(
            SellerGigsState.loaded,
            rx.vstack(
                rx.flex(
                    rx.heading(t("seller.title"), size="6", as_="h1"),
                    rx.cond(
                        ~SellerGigsState.needs_seller,
                        rx.link(rx.button(rx.icon("plus", size=16), t("seller.new_gig"), size="3"), href="/seller/gigs/new", id="new-gig"),
                    ),
                    justify="between",
                    align="center",
                    wrap="wrap",
                    spacing="3",
                    width="100%",
                ),
                error_callout(SellerGigsState.error),
                rx.cond(~SellerGigsState.needs_seller, level_card()),
                rx.cond(~SellerGigsState.needs_seller, identity_card()),
                rx.cond(
                    SellerGigsState.needs_seller,
                    needs_seller_notice(),
                    rx.cond(
                        SellerGigsState.gigs.length() > 0,
                        rx.vstack(rx.foreach(SellerGigsState.gigs, gig_row), spacing="3", width="100%"),
                        rx.card(rx.text(t("seller.empty"), color_scheme="gray"), width="100%", id="no-gigs"),
                    ),
                ),
                spacing="4",
                width="100%",
                max_width="56rem",
                margin_inline="auto",
            ),
            rx.center(rx.spinner(size="3"), padding="3rem"),
        )
    )
