"""Browsing pages: /search (the header box's results) and /category/<slug>, with one gig card.

Both pages share the filters panel (a plain form; the state cleans what it sends), the sort
select, the result count and the pagination links the state builds.
"""

from __future__ import annotations

import reflex as rx

from pages.components.i18n import pick, t
from pages.components.layout import not_found_panel, shell
from state.catalog import ANY, DAY_CHOICES, LEVEL_KEYS, LEVELS, RATING_CHOICES, CatalogState
from state.session import SessionState

LEVEL_COLORS = {"new": "gray", "level1": "blue", "level2": "teal", "top": "amber"}
SORT_KEYS = {
    "best": "catalog.sort_best",
    "rating": "catalog.sort_rating",
    "newest": "catalog.sort_newest",
    "price_asc": "catalog.sort_price_asc",
    "price_desc": "catalog.sort_price_desc",
}
DAY_KEYS = {"1": "catalog.within_1", "3": "catalog.within_3", "7": "catalog.within_7", "14": "catalog.within_14"}
RATING_KEYS = {"4": "catalog.rating_4", "3": "catalog.rating_3", "2": "catalog.rating_2"}
TOGGLE_FILTERS = (
    "(function(){var b=document.getElementById('filters-toggle'),p=document.getElementById('filters-body');"
    "if(!b||!p)return;var o=b.getAttribute('aria-expanded')!=='true';"
    "b.setAttribute('aria-expanded',String(o));p.setAttribute('data-open',String(o));})()"
)


def localized(item: rx.Var, name: str) -> rx.Var:
    """``item[name_en]`` or ``item[name_ar]`` by the viewer's language."""
    return rx.cond(SessionState.is_en, item[f"{name}_en"], item[f"{name}_ar"])


def level_badge(level: rx.Var, label: rx.Var) -> rx.Component:
    return rx.match(
        level,
        *[(slug, rx.badge(label, color_scheme=color, variant="soft", radius="full")) for slug, color in LEVEL_COLORS.items()],
        rx.badge(label, color_scheme="gray", variant="soft", radius="full"),
    )


def founding_badge() -> rx.Component:
    """بائع مؤسس: one of the pilot's first sellers, for good."""
    return rx.badge(rx.icon("sparkles", size=12), t("trust.founding"), color_scheme="violet", variant="surface", radius="full", class_name="founding-badge")


def identity_badge() -> rx.Component:
    """هوية موثّقة: an admin checked the seller's identity document or freelance number."""
    return rx.tooltip(
        rx.badge(rx.icon("badge_check", size=12), t("identity.badge"), color_scheme="teal", variant="surface", radius="full", class_name="identity-badge"),
        content=t("identity.badge_hint"),
    )


def trust_badges(founding: rx.Var, verified: rx.Var) -> rx.Component:
    """The seller's trust badges wherever a seller is shown: founding seller, verified identity."""
    return rx.fragment(rx.cond(founding, founding_badge()), rx.cond(verified, identity_badge()))


def stars(rating: rx.Var, count: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.icon("star", size=14, color=rx.color("amber", 9), fill=rx.color("amber", 9), aria_hidden="true"),
        rx.text(rating, weight="bold", size="2"),
        rx.text("(", count, ")", size="2", color_scheme="gray"),
        spacing="1",
        align="center",
    )


def gig_card(item: rx.Var) -> rx.Component:
    """One result: cover, title link, seller with level, rating, starting price and delivery time."""
    return rx.card(
        rx.vstack(
            rx.cond(
                item["cover"] != "",
                rx.inset(
                    rx.image(src=item["cover"], alt="", loading="lazy", style={"inline_size": "100%", "aspect_ratio": "16 / 9", "object_fit": "cover"}),
                    side="top",
                    pb="current",
                ),
            ),
            rx.hstack(
                rx.text(localized(item, "category"), size="1", color_scheme="gray"),
                rx.cond(
                    item["audio"] != "",
                    rx.badge(rx.icon("headphones", size=12, aria_hidden="true"), t("gallery.audio_badge"), color_scheme="teal", variant="soft", radius="full"),
                ),
                justify="between",
                align="center",
                width="100%",
            ),
            rx.link(
                rx.heading(item["title"], size="3", as_="h3", weight="bold", style={"line_height": "1.6"}, dir="auto"),
                href=item["href"],
                underline="hover",
                color="inherit",
                class_name="gig-card-title",
            ),
            rx.hstack(
                rx.icon("user_round", size=14, color=rx.color("gray", 10), aria_hidden="true"),
                rx.link(item["seller_name"], href=item["seller_href"], size="2", truncate=True, dir="auto", class_name="gig-card-seller"),
                level_badge(item["level"], localized(item, "level")),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            rx.cond(
                item["rating"] != "",
                stars(item["rating"], item["rating_count"]),
                rx.text(t("catalog.no_ratings"), size="2", color_scheme="gray"),
            ),
            rx.spacer(),
            rx.separator(size="4"),
            rx.hstack(
                rx.hstack(
                    rx.icon("clock", size=14, color=rx.color("gray", 10), aria_hidden="true"),
                    rx.text(localized(item, "days"), size="2", color_scheme="gray"),
                    spacing="1",
                    align="center",
                ),
                rx.vstack(
                    rx.text(t("catalog.from_price"), size="1", color_scheme="gray"),
                    rx.text(localized(item, "price"), size="3", weight="bold", color=rx.color("teal", 11)),
                    spacing="0",
                    align="end",
                ),
                justify="between",
                align="end",
                width="100%",
            ),
            spacing="2",
            align="stretch",
            height="100%",
        ),
        class_name="category-card gig-card",
        height="100%",
    )


def pager(state: type) -> rx.Component:
    """Previous/next links of a card page whose state has ``page``, ``pages``, ``prev_href``, ``next_href``."""
    return rx.cond(
        state.pages > 1,
        rx.el.nav(
            rx.hstack(
                rx.cond(
                    state.prev_href != "",
                    rx.link(
                        rx.button(rx.icon("chevron_left", size=16, class_name="mirror-in-rtl"), t("catalog.prev"), variant="soft", size="2"),
                        href=state.prev_href,
                        id="page-prev",
                    ),
                ),
                rx.text(t("catalog.page"), " ", state.page, " ", t("catalog.of"), " ", state.pages, size="2", color_scheme="gray"),
                rx.cond(
                    state.next_href != "",
                    rx.link(
                        rx.button(t("catalog.next"), rx.icon("chevron_right", size=16, class_name="mirror-in-rtl"), variant="soft", size="2"),
                        href=state.next_href,
                        id="page-next",
                    ),
                ),
                spacing="4",
                align="center",
                justify="center",
                width="100%",
            ),
            aria_label=t("catalog.pages"),
            style={"margin_block_start": "1.5rem"},
        ),
    )


def card_grid(results: rx.Var) -> rx.Component:
    return rx.grid(
        rx.foreach(results, gig_card),
        columns=rx.breakpoints(initial="1", sm="2", lg="3"),
        spacing="4",
        width="100%",
    )


def _label(key: str, html_for: str) -> rx.Component:
    return rx.el.label(t(key), html_for=html_for, style={"font_weight": "500", "font_size": "0.9rem"})


def _select(key: str, name: str, value: rx.Var, any_key: str, *items: rx.Component) -> rx.Component:
    control = f"filter-{name}"
    return rx.vstack(
        _label(key, control),
        rx.select.root(
            rx.select.trigger(id=control, width="100%"),
            rx.select.content(rx.select.item(t(any_key), value=ANY), *items),
            name=name,
            default_value=rx.cond(value != "", value, ANY),
            size="2",
        ),
        spacing="1",
        width="100%",
        align="stretch",
    )


def _term_items(terms: rx.Var) -> rx.Component:
    return rx.foreach(terms, lambda term: rx.select.item(localized(term, "name"), value=term["slug"]))


def filters_panel() -> rx.Component:
    """The filters form; it remounts (``key``) whenever a new page loads, so it shows that page's values."""
    form = rx.form(
        rx.vstack(
            rx.el.input(type="hidden", name="q", value=CatalogState.query),
            _select("catalog.category", "category", CatalogState.category, "catalog.any_category", _term_items(CatalogState.categories)),
            rx.vstack(
                rx.text(t("catalog.price"), weight="medium", size="2"),
                rx.hstack(
                    rx.vstack(
                        _label("catalog.price_min", "filter-min"),
                        rx.input(id="filter-min", name="min", type="number", min=0, max=100000, step=1, input_mode="numeric",
                                 default_value=CatalogState.min_price, size="2", width="100%"),
                        spacing="1", width="100%",
                    ),
                    rx.vstack(
                        _label("catalog.price_max", "filter-max"),
                        rx.input(id="filter-max", name="max", type="number", min=0, max=100000, step=1, input_mode="numeric",
                                 default_value=CatalogState.max_price, size="2", width="100%"),
                        spacing="1", width="100%",
                    ),
                    spacing="2",
                    width="100%",
                ),
                spacing="1",
                width="100%",
            ),
            _select(
                "catalog.delivery", "days", CatalogState.max_days, "catalog.any_delivery",
                *[rx.select.item(t(DAY_KEYS[d]), value=d) for d in DAY_CHOICES],
            ),
            _select(
                "catalog.level", "level", CatalogState.level, "catalog.any_level",
                *[rx.select.item(t(LEVEL_KEYS[level]), value=level) for level in LEVELS],
            ),
            _select(
                "catalog.rating", "rating", CatalogState.min_rating, "catalog.any_rating",
                *[rx.select.item(t(RATING_KEYS[r]), value=r) for r in RATING_CHOICES],
            ),
            _select("catalog.city", "city", CatalogState.city, "catalog.any_city", _term_items(CatalogState.cities)),
            _select("catalog.dialect", "dialect", CatalogState.dialect, "catalog.any_dialect", _term_items(CatalogState.dialects)),
            rx.el.input(type="hidden", name="sort", value=CatalogState.sort),
            rx.button(t("catalog.apply"), type="submit", size="2", width="100%", id="filters-apply"),
            rx.link(t("catalog.clear"), href=CatalogState.clear_href, size="2", align="center", width="100%"),
            spacing="4",
            width="100%",
            align="stretch",
        ),
        on_submit=CatalogState.apply_filters,
        key=CatalogState.filters_key,
        aria_label=t("catalog.filters"),
    )
    return rx.el.aside(
        rx.button(
            rx.icon("sliders_horizontal", size=16),
            t("catalog.filters"),
            rx.icon("chevron_down", size=16),
            id="filters-toggle",
            class_name="filters-toggle",
            type="button",
            variant="outline",
            size="2",
            width="100%",
            aria_expanded="false",
            aria_controls="filters-body",
            on_click=rx.call_script(TOGGLE_FILTERS),
        ),
        rx.box(
            rx.card(
                rx.vstack(
                    rx.heading(t("catalog.filters"), size="3", as_="h2", class_name="filters-heading"),
                    form,
                    spacing="3",
                    width="100%",
                ),
                size="2",
            ),
            id="filters-body",
            class_name="filters-body",
            custom_attrs={"data-open": "false"},
        ),
        class_name="filters",
    )


def sort_select() -> rx.Component:
    return rx.hstack(
        _label("catalog.sort", "sort-select"),
        rx.select.root(
            rx.select.trigger(id="sort-select"),
            rx.select.content(*[rx.select.item(t(key), value=value) for value, key in SORT_KEYS.items()]),
            value=CatalogState.sort,
            on_change=CatalogState.sort_by,
            size="2",
        ),
        spacing="2",
        align="center",
    )


def empty_state() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.box(rx.icon("search_x", size=32, color=rx.color("teal", 11)), padding="0.9rem", border_radius="999px",
                   background_color=rx.color("teal", 3)),
            rx.heading(t("catalog.empty_title"), size="4", as_="h2"),
            rx.text(t("catalog.empty_hint"), color_scheme="gray", align="center"),
            rx.hstack(
                rx.link(rx.button(t("catalog.clear"), variant="soft"), href=CatalogState.clear_href),
                rx.link(rx.button(t("catalog.browse_all"), variant="outline"), href="/search"),
                spacing="3",
                wrap="wrap",
                justify="center",
            ),
            spacing="3",
            align="center",
            max_width="28rem",
        ),
        padding_block="3rem",
        width="100%",
        id="catalog-empty",
    )


def results() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.text(t("catalog.results"), ": ", CatalogState.total, size="2", color_scheme="gray", id="result-count"),
            sort_select(),
            justify="between",
            align="center",
            wrap="wrap",
            gap="2",
            width="100%",
        ),
        rx.cond(
            CatalogState.results.length() > 0,
            rx.grid(
                rx.foreach(CatalogState.results, gig_card),
                columns=rx.breakpoints(initial="1", sm="2", lg="3"),
                spacing="4",
                width="100%",
            ),
            empty_state(),
        ),
        pager(CatalogState),
        spacing="4",
        width="100%",
        align="stretch",
        min_width="0",
    )


def listing(heading: rx.Component) -> rx.Component:
    """The heading, then filters beside (desktop) or above (phone) the results."""
    return rx.cond(
        CatalogState.loaded,
        rx.vstack(
            heading,
            rx.box(filters_panel(), results(), class_name="catalog-layout"),
            spacing="4",
            width="100%",
            align="stretch",
        ),
        rx.center(rx.spinner(size="3"), padding="3rem"),
    )


def search() -> rx.Component:
    return shell(
        listing(
            rx.hstack(
                rx.cond(
                    CatalogState.query != "",
                    rx.heading(t("search.title"), size="6", as_="h1"),
                    rx.heading(t("catalog.all_services"), size="6", as_="h1"),
                ),
                rx.cond(CatalogState.query != "", rx.badge(CatalogState.query, size="3", style={"unicode_bidi": "isolate"})),
                spacing="3",
                align="center",
                wrap="wrap",
            )
        )
    )


def category() -> rx.Component:
    return shell(
        rx.cond(
            CatalogState.not_found,
            not_found_panel("catalog.category_not_found", "category-not-found"),
            listing(
                rx.vstack(
                    rx.el.nav(
                        rx.hstack(
                            rx.link(t("catalog.home"), href="/", size="2"),
                            rx.icon("chevron_right", size=14, class_name="mirror-in-rtl", aria_hidden="true"),
                            rx.text(t("catalog.category"), size="2", color_scheme="gray"),
                            spacing="1",
                            align="center",
                        ),
                        aria_label=t("catalog.breadcrumb"),
                    ),
                    rx.heading(pick(CatalogState.category_ar, CatalogState.category_en), size="7", as_="h1"),
                    spacing="1",
                    align="start",
                )
            ),
        )
    )
