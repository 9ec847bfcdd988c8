"""/admin/lexicon: search the lexicon, page through admins' terms (each removable), see the
matching built-in terms (read-only), add a term to a concept, and try the analyzer."""

from __future__ import annotations

import reflex as rx

from pages.catalog import pager
from pages.components.admin import admin_page
from pages.components.forms import field
from pages.components.i18n import t
from pages.components.layout import search_form
from state.lexicon_admin import PATH, LexiconAdminState as S

BOX = {"border": "1px solid var(--gray-5)", "border_radius": "0.75rem", "padding": "1rem", "width": "100%"}


def _pair(entry: rx.Var) -> rx.Component:
    """«term ← concept»: the term in its own direction, the concept as Latin code."""
    return rx.hstack(
        rx.text(entry["term"], weight="medium", dir="auto"),
        rx.icon("arrow_right", size=14, color=rx.color("gray", 9), class_name="mirror-in-rtl", aria_hidden="true"),
        rx.code(entry["concept"], dir="ltr"),
        spacing="2",
        align="center",
        wrap="wrap",
        min_width="0",
    )


def search_box() -> rx.Component:
    return search_form(S.search, label_key="lexicon.search", placeholder_key="lexicon.search_placeholder", size="3", default_value=S.query, key=S.query)


def admin_entry(entry: rx.Var) -> rx.Component:
    return rx.flex(
        _pair(entry),
        rx.form(
            rx.el.input(type="hidden", name="term", value=entry["term"]),
            rx.el.input(type="hidden", name="concept", value=entry["concept"]),
            rx.button(rx.icon("trash_2", size=14), t("lexicon.remove"), type="submit", variant="ghost", color_scheme="red", size="2"),
            on_submit=S.remove,
            margin_inline_start="auto",
        ),
        spacing="3",
        align="center",
        wrap="wrap",
        padding_block="0.5rem",
        border_block_end=f"1px solid {rx.color('gray', 4)}",
        class_name="lexicon-entry",
    )


def admin_terms() -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.heading(t("lexicon.admin_terms"), size="4", as_="h2"), rx.badge(S.total, variant="soft"), spacing="2", align="center"),
        rx.cond(
            S.entries.length() > 0,
            rx.box(rx.foreach(S.entries, admin_entry), width="100%", id="lexicon-entries"),
            rx.text(t("lexicon.empty"), color_scheme="gray", id="lexicon-empty"),
        ),
        pager(S),
        spacing="2",
        width="100%",
    )


def bundled_terms() -> rx.Component:
    return rx.el.details(
        rx.el.summary(
            rx.hstack(rx.text(t("lexicon.bundled_title"), weight="bold"), rx.badge(S.bundled_total, variant="soft", color_scheme="gray"), spacing="2", align="center", display="inline-flex"),
            style={"cursor": "pointer"},
        ),
        rx.vstack(
            rx.text(t("lexicon.bundled_hint"), size="2", color_scheme="gray"),
            rx.flex(
                rx.foreach(S.bundled, lambda entry: rx.badge(_pair(entry), variant="surface", color_scheme="gray", size="2", max_width="100%")),
                spacing="2",
                wrap="wrap",
            ),
            rx.cond(S.bundled_more != "", rx.text(S.bundled_more, size="1", color_scheme="gray")),
            spacing="2",
            padding_block_start="0.5rem",
        ),
        open=S.query != "",
        id="lexicon-bundled",
        style=BOX,
    )


def add_form() -> rx.Component:
    return rx.box(
        rx.heading(t("lexicon.add_title"), size="4", as_="h2", margin_block_end="0.75rem"),
        rx.form(
            rx.vstack(
                field("lexicon.term", "term", control_id="lexicon-term", dir="auto", required=True, max_length=80),
                field("lexicon.concept", "concept", control_id="lexicon-concept", hint="lexicon.concept_hint", dir="ltr", required=True, max_length=40, pattern="[a-z][a-z0-9_]+"),
                rx.button(rx.icon("plus", size=16), t("lexicon.add"), type="submit", size="3"),
                spacing="3",
                align="start",
                width="100%",
            ),
            on_submit=S.add,
            reset_on_submit=True,
        ),
        style=BOX,
        id="lexicon-add",
    )


def _cell(value: rx.Var, **props) -> rx.Component:  # type: ignore[no-untyped-def]
    return rx.table.cell(rx.text(value, size="2", dir="auto", **props))


def analyzer_box() -> rx.Component:
    return rx.box(
        rx.heading(t("lexicon.try_title"), size="4", as_="h2"),
        rx.text(t("lexicon.try_hint"), size="2", color_scheme="gray", margin_block="0.5rem"),
        rx.form(
            rx.hstack(
                rx.input(name="text", aria_label=t("lexicon.try_text"), placeholder=t("lexicon.try_text"), max_length=200, size="3", width="100%", dir="auto", id="lexicon-try-text"),
                rx.button(rx.icon("flask_conical", size=16), t("lexicon.try_button"), type="submit", size="3", variant="soft"),
                spacing="2",
                width="100%",
            ),
            on_submit=S.try_analyzer,
        ),
        rx.cond(
            S.tried,
            rx.cond(
                S.analysis.length() > 0,
                rx.box(
                    rx.table.root(
                        rx.table.header(
                            rx.table.row(*[rx.table.column_header_cell(t(key)) for key in ("lexicon.col_word", "lexicon.col_stem", "lexicon.col_root", "lexicon.col_concepts")])
                        ),
                        rx.table.body(
                            rx.foreach(
                                S.analysis,
                                lambda term: rx.table.row(
                                    _cell(term["word"], weight="medium"),
                                    _cell(term["stem"]),
                                    _cell(term["root"]),
                                    rx.table.cell(
                                        rx.cond(
                                            term["concepts"] != "",
                                            rx.code(term["concepts"], dir="ltr"),
                                            rx.text(t("lexicon.no_concept"), size="2", color_scheme="gray"),
                                        )
                                    ),
                                ),
                            )
                        ),
                        size="1",
                        width="100%",
                    ),
                    overflow_x="auto",
                    width="100%",
                    margin_block_start="0.75rem",
                    id="lexicon-analysis",
                ),
                rx.text(t("lexicon.try_empty"), size="2", color_scheme="gray", margin_block_start="0.75rem"),
            ),
        ),
        style=BOX,
        id="lexicon-try",
    )


def lexicon_admin() -> rx.Component:
    return admin_page(
        PATH,
        S,
        "lexicon.title",
        rx.text(t("lexicon.intro"), color_scheme="gray"),
        search_box(),
        rx.grid(
            rx.vstack(admin_terms(), bundled_terms(), spacing="4", width="100%", min_width="0"),
            rx.vstack(add_form(), analyzer_box(), spacing="4", width="100%", min_width="0"),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="5",
            width="100%",
        ),
    )
