"""The public seller page /sellers/<n>: avatar, level, city, languages, dialects, bio, active gigs
and buyers' reviews."""

from __future__ import annotations

import reflex as rx

from pages.catalog import card_grid, level_badge, pager, trust_badges
from pages.components.i18n import pick, t
from pages.components.layout import not_found_panel, shell
from pages.components.report import report_button
from pages.messages import contact_seller_button
from pages.reviews import review_list
from state.seller_profile import SellerProfileState as S


def _fact(icon: str, label_key: str, value: rx.Var | rx.Component, shown: rx.Var) -> rx.Component:
    return rx.cond(
        shown,
        rx.hstack(
            rx.icon(icon, size=15, color=rx.color("gray", 10), aria_hidden="true"),
            rx.text(t(label_key), size="2", color_scheme="gray"),
            rx.text(value, size="2", weight="medium"),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
    )


def person_card(state: type, heading_id: str, *details: rx.Component) -> rx.Component:
    """A public person's card (``state.seller_profile.PublicPerson``): the photo beside the name
    and ``details``, stacked on phones."""
    return rx.card(
        rx.flex(
            rx.avatar(src=state.photo, fallback=state.name[:1], size="7", radius="full", color_scheme="teal"),
            rx.vstack(
                rx.heading(state.name, size="7", as_="h1", dir="auto", id=heading_id),
                *details,
                report_button("user", state.person_key),
                spacing="2",
                align="start",
                min_width="0",
            ),
            spacing="5",
            align="start",
            direction=rx.breakpoints(initial="column", sm="row"),
        ),
        size="3",
        width="100%",
    )


def member_since(state: type) -> rx.Component:
    return _fact("calendar", "seller_page.member_since", pick(state.since_ar, state.since_en), state.since_ar != "")


def person_page(state: type, body: rx.Component, not_found_key: str, not_found_id: str) -> rx.Component:
    """The page shell of a public person: a spinner until loaded, then the body or "not found"."""
    return shell(
        rx.cond(
            state.loaded,
            rx.cond(state.not_found, not_found_panel(not_found_key, not_found_id), body),
            rx.center(rx.spinner(size="3"), padding="3rem"),
        )
    )


def _signal(row: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.text(pick(row["value_ar"], row["value_en"]), size="4", weight="bold"),
        rx.text(pick(row["label_ar"], row["label_en"]), size="1", color_scheme="gray"),
        spacing="0",
        align="center",
        padding_inline="0.75rem",
        padding_block="0.5rem",
        border_radius="var(--radius-3)",
        background=rx.color("gray", 3),
        class_name="trust-signal",
    )


def trust_signals(state: type) -> rx.Component:
    """The seller's measured record: on-time, completion and response rates, orders in queue."""
    return rx.cond(
        state.signals.length() > 0,
        rx.flex(rx.foreach(state.signals, _signal), wrap="wrap", gap="2", id="trust-signals", aria_label=t("trust.signals")),
    )


def about() -> rx.Component:
    return person_card(
        S,
        "seller-name",
        rx.hstack(level_badge(S.level, pick(S.level_ar, S.level_en)), trust_badges(S.founding, S.verified), spacing="2", wrap="wrap"),
        _fact("map_pin", "seller_page.city", pick(S.city_ar, S.city_en), S.city_ar != ""),
        _fact("languages", "seller_page.languages", S.languages.join("، "), S.languages.length() > 0),
        _fact("mic", "seller_page.dialects", pick(S.dialects_ar, S.dialects_en), S.dialects_ar != ""),
        member_since(S),
        trust_signals(S),
        contact_seller_button(),
        rx.cond(
            S.bio != "",
            rx.vstack(
                rx.heading(t("seller_page.about"), size="3", as_="h2"),
                rx.text(S.bio, size="2", style={"white_space": "pre-line", "line_height": "1.8"}, dir="auto"),
                spacing="1",
                align="start",
            ),
        ),
    )


def seller_profile() -> rx.Component:
    body = rx.vstack(
        about(),
        rx.hstack(
            rx.heading(t("seller_page.gigs"), size="5", as_="h2"),
            rx.badge(S.total, size="2", radius="full"),
            spacing="3",
            align="center",
        ),
        rx.cond(
            S.results.length() > 0,
            card_grid(S.results),
            rx.text(t("seller_page.no_gigs"), color_scheme="gray", id="seller-no-gigs"),
        ),
        pager(S),
        review_list(S, heading_key="reviews.from_buyers", show_gig=True, element_id="seller-reviews"),
        spacing="4",
        width="100%",
        align="stretch",
    )
    return person_page(S, body, "seller.not_found", "seller-not-found")
