"""The public seller page /sellers/<n>: avatar, level, city, languages, dialects, bio and active gigs."""

from __future__ import annotations

import reflex as rx

from pages.catalog import card_grid, level_badge, pager
from pages.components.i18n import pick, t
from pages.components.layout import not_found_panel, shell
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


def about() -> rx.Component:
    return rx.card(
        rx.flex(
            rx.avatar(src=S.photo, fallback=S.name[:1], size="7", radius="full", color_scheme="teal"),
            rx.vstack(
                rx.heading(S.name, size="7", as_="h1", dir="auto", id="seller-name"),
                level_badge(S.level, pick(S.level_ar, S.level_en)),
                _fact("map_pin", "seller_page.city", pick(S.city_ar, S.city_en), S.city_ar != ""),
                _fact("languages", "seller_page.languages", S.languages.join("، "), S.languages.length() > 0),
                _fact("mic", "seller_page.dialects", pick(S.dialects_ar, S.dialects_en), S.dialects_ar != ""),
                _fact("calendar", "seller_page.member_since", pick(S.since_ar, S.since_en), S.since_ar != ""),
                rx.cond(
                    S.bio != "",
                    rx.vstack(
                        rx.heading(t("seller_page.about"), size="3", as_="h2"),
                        rx.text(S.bio, size="2", style={"white_space": "pre-line", "line_height": "1.8"}, dir="auto"),
                        spacing="1",
                        align="start",
                    ),
                ),
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
        spacing="4",
        width="100%",
        align="stretch",
    )
    return shell(
        rx.cond(
            S.loaded,
            rx.cond(S.not_found, not_found_panel("seller.not_found", "seller-not-found"), body),
            rx.center(rx.spinner(size="3"), padding="3rem"),
        )
    )
