"""The invoice pages: «فواتيري» (/invoices), the admins' list with its filter (/admin/invoices),
the VAT report (/admin/vat), and the order page's list of its documents. Each document links to
its printable page and downloads, served by ``app/http.py``."""

from __future__ import annotations

import reflex as rx

from pages.catalog import localized, pager
from pages.components.admin import admin_list, admin_page
from pages.components.forms import error_callout
from pages.components.i18n import t
from pages.components.layout import shell
from pages.orders import section
from state.invoices import ADMIN_PATH, VAT_PATH, AdminInvoicesState as A, InvoicesState as I, OrderInvoicesState as O, VatReportState as V

KIND_COLORS = {"invoice": "teal", "credit_note": "amber"}
WIDE_ONLY = ["none", "table-cell"]  # the VAT report's counts: hidden on a phone, where the amounts matter


def document_links(item: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.link(rx.button(rx.icon("printer", size=14), t("invoices.view"), size="1", variant="soft"), href=item["href"], is_external=True),
        rx.link(rx.button(rx.icon("file_down", size=14), "PDF", size="1", variant="outline"), href=item["pdf"], is_external=True),
        rx.link(rx.button(rx.icon("file_code", size=14), "XML", size="1", variant="outline"), href=item["xml"], is_external=True),
        spacing="2",
        wrap="wrap",
    )


def invoice_card(item: rx.Var, *, show_recipient: bool = False) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.hstack(
                    rx.badge(localized(item, "kind"), color_scheme=rx.match(item["kind"], *KIND_COLORS.items(), "gray"), variant="soft", radius="full"),
                    rx.text(item["number"], size="2", weight="bold", dir="ltr", font_family="monospace"),
                    spacing="2",
                    align="center",
                    wrap="wrap",
                ),
                rx.text(localized(item, "purpose"), " · ", rx.link(t("invdoc.order"), " ", item["order"], href=item["order_href"]), size="2"),
                rx.cond(show_recipient, rx.text(t("invoices.recipient"), ": ", item["recipient"], size="2", color_scheme="gray", dir="auto")),
                rx.text(localized(item, "issued"), size="1", color_scheme="gray"),
                spacing="1",
                align="start",
                flex="1 1 14rem",
                min_width="0",
            ),
            rx.vstack(
                rx.text(localized(item, "gross"), size="4", weight="bold", color=rx.color("teal", 11)),
                rx.text(t("invoices.vat"), ": ", localized(item, "vat"), size="1", color_scheme="gray"),
                document_links(item),
                spacing="1",
                align="end",
            ),
            spacing="3",
            wrap="wrap",
            justify="between",
            align="center",
            width="100%",
        ),
        width="100%",
        class_name="invoice-row",
    )


def own_invoices() -> rx.Component:
    return shell(
        rx.cond(
            I.loaded,
            rx.vstack(
                rx.heading(t("invoices.title"), size="6", as_="h1"),
                rx.text(t("invoices.intro"), size="2", color_scheme="gray"),
                admin_list(I.items, invoice_card, "invoices.empty", "no-invoices"),
                pager(I),
                spacing="4",
                width="100%",
                max_width="56rem",
                margin_inline="auto",
            ),
            rx.center(rx.spinner(size="3"), padding="3rem"),
        )
    )


def date_field(key: str, name: str, value: rx.Var) -> rx.Component:
    control = f"filter-{name}"
    return rx.vstack(
        rx.el.label(t(key), html_for=control, style={"font_weight": "500", "font_size": "0.9rem"}),
        rx.input(type="date", name=name, id=control, default_value=value, size="2", dir="ltr"),
        spacing="1",
        flex="1 1 9rem",
    )


def admin_filter() -> rx.Component:
    return rx.form(
        rx.flex(
            date_field("invoices.from", "from", A.start),
            date_field("invoices.to", "to", A.end),
            rx.vstack(
                rx.el.label(t("invoices.kind"), html_for="filter-kind", style={"font_weight": "500", "font_size": "0.9rem"}),
                rx.el.select(
                    rx.el.option(t("invoices.kind_all"), value=""),
                    rx.el.option(t("invoices.kind_invoice"), value="invoice"),
                    rx.el.option(t("invoices.kind_credit_note"), value="credit_note"),
                    name="kind",
                    id="filter-kind",
                    default_value=A.kind,
                    style={"padding_block": "0.35rem", "padding_inline": "0.5rem", "border_radius": "6px", "border": f"1px solid {rx.color('gray', 7)}"},
                ),
                spacing="1",
                flex="1 1 9rem",
            ),
            rx.button(rx.icon("filter", size=16), t("invoices.filter"), type="submit", size="2"),
            spacing="3",
            align="end",
            wrap="wrap",
            width="100%",
        ),
        on_submit=A.apply_filter,
        width="100%",
        id="invoice-filter",
    )


def admin_invoices() -> rx.Component:
    return admin_page(
        ADMIN_PATH,
        A,
        "invoices.admin_title",
        rx.text(t("invoices.admin_intro"), size="2", color_scheme="gray"),
        admin_filter(),
        error_callout(A.error),
        admin_list(A.items, lambda item: invoice_card(item, show_recipient=True), "invoices.empty", "no-invoices"),
        pager(A),
    )


def vat_row(line: rx.Var, *, bold: bool = False) -> rx.Component:
    weight = "bold" if bold else "regular"
    return rx.table.row(
        rx.table.row_header_cell(rx.text(localized(line, "label"), weight=weight)),
        rx.table.cell(line["invoices"], display=WIDE_ONLY),
        rx.table.cell(line["credit_notes"], display=WIDE_ONLY),
        rx.table.cell(rx.text(localized(line, "taxable"), weight=weight), white_space="nowrap"),
        rx.table.cell(rx.text(localized(line, "vat"), weight=weight), white_space="nowrap"),
        class_name="vat-line",
    )


def vat_report() -> rx.Component:
    heading = rx.table.header(
        rx.table.row(
            rx.table.column_header_cell(t("vat.purpose")),
            rx.table.column_header_cell(t("vat.invoices"), display=WIDE_ONLY),
            rx.table.column_header_cell(t("vat.credit_notes"), display=WIDE_ONLY),
            rx.table.column_header_cell(t("vat.taxable")),
            rx.table.column_header_cell(t("vat.vat")),
        )
    )
    return admin_page(
        VAT_PATH,
        V,
        "vat.title",
        rx.text(t("vat.intro"), size="2", color_scheme="gray"),
        rx.form(
            rx.flex(
                date_field("invoices.from", "from", V.start),
                date_field("invoices.to", "to", V.end),
                rx.button(rx.icon("calculator", size=16), t("vat.show"), type="submit", size="2"),
                rx.button(rx.icon("download", size=16), t("vat.export"), type="button", on_click=V.export_csv, variant="outline", size="2", id="export-csv"),
                spacing="3",
                align="end",
                wrap="wrap",
                width="100%",
            ),
            on_submit=V.show,
            width="100%",
            id="vat-filter",
        ),
        error_callout(V.error),
        rx.text(localized(V.total, "period"), size="2", weight="medium"),
        rx.cond(
            V.lines.length() > 0,
            rx.box(
                rx.table.root(heading, rx.table.body(rx.foreach(V.lines, vat_row), vat_row(V.total, bold=True)), variant="surface", width="100%"),
                overflow_x="auto",
                width="100%",
            ),
            rx.card(rx.text(t("vat.empty"), color_scheme="gray"), width="100%", id="vat-empty"),
        ),
    )


def order_invoices() -> rx.Component:
    """The order page's documents for this viewer (nothing shown when there are none)."""
    return rx.cond(
        O.order_invoices.length() > 0,
        section(
            "invoices.order_documents",
            rx.vstack(
                rx.foreach(
                    O.order_invoices,
                    lambda item: rx.flex(
                        rx.vstack(
                            rx.text(item["number"], size="2", weight="bold", dir="ltr", font_family="monospace"),
                            rx.text(localized(item, "kind"), " · ", localized(item, "purpose"), size="1", color_scheme="gray"),
                            rx.text(localized(item, "gross"), size="2", weight="medium"),
                            spacing="0",
                            align="start",
                        ),
                        document_links(item),
                        justify="between",
                        align="center",
                        wrap="wrap",
                        spacing="2",
                        width="100%",
                        class_name="order-invoice",
                    ),
                ),
                spacing="3",
                width="100%",
            ),
            element_id="order-invoices",
        ),
    )
