"""Home: the niche's promise, its categories (the database's, see state/home.py) and how ordering works."""

from __future__ import annotations

import reflex as rx

from app.niche import get_niche
from pages.catalog import localized
from pages.components.i18n import pick, t
from pages.components.icons import icon_tile
from pages.components.layout import shell
from state.home import HomeState


def category_card(category: rx.Var) -> rx.Component:
    return rx.link(
        rx.card(
            rx.hstack(
                icon_tile(category["icon"], 22),
                rx.vstack(
                    rx.text(localized(category, "name"), weight="bold", size="3"),
                    rx.text(localized(category, "description"), size="2", color_scheme="gray"),
                    spacing="1",
                    align="start",
                ),
                spacing="3",
                align="start",
            ),
            class_name="category-card",
            height="100%",
        ),
        href=category["href"],
        underline="none",
        color="inherit",
        id=category["element"],
    )


def step(number: int, title_key: str, body_key: str) -> rx.Component:
    return rx.vstack(
        rx.badge(pick("٠١٢٣٤٥٦٧٨٩"[number], str(number)), size="3", radius="full", color_scheme="teal"),
        rx.heading(t(title_key), size="4", as_="h3"),
        rx.text(t(body_key), color_scheme="gray"),
        spacing="2",
        align="start",
    )


def home() -> rx.Component:
    niche = get_niche()
    return shell(
        rx.vstack(
            rx.heading(pick(niche.name_ar, niche.name_en), size="8", as_="h1"),
            rx.text(pick(niche.tagline_ar, niche.tagline_en), size="4", color_scheme="gray"),
            rx.hstack(
                rx.link(rx.button(t("home.cta_browse"), size="3"), href="#categories"),
                rx.link(rx.button(t("home.cta_sell"), size="3", variant="outline"), href="/account#seller"),
                spacing="3",
                wrap="wrap",
            ),
            spacing="4",
            align="start",
            padding_block="2rem",
        ),
        rx.heading(t("home.categories"), size="6", as_="h2", id="categories", margin_block="1rem"),
        rx.grid(
            rx.foreach(HomeState.categories, category_card),
            columns=rx.breakpoints(initial="1", sm="2", md="3"),
            spacing="4",
            width="100%",
        ),
        rx.heading(t("home.how_title"), size="6", as_="h2", margin_block="2.5rem 1rem"),
        rx.grid(
            step(1, "home.how_1_title", "home.how_1"),
            step(2, "home.how_2_title", "home.how_2"),
            step(3, "home.how_3_title", "home.how_3"),
            columns=rx.breakpoints(initial="1", md="3"),
            spacing="5",
            width="100%",
        ),
    )
