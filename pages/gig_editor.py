"""/seller/gigs/new and /seller/gigs/<n>: the gig editor in six steps, as sellers know them.

نظرة عامة (title, category, tags) → التسعير (one to three packages, and the extras) → الوصف
والأسئلة (Markdown with a live preview, and the FAQ) → متطلبات التنفيذ (what the buyer answers
after ordering) → المعرض (``pages.gig_gallery``) → مراجعة ونشر (summary, save as draft, submit
for review). Every field writes to the state as it is typed; the state validates on every step
change and on save.
"""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from pages.catalog import localized
from pages.components.forms import error_callout
from pages.components.i18n import pick, t
from pages.components.layout import shell
from pages.components.markdown import user_markdown
from pages.gig_gallery import gallery_step
from pages.seller import needs_seller_notice, status_badge
from state.seller import ANY, KINDS, ROWS, STEPS, GigEditorState as S

STEP_KEYS = (
    "editor.step_overview",
    "editor.step_pricing",
    "editor.step_description",
    "editor.step_requirements",
    "editor.step_gallery",
    "editor.step_review",
)
KIND_KEYS = {"text": "editor.kind_text", "choice": "editor.kind_choice", "file": "editor.kind_file"}
TIER_KEYS = {"basic": "gig.tier_basic", "standard": "gig.tier_standard", "premium": "gig.tier_premium"}


def _label(key: str, control: str) -> rx.Component:
    return rx.el.label(t(key), html_for=control, style={"font_weight": "500", "font_size": "0.95rem"})


def _hint(key: str) -> rx.Component:
    return rx.text(t(key), size="1", color_scheme="gray")


def text_input(key: str, field: str, *, hint: str | None = None, **props) -> rx.Component:
    control = f"gig-{field.replace('_', '-')}"
    parts = [
        _label(key, control),
        rx.input(
            id=control,
            value=getattr(S, field),
            on_change=lambda value: S.edit(field, value),
            size="3",
            width="100%",
            disabled=S.locked,
            **props,
        ),
    ]
    if hint:
        parts.append(_hint(hint))
    return rx.vstack(*parts, spacing="1", width="100%", align="stretch")


def select_input(key: str, field: str, *items: rx.Component, placeholder: str | None = None) -> rx.Component:
    control = f"gig-{field}"
    return rx.vstack(
        _label(key, control),
        rx.select.root(
            rx.select.trigger(id=control, width="100%", placeholder=t(placeholder) if placeholder else None),
            rx.select.content(*items),
            value=getattr(S, field),
            on_change=lambda value: S.edit(field, value),
            size="3",
            disabled=S.locked,
        ),
        spacing="1",
        width="100%",
        align="stretch",
    )


def _terms(terms: rx.Var) -> rx.Component:
    return rx.foreach(terms, lambda term: rx.select.item(localized(term, "name"), value=term["slug"]))


def steps_nav() -> rx.Component:
    def step_button(index: int, key: str) -> rx.Component:
        current = S.step == index
        return rx.button(
            rx.box(
                str(index + 1),
                width="1.5rem",
                height="1.5rem",
                border_radius="999px",
                display="inline-flex",
                align_items="center",
                justify_content="center",
                font_size="0.8rem",
                background_color=rx.cond(current, rx.color("teal", 9), rx.color("gray", 5)),
                color=rx.cond(current, "white", rx.color("gray", 12)),
            ),
            rx.text(t(key), size="2", weight=rx.cond(current, "bold", "regular")),
            on_click=S.go(index),
            variant=rx.cond(current, "soft", "ghost"),
            color_scheme=rx.cond(current, "teal", "gray"),
            size="2",
            type="button",
            aria_current=rx.cond(current, "step", "false"),
            id=f"step-{index}",
        )

    return rx.el.nav(
        rx.flex(*[step_button(i, key) for i, key in enumerate(STEP_KEYS)], spacing="2", wrap="wrap"),
        aria_label=t("editor.steps"),
        border_block_end=f"1px solid {rx.color('gray', 5)}",
        padding_block_end="0.75rem",
        width="100%",
    )


def overview_step() -> rx.Component:
    return rx.vstack(
        text_input("editor.gig_title", "title", hint="editor.gig_title_hint", max_length=120, dir="auto"),
        select_input("editor.category", "category", _terms(S.categories), placeholder="editor.category_pick"),
        rx.grid(
            select_input("editor.city", "city", rx.select.item(t("editor.none"), value=ANY), _terms(S.cities)),
            select_input("editor.dialect", "dialect", rx.select.item(t("editor.none"), value=ANY), _terms(S.dialects)),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="4",
            width="100%",
        ),
        text_input("editor.tags", "tags", hint="editor.tags_hint", max_length=200, dir="auto"),
        spacing="4",
        width="100%",
    )


def package_fields(tier: str) -> rx.Component:
    return rx.vstack(
        text_input("editor.package_name", f"{tier}_name", max_length=80, dir="auto"),
        rx.vstack(
            _label("editor.package_summary", f"gig-{tier}-summary"),
            rx.text_area(
                id=f"gig-{tier}-summary",
                value=getattr(S, f"{tier}_summary"),
                on_change=lambda value: S.edit(f"{tier}_summary", value),
                max_length=500,
                rows="3",
                width="100%",
                dir="auto",
                disabled=S.locked,
            ),
            spacing="1",
            width="100%",
            align="stretch",
        ),
        text_input("editor.price", f"{tier}_price", input_mode="decimal", dir="ltr", text_align="end"),
        rx.grid(
            text_input("editor.days", f"{tier}_days", input_mode="numeric", dir="ltr", text_align="end"),
            text_input("editor.revisions", f"{tier}_revisions", input_mode="numeric", dir="ltr", text_align="end"),
            columns="2",
            spacing="3",
            width="100%",
        ),
        rx.cond(
            S.unit == "minutes",
            text_input("editor.minutes", f"{tier}_included", input_mode="numeric", dir="ltr", text_align="end"),
            text_input("editor.words", f"{tier}_included", input_mode="numeric", dir="ltr", text_align="end"),
        ),
        spacing="3",
        width="100%",
    )


def package_card(tier: str) -> rx.Component:
    heading = rx.heading(t(TIER_KEYS[tier]), size="3", as_="h3")
    if tier == "basic":
        return rx.card(rx.vstack(heading, package_fields(tier), spacing="3"), width="100%", id=f"package-{tier}")
    flag = f"{tier}_on"
    return rx.card(
        rx.vstack(
            heading,
            rx.checkbox(
                t(f"editor.enable_{tier}"),
                checked=getattr(S, flag),
                on_change=lambda value: S.edit(flag, value),
                id=f"enable-{tier}",
                disabled=S.locked,
            ),
            rx.cond(getattr(S, flag), package_fields(tier)),
            spacing="3",
        ),
        width="100%",
        id=f"package-{tier}",
    )


def row_field(group: str, index: rx.Var, row: rx.Var, name: str, key: str, *, area: bool = False, **props) -> rx.Component:
    """One labelled field of a repeatable row; the row's position in the id keeps each <label for> unique."""
    control = f"{group}-{name}-{index}"
    widget = rx.text_area if area else rx.input
    return rx.vstack(
        _label(key, control),
        widget(
            id=control,
            value=row[name],
            on_change=lambda value: S.edit_row(group, index, name, value),
            width="100%",
            disabled=S.locked,
            **props,
        ),
        spacing="1",
        width="100%",
        align="stretch",
    )


def rows_section(group: str, heading: str, hint: str, add: str, fields: Callable[[rx.Var, rx.Var], list[rx.Component]]) -> rx.Component:
    """A heading, one card per row of ``group`` (its ``fields`` and «حذف»), and the add button up to the limit."""

    def card(row: rx.Var, index: rx.Var) -> rx.Component:
        return rx.card(
            rx.vstack(
                rx.flex(
                    rx.text(index + 1, size="1", color_scheme="gray", weight="bold"),
                    rx.spacer(),
                    rx.icon_button(
                        rx.icon("trash_2", size=16),
                        on_click=S.remove_row(group, index),
                        aria_label=t("editor.remove"),
                        title=t("editor.remove"),
                        variant="ghost",
                        color_scheme="red",
                        size="1",
                        type="button",
                        disabled=S.locked,
                    ),
                    align="center",
                    width="100%",
                ),
                *fields(row, index),
                spacing="3",
                width="100%",
            ),
            width="100%",
            class_name=f"{group}-row",
        )

    rows = getattr(S, group)
    return rx.vstack(
        rx.heading(t(heading), size="4", as_="h2"),
        _hint(hint),
        rx.foreach(rows, card),
        rx.cond(
            (rows.length() < ROWS[group].limit) & ~S.locked,
            rx.button(rx.icon("plus", size=16), t(add), on_click=S.add_row(group), variant="soft", type="button", id=f"add-{group}"),
        ),
        spacing="3",
        width="100%",
        align="start",
        id=f"{group}-section",
    )


def extras_section() -> rx.Component:
    def fields(row: rx.Var, index: rx.Var) -> list[rx.Component]:
        return [
            row_field("extras", index, row, "title", "editor.extra_title", max_length=80, dir="auto"),
            rx.grid(
                row_field("extras", index, row, "price", "editor.extra_price", input_mode="decimal", dir="ltr", text_align="end"),
                row_field("extras", index, row, "days", "editor.extra_days", input_mode="numeric", dir="ltr", text_align="end"),
                columns="2",
                spacing="3",
                width="100%",
            ),
            row_field("extras", index, row, "description", "editor.extra_description", area=True, rows="2", max_length=300, dir="auto"),
        ]

    return rows_section("extras", "editor.extras", "editor.extras_hint", "editor.add_extra", fields)


def faq_section() -> rx.Component:
    def fields(row: rx.Var, index: rx.Var) -> list[rx.Component]:
        return [
            row_field("faqs", index, row, "question", "editor.faq_question", max_length=200, dir="auto"),
            row_field("faqs", index, row, "answer", "editor.faq_answer", area=True, rows="3", max_length=1000, dir="auto"),
        ]

    return rows_section("faqs", "editor.faqs", "editor.faqs_hint", "editor.add_faq", fields)


def requirements_step() -> rx.Component:
    def fields(row: rx.Var, index: rx.Var) -> list[rx.Component]:
        kind = f"requirements-kind-{index}"
        return [
            row_field("requirements", index, row, "question", "editor.requirement_question", area=True, rows="2", max_length=300, dir="auto"),
            rx.flex(
                rx.vstack(
                    _label("editor.requirement_kind", kind),
                    rx.select.root(
                        rx.select.trigger(id=kind, width="100%"),
                        rx.select.content(*[rx.select.item(t(KIND_KEYS[k]), value=k) for k in KINDS]),
                        value=row["kind"],
                        on_change=lambda value: S.edit_row("requirements", index, "kind", value),
                        disabled=S.locked,
                    ),
                    spacing="1",
                    min_width="12rem",
                ),
                rx.text(
                    rx.flex(
                        rx.switch(
                            checked=row["required"] == "1",
                            on_change=lambda value: S.edit_row("requirements", index, "required", value),
                            disabled=S.locked,
                        ),
                        t("editor.requirement_required"),
                        spacing="2",
                        align="center",
                    ),
                    as_="label",
                    size="2",
                ),
                spacing="4",
                align="end",
                wrap="wrap",
                width="100%",
            ),
            rx.cond(
                row["kind"] == "choice",
                row_field("requirements", index, row, "choices", "editor.requirement_choices", area=True, rows="4", dir="auto"),
            ),
        ]

    return rows_section("requirements", "editor.step_requirements", "editor.requirements_hint", "editor.add_requirement", fields)


def pricing_step() -> rx.Component:
    return rx.vstack(
        rx.text(t("editor.pricing_hint"), color_scheme="gray", size="2"),
        rx.box(
            select_input(
                "editor.unit",
                "unit",
                rx.select.item(t("editor.unit_words"), value="words"),
                rx.select.item(t("editor.unit_minutes"), value="minutes"),
            ),
            max_width="20rem",
            width="100%",
        ),
        rx.grid(
            package_card("basic"),
            package_card("standard"),
            package_card("premium"),
            columns=rx.breakpoints(initial="1", md="3"),
            spacing="4",
            width="100%",
            align_items="start",
        ),
        rx.separator(size="4"),
        extras_section(),
        spacing="4",
        width="100%",
    )


def description_step() -> rx.Component:
    return rx.vstack(description_editor(), rx.separator(size="4"), faq_section(), spacing="4", width="100%")


def description_editor() -> rx.Component:
    return rx.grid(
        rx.vstack(
            _label("editor.description", "gig-description"),
            rx.text_area(
                id="gig-description",
                value=S.description,
                on_change=lambda value: S.edit("description", value),
                rows="16",
                max_length=5000,
                width="100%",
                dir="auto",
                disabled=S.locked,
            ),
            _hint("editor.description_hint"),
            rx.text(S.description.length(), " / 5000", size="1", color_scheme="gray", dir="ltr"),
            spacing="1",
            width="100%",
            align="stretch",
        ),
        rx.vstack(
            rx.text(t("editor.preview"), weight="medium", size="2"),
            rx.card(
                rx.cond(
                    S.description != "",
                    user_markdown(S.description),
                    rx.text(t("editor.preview_empty"), color_scheme="gray", size="2"),
                ),
                width="100%",
                min_height="12rem",
                id="description-preview",
            ),
            spacing="1",
            width="100%",
            align="stretch",
        ),
        columns=rx.breakpoints(initial="1", md="2"),
        spacing="4",
        width="100%",
    )


def summary_row(key: str, value: rx.Var | rx.Component) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(t(key), min_width="8rem"),
        rx.data_list.value(value),
    )


def package_summary(tier: str) -> rx.Component:
    card = rx.card(
        rx.vstack(
            rx.text(t(TIER_KEYS[tier]), weight="bold", size="2"),
            rx.text(getattr(S, f"{tier}_name"), size="2", dir="auto"),
            rx.hstack(
                rx.text(getattr(S, f"{tier}_price"), " ", pick("ر.س", "SAR"), weight="bold"),
                rx.text("·", color_scheme="gray"),
                rx.text(t("editor.days"), ": ", getattr(S, f"{tier}_days"), size="2", color_scheme="gray"),
                spacing="2",
                wrap="wrap",
                align="center",
            ),
            spacing="1",
            align="start",
        ),
        width="100%",
    )
    return card if tier == "basic" else rx.cond(getattr(S, f"{tier}_on"), card)


def review_list(heading: str, rows: rx.Var, line: Callable[[rx.Var], rx.Component], name: str) -> rx.Component:
    """A review card: the rows of one list (with their count), or «لم تضف شيئًا بعد»."""
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(t(heading), weight="bold", size="2"),
                rx.badge(rows.length(), variant="soft", color_scheme="gray", radius="full"),
                spacing="2",
                align="center",
            ),
            rx.cond(
                rows.length() > 0,
                rx.el.ul(rx.foreach(rows, lambda row: rx.el.li(line(row))), style={"padding_inline_start": "1.25rem", "margin": "0"}),
                rx.text(t("editor.nothing_yet"), size="2", color_scheme="gray"),
            ),
            spacing="2",
            align="stretch",
        ),
        width="100%",
        id=f"review-{name}",
    )


def review_rows() -> rx.Component:
    def extra(row: rx.Var) -> rx.Component:
        return rx.flex(
            rx.text(row["title"], size="2", dir="auto"),
            rx.text(row["price"], " ", pick("ر.س", "SAR"), size="2", weight="bold", style={"white_space": "nowrap"}),
            spacing="2",
            justify="between",
        )

    def requirement(row: rx.Var) -> rx.Component:
        kind = rx.match(row["kind"], *[(k, t(key)) for k, key in KIND_KEYS.items()], t(KIND_KEYS["text"]))
        return rx.flex(
            rx.text(row["question"], size="2", dir="auto"),
            rx.badge(kind, variant="soft", color_scheme="teal"),
            rx.cond(row["required"] != "1", rx.badge(t("editor.optional"), variant="soft", color_scheme="gray")),
            spacing="2",
            align="center",
            wrap="wrap",
        )

    return rx.grid(
        review_list("editor.extras", S.extras, extra, "extras"),
        review_list("editor.faqs", S.faqs, lambda row: rx.text(row["question"], size="2", dir="auto"), "faqs"),
        review_list("editor.step_requirements", S.requirements, requirement, "requirements"),
        columns=rx.breakpoints(initial="1", md="3"),
        spacing="3",
        width="100%",
    )


def review_step() -> rx.Component:
    return rx.vstack(
        rx.callout(t("editor.review_hint"), icon="info", color_scheme="teal", width="100%"),
        rx.data_list.root(
            summary_row("editor.gig_title", rx.text(S.title, dir="auto")),
            summary_row("editor.category", pick(S.category_ar, S.category_en)),
            summary_row("editor.tags", rx.text(S.tags, dir="auto")),
            orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
            width="100%",
        ),
        rx.grid(
            package_summary("basic"),
            package_summary("standard"),
            package_summary("premium"),
            columns=rx.breakpoints(initial="1", md="3"),
            spacing="3",
            width="100%",
        ),
        rx.card(user_markdown(S.description), width="100%"),
        review_rows(),
        spacing="4",
        width="100%",
    )


def actions() -> rx.Component:
    save_label = rx.cond(S.can_submit, t("editor.save_draft"), t("editor.save_changes"))
    return rx.flex(
        rx.cond(
            S.step > 0,
            rx.button(
                rx.icon("chevron_left", size=16, class_name="mirror-in-rtl"), t("editor.back"),
                on_click=S.previous_step, variant="soft", color_scheme="gray", size="3", type="button", id="step-back",
            ),
        ),
        rx.spacer(),
        rx.cond(
            ~S.locked,
            rx.flex(
                rx.button(save_label, on_click=S.save_draft, variant="outline", size="3", type="button", id="save-draft"),
                rx.cond(
                    S.step < STEPS - 1,
                    rx.button(
                        t("editor.next"), rx.icon("chevron_right", size=16, class_name="mirror-in-rtl"),
                        on_click=S.next_step, size="3", type="button", id="step-next",
                    ),
                    rx.cond(
                        S.can_submit,
                        rx.button(t("editor.submit"), on_click=S.submit_for_review, size="3", type="button", id="submit-review"),
                    ),
                ),
                spacing="2",
                wrap="wrap",
            ),
        ),
        spacing="2",
        wrap="wrap",
        align="center",
        width="100%",
        border_block_start=f"1px solid {rx.color('gray', 5)}",
        padding_block_start="1rem",
    )


def editor_body() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.heading(rx.cond(S.is_new, t("editor.title_new"), t("editor.title_edit")), size="6", as_="h1"),
            rx.cond(S.status != "", status_badge(S.status, pick(S.status_ar, S.status_en))),
            spacing="3",
            align="center",
            wrap="wrap",
        ),
        rx.cond(
            S.moderation_note != "",
            rx.callout(
                rx.text(rx.text.strong(t("gig.moderation_note")), ": ", S.moderation_note, dir="auto"),
                icon="info",
                color_scheme="red",
                width="100%",
            ),
        ),
        rx.cond(S.locked, rx.callout(t("gig.suspended"), icon="lock", color_scheme="crimson", width="100%")),
        steps_nav(),
        error_callout(S.error),
        rx.match(
            S.step,
            (0, overview_step()),
            (1, pricing_step()),
            (2, description_step()),
            (3, requirements_step()),
            (4, gallery_step()),
            review_step(),
        ),
        actions(),
        spacing="4",
        width="100%",
    )


def gig_editor() -> rx.Component:
    return shell(
        rx.vstack(
            rx.link(
                rx.hstack(rx.icon("chevron_left", size=14, class_name="mirror-in-rtl"), t("editor.back_to_list"), spacing="1", align="center"),
                href="/seller/gigs",
                size="2",
            ),
            rx.cond(
                S.loaded,
                rx.cond(
                    S.needs_seller,
                    needs_seller_notice(),
                    rx.cond(
                        S.not_found,
                        rx.callout(t("gig.not_found"), icon="circle_alert", color_scheme="gray", width="100%", id="editor-not-found"),
                        rx.card(editor_body(), size="3", width="100%"),
                    ),
                ),
                rx.center(rx.spinner(size="3"), padding="3rem"),
            ),
            spacing="3",
            width="100%",
            max_width="64rem",
            margin_inline="auto",
        )
    )
