"""/admin/taxonomy: three tabs (categories, cities, dialects), each an add form over its list.

A row shows both names, the slug, how many services use it and its actions: move up or down,
show or hide (categories), and an edit dialog whose form carries the row's kind and slug as
hidden fields. Sub-categories are indented under their parent.
"""

from __future__ import annotations

import reflex as rx

from app.catalog.taxonomy_admin import CATEGORY_ICONS
from pages.catalog import localized
from pages.components.admin import admin_page
from pages.components.forms import error_callout, field, text_area
from pages.components.i18n import pick, t
from pages.components.icons import icon_tile
from state.taxonomy_admin import NO_PARENT, PATH, TaxonomyAdminState as S

TABS = (("category", "taxonomy.tab_category", "taxonomy.add_category"), ("city", "taxonomy.tab_city", "taxonomy.add_city"), ("dialect", "taxonomy.tab_dialect", "taxonomy.add_dialect"))
ROWS = {"category": S.categories, "city": S.cities, "dialect": S.dialects}


def _hidden(name: str, value: str | rx.Var) -> rx.Component:
    return rx.el.input(type="hidden", name=name, value=value)


def _select(key: str, name: str, control: str, value: str | rx.Var, *items: rx.Component) -> rx.Component:
    """A labelled Radix select posting ``name`` with the form."""
    return rx.vstack(
        rx.el.label(t(key), html_for=control, style={"font_weight": "500"}),
        rx.select.root(rx.select.trigger(id=control, width="100%"), rx.select.content(*items), name=name, default_value=value, size="3"),
        spacing="1",
        width="100%",
        align="stretch",
    )


def _parent_select(control: str, value: str | rx.Var) -> rx.Component:
    return _select(
        "taxonomy.parent",
        "parent",
        control,
        value,
        rx.select.item(t("taxonomy.no_parent"), value=NO_PARENT),
        rx.foreach(S.parents, lambda p: rx.select.item(localized(p, "name"), value=p["slug"])),
    )


def _icon_select(control: str, value: str | rx.Var) -> rx.Component:
    return _select(
        "taxonomy.icon",
        "icon",
        control,
        value,
        *[
            rx.select.item(rx.hstack(rx.icon(icon.replace("-", "_"), size=16), rx.text(icon, dir="ltr"), spacing="2", align="center"), value=icon)
            for icon in CATEGORY_ICONS
        ],
    )


def term_fields(kind: str, prefix: str, row: rx.Var | None = None) -> list[rx.Component]:
    """The form's fields; ``row`` fills an edit form (whose slug is fixed), None makes an add form."""

    def value(name: str, default: str = "") -> str | rx.Var:
        return row[name] if row is not None else default

    fields = [_hidden("kind", kind)]
    if row is None:
        fields.append(field("taxonomy.slug", "slug", control_id=f"{prefix}-slug", hint="taxonomy.slug_hint", dir="ltr", required=True, max_length=60, pattern="[a-z0-9\\-]+"))
    else:
        fields.append(_hidden("slug", row["slug"]))
    fields += [
        field("taxonomy.name_ar", "name_ar", control_id=f"{prefix}-name-ar", default_value=value("name_ar"), dir="rtl", required=True, max_length=80),
        field("taxonomy.name_en", "name_en", control_id=f"{prefix}-name-en", default_value=value("name_en"), dir="ltr", required=True, max_length=80),
    ]
    if kind == "category":
        fields += [
            rx.grid(
                _parent_select(f"{prefix}-parent", value("parent", NO_PARENT)),
                _icon_select(f"{prefix}-icon", value("icon", "mic")),
                columns=rx.breakpoints(initial="1", sm="2"),
                spacing="3",
                width="100%",
            ),
            text_area("taxonomy.description_ar", "description_ar", control_id=f"{prefix}-description-ar", default_value=value("description_ar"), dir="rtl", max_length=300, rows="2"),
            text_area("taxonomy.description_en", "description_en", control_id=f"{prefix}-description-en", default_value=value("description_en"), dir="ltr", max_length=300, rows="2"),
        ]
    return fields


def add_form(kind: str, title_key: str) -> rx.Component:
    return rx.el.details(
        rx.el.summary(rx.hstack(rx.icon("plus", size=16), t(title_key), spacing="2", align="center", display="inline-flex"), style={"cursor": "pointer", "font_weight": "600"}),
        rx.form(
            rx.vstack(
                *term_fields(kind, f"new-{kind}"),
                rx.button(t("taxonomy.create"), type="submit", size="3"),
                spacing="3",
                width="100%",
                align="start",
            ),
            on_submit=S.create,
            reset_on_submit=True,
            padding_block_start="0.75rem",
        ),
        class_name="admin-add",
        id=f"add-{kind}",
        style={"border": f"1px solid {rx.color('gray', 5)}", "border_radius": "0.75rem", "padding": "0.75rem 1rem", "width": "100%"},
    )


def edit_dialog(kind: str, row: rx.Var) -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t("taxonomy.edit"), " — ", localized(row, "name")),
            rx.dialog.description(rx.code(row["slug"], dir="ltr"), size="2"),
            rx.form(
                rx.vstack(
                    error_callout(S.error),
                    *term_fields(kind, f"edit-{kind}", row),
                    rx.flex(
                        rx.button(t("taxonomy.save"), type="submit", size="3"),
                        rx.dialog.close(rx.button(t("taxonomy.cancel"), type="button", variant="soft", color_scheme="gray", size="3")),
                        rx.cond(
                            row["deletable"] == "1",
                            rx.button(
                                rx.icon("trash_2", size=16), t("taxonomy.delete"), type="button", variant="outline", color_scheme="red", size="3",
                                on_click=S.delete(kind, row["slug"]), margin_inline_start="auto",
                            ),
                            rx.text(t("taxonomy.delete_hint"), size="1", color_scheme="gray", margin_inline_start="auto"),
                        ),
                        spacing="3",
                        wrap="wrap",
                        align="center",
                        width="100%",
                    ),
                    spacing="3",
                    width="100%",
                ),
                on_submit=S.update,
            ),
            max_width="36rem",
        ),
        open=S.editing == row["key"],
        on_open_change=S.close_edit,
    )


def _move_button(kind: str, row: rx.Var, step: int, icon: str, label: str) -> rx.Component:
    return rx.icon_button(rx.icon(icon, size=16), on_click=S.move(kind, row["slug"], step), variant="ghost", size="2", aria_label=t(label), title=t(label))


def term_row(kind: str, row: rx.Var) -> rx.Component:
    names = rx.vstack(
        rx.text(localized(row, "name"), weight="bold", size="3"),
        rx.hstack(
            rx.text(pick(row["name_en"], row["name_ar"]), size="2", color_scheme="gray"),  # the other language's name
            rx.code(row["slug"], dir="ltr", size="1"),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        spacing="1",
        align="start",
        min_width="0",
    )
    badges = rx.hstack(
        rx.badge(localized(row, "gigs"), variant="soft", color_scheme="gray"),
        rx.cond(row["is_sub"] == "1", rx.badge(t("taxonomy.sub"), variant="soft", color_scheme="blue")),
        rx.cond(row["active"] != "1", rx.badge(t("taxonomy.hidden_badge"), variant="soft", color_scheme="amber")),
        spacing="2",
        wrap="wrap",
    ) if kind == "category" else rx.badge(localized(row, "gigs"), variant="soft", color_scheme="gray")
    actions = rx.hstack(
        rx.switch(
            checked=row["active"] == "1",
            on_change=lambda checked: S.set_active(row["slug"], checked),
            aria_label=t("taxonomy.toggle"),
            title=t("taxonomy.toggle"),
        ) if kind == "category" else rx.fragment(),
        _move_button(kind, row, -1, "arrow_up", "taxonomy.move_up"),
        _move_button(kind, row, 1, "arrow_down", "taxonomy.move_down"),
        rx.button(rx.icon("pencil", size=14), t("taxonomy.edit"), on_click=S.start_edit(row["key"]), variant="soft", size="2"),
        spacing="3",
        align="center",
        margin_inline_start="auto",
    )
    return rx.box(
        rx.flex(
            icon_tile(row["icon"], 20) if kind == "category" else rx.fragment(),
            names,
            badges,
            actions,
            spacing="3",
            align="center",
            wrap="wrap",
            width="100%",
        ),
        edit_dialog(kind, row),
        padding_block="0.75rem",
        padding_inline_start=rx.cond(row["is_sub"] == "1", "2rem", "0"),
        border_block_end=f"1px solid {rx.color('gray', 4)}",
        opacity=rx.cond(row["active"] == "1", "1", "0.7"),
        class_name="taxonomy-row",
        id=f"{kind}-" + row["slug"],
    )


def tab_content(kind: str, add_key: str) -> rx.Component:
    rows = ROWS[kind]
    return rx.tabs.content(
        rx.vstack(
            add_form(kind, add_key),
            rx.cond(
                rows.length() > 0,
                rx.box(rx.foreach(rows, lambda row: term_row(kind, row)), width="100%"),
                rx.text(t("taxonomy.empty"), color_scheme="gray"),
            ),
            spacing="4",
            width="100%",
            padding_block_start="1rem",
        ),
        value=kind,
    )


def taxonomy_admin() -> rx.Component:
    return admin_page(
        PATH,
        S,
        "taxonomy.title",
        rx.text(t("taxonomy.intro"), color_scheme="gray"),
        rx.tabs.root(
            rx.tabs.list(*[rx.tabs.trigger(t(label), value=kind) for kind, label, _ in TABS]),
            *[tab_content(kind, add_key) for kind, _, add_key in TABS],
            default_value="category",
            width="100%",
        ),
    )
