"""Search results for the header box."""

from __future__ import annotations

import reflex as rx

from pages.components.i18n import t
from pages.components.layout import shell
from state.search import SearchState
from state.session import SessionState


def result(item: rx.Var) -> rx.Component:
    return rx.link(
        rx.card(rx.text(rx.cond(SessionState.is_en, item["name_en"], item["name_ar"]), weight="bold"), class_name="category-card"),
        href="/#categories",
        underline="none",
        color="inherit",
    )


def search() -> rx.Component:
    return shell(
        rx.vstack(
            rx.hstack(
                rx.heading(t("search.title"), size="6", as_="h1"),
                rx.cond(SearchState.query != "", rx.badge(SearchState.query, size="3")),
                spacing="3",
                align="center",
                wrap="wrap",
            ),
            rx.text(t("search.gigs_soon"), color_scheme="gray", size="2"),
            rx.heading(t("search.categories_match"), size="4", as_="h2"),
            rx.cond(
                SearchState.matches.length() > 0,
                rx.grid(rx.foreach(SearchState.matches, result), columns=rx.breakpoints(initial="1", sm="2", md="3"), spacing="3", width="100%"),
                rx.text(t("search.none")),
            ),
            spacing="4",
            width="100%",
            align="stretch",
        )
    )
