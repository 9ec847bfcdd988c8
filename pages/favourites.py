"""The /favourites page (المفضلة): the viewer's saved gigs with the search page's card."""

from __future__ import annotations

import reflex as rx

from pages.catalog import card_grid, pager
from pages.components.i18n import t
from pages.components.layout import shell
from state.favourites import FavouritesState


def empty() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.box(rx.icon("heart", size=32, color=rx.color("teal", 11)), padding="0.9rem", border_radius="999px",
                   background_color=rx.color("teal", 3)),
            rx.heading(t("favourites.empty"), size="4", as_="h2", align="center"),
            rx.text(t("favourites.empty_hint"), color_scheme="gray", align="center"),
            rx.link(rx.button(t("catalog.browse_all")), href="/search"),
            spacing="3",
            align="center",
            max_width="28rem",
        ),
        padding_block="3rem",
        width="100%",
        id="favourites-empty",
    )


def favourites() -> rx.Component:
    return shell(
        rx.cond(
            FavouritesState.loaded,
            rx.vstack(
                rx.hstack(
                    rx.heading(t("favourites.title"), size="6", as_="h1"),
                    rx.cond(FavouritesState.total > 0, rx.badge(FavouritesState.total, size="2", radius="full")),
                    spacing="3",
                    align="center",
                ),
                rx.cond(FavouritesState.results.length() > 0, card_grid(FavouritesState.results), empty()),
                pager(FavouritesState),
                spacing="4",
                width="100%",
                align="stretch",
            ),
            rx.center(rx.spinner(size="3"), padding="3rem"),
        )
    )
