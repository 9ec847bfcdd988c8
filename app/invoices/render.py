"""Lay out an ``InvoiceSheet``: a printable HTML page and a PDF, both right to left.

The HTML is a whole document served by ``app/http.py`` (no Reflex: it prints as it is, with the
QR as an inline PNG and the site's own font file, nothing fetched elsewhere); every value is
escaped. The PDF is drawn with fpdf2, whose HarfBuzz shaping (``set_text_shaping``) joins the
Arabic letters and orders mixed Arabic and Latin text by the Unicode bidi algorithm, with the
bundled IBM Plex Sans Arabic (``fonts``: its Arabic subset, falling back to its Latin one)
embedded.
"""

from __future__ import annotations

import base64
import io
import json
from dataclasses import dataclass
from html import escape

from sqlmodel import Session

from app.core.i18n import translate
from app.invoices.fonts import font_path
from app.invoices.queries import invoice_as_dict
from app.invoices.sheet import Field, InvoiceSheet, invoice_sheet, qr_png
from models.invoices import Invoice

_CSS = """
@import url("/fonts.css");
body{font-family:'IBM Plex Sans Arabic',system-ui,sans-serif;margin:0;background:#f4f5f5;color:#1c2024}
.sheet{max-width:52rem;margin-inline:auto;margin-block:1.5rem;background:#fff;padding:2rem;border:1px solid #dfe3e6}
header{display:flex;justify-content:space-between;align-items:flex-start;gap:1rem;flex-wrap:wrap;border-block-end:2px solid #0d9488;padding-block-end:1rem}
h1{font-size:1.4rem;margin:0;color:#0f766e}
.en{color:#60646c;font-size:.85em}
th .en,h1 .en{display:block;font-weight:400}
.qr{width:9rem;height:9rem;image-rendering:pixelated}
section{margin-block-start:1.25rem}
h2{font-size:1rem;margin-block:0 .5rem;color:#0f766e}
table{width:100%;border-collapse:collapse}
th,td{text-align:start;padding:.4rem .5rem;border-block-end:1px solid #e8e8ec;vertical-align:top}
th{background:#f0fdfa;font-weight:600}
.fields th{width:40%;background:none;font-weight:500}
.num{direction:ltr;unicode-bidi:isolate;white-space:nowrap}
.parties{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:1rem}
.lines{overflow-x:auto}
.totals{max-width:26rem;margin-inline-start:auto}
.totals tr:last-child td,.totals tr:last-child th{font-weight:700;font-size:1.1em;border-block-end:2px solid #0d9488}
.actions{display:flex;gap:.5rem;flex-wrap:wrap;margin-block-start:1.5rem}
.actions a,.actions button{font:inherit;padding:.45rem .9rem;border-radius:.4rem;border:1px solid #0d9488;background:#fff;color:#0f766e;text-decoration:none;cursor:pointer}
.fields td .num{white-space:normal;overflow-wrap:anywhere}
@media (max-width:40rem){.sheet{padding:1rem;margin-block:0;border:0}.qr{width:7rem;height:7rem}
.fields th,.fields td{display:block;width:auto}.fields th{border:0;padding-block-end:0}
.fields th .en{display:inline;margin-inline-start:.3rem}}
@media print{body{background:#fff}.sheet{border:0;margin:0;max-width:none}.actions{display:none}}
"""


def _label(field: Field) -> str:
    return f'{escape(field.ar)} <span class="en" lang="en" dir="ltr">{escape(field.en)}</span>'


def _value(field: Field) -> str:
    return f'<span class="num">{escape(field.value)}</span>' if field.ltr else f'<bdi>{escape(field.value)}</bdi>'


def _fields(fields: tuple[Field, ...], css: str = "fields") -> str:
    rows = "".join(f"<tr><th scope=\"row\">{_label(f)}</th><td>{_value(f)}</td></tr>" for f in fields)
    return f'<table class="{css}">{rows}</table>'


def render_html(sheet: InvoiceSheet, *, links: dict[str, str] | None = None) -> str:
    """The whole printable page; ``links`` maps ``pdf``/``xml`` to their download addresses."""
    qr = base64.b64encode(qr_png(sheet.qr)).decode("ascii")
    heads = "".join(f"<th scope=\"col\">{_label(c)}</th>" for c in sheet.columns)
    body = "".join(
        "<tr>" + "".join("<td>" + "".join(f'<div dir="auto">{escape(part)}</div>' for part in cell.split(chr(10))) + "</td>" if i == 0 else f'<td><span class="num">{escape(cell)}</span></td>' for i, cell in enumerate(line)) + "</tr>"
        for line in sheet.lines
    )
    actions = f'<button type="button" onclick="window.print()">{escape(translate("invdoc.print", "ar"))}</button>'
    for kind, href in (links or {}).items():
        actions += f'<a href="{escape(href)}" download>{escape(translate(f"invdoc.download_{kind}", "ar"))}</a>'
    return f"""<!doctype html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>{escape(sheet.title_ar)} {escape(sheet.number)}</title><style>{_CSS}</style></head>
<body><main class="sheet">
<header><div><h1>{escape(sheet.title_ar)} <span class="en" lang="en" dir="ltr">{escape(sheet.title_en)}</span></h1>
<p><strong>{escape(sheet.platform_ar)}</strong><br><span class="en" lang="en" dir="ltr">{escape(sheet.platform_en)}</span></p></div>
<img class="qr" id="invoice-qr" alt="{escape(translate('invdoc.qr_alt', 'ar'))}" src="data:image/png;base64,{qr}"></header>
<section>{_fields(sheet.details)}</section>
<section class="parties"><div><h2>{_label(_heading('supplier'))}</h2>{_fields(sheet.supplier)}</div>
<div><h2>{_label(_heading('customer'))}</h2>{_fields(sheet.customer)}</div></section>
<section class="lines"><table><thead><tr>{heads}</tr></thead><tbody>{body}</tbody></table></section>
<section>{_fields(sheet.totals, "fields totals")}</section>
<div class="actions">{actions}</div>
</main></body></html>
"""


def _heading(key: str) -> Field:
    return Field(translate(f"invdoc.{key}", "ar"), translate(f"invdoc.{key}", "en"), "")


# -- PDF -----------------------------------------------------------------------------------------

TEAL = (15, 118, 110)
GREY = (96, 100, 108)
LINE = (220, 224, 228)


def render_pdf(sheet: InvoiceSheet) -> bytes:
    """An A4 PDF of the sheet with its QR image, Arabic shaped and right to left."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(format="A4")
    pdf.set_title(f"{sheet.title_en} {sheet.number}")
    pdf.set_creator("Mihan")
    pdf.set_margins(14, 14, 14)
    for style, weight in (("", 400), ("B", 700)):
        pdf.add_font("plex", style, str(font_path("arabic", weight)))
        pdf.add_font("plex-latin", style, str(font_path("latin", weight)))
    pdf.set_fallback_fonts(["plex-latin"])  # digits, codes and English
    pdf.set_text_shaping(True)
    pdf.add_page()
    width = pdf.epw
    # the heading at the right, the QR at the left (the inline end of a right-to-left page)
    pdf.image(io.BytesIO(qr_png(sheet.qr, scale=6)), x=pdf.l_margin, y=pdf.t_margin, w=34, h=34)
    pdf.set_font("plex", "B", 16)
    pdf.set_text_color(*TEAL)
    pdf.set_x(pdf.l_margin + 38)
    pdf.cell(width - 38, 9, sheet.title_ar, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("plex", "", 11)
    pdf.set_text_color(*GREY)
    pdf.set_x(pdf.l_margin + 38)
    pdf.cell(width - 38, 6, sheet.title_en, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("plex", "B", 12)
    pdf.set_x(pdf.l_margin + 38)
    pdf.cell(width - 38, 8, sheet.platform_ar, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("plex", "", 10)
    pdf.set_x(pdf.l_margin + 38)
    pdf.cell(width - 38, 6, sheet.platform_en, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), pdf.t_margin + 36) + 2)

    def fields(rows: tuple[Field, ...], heading: Field | None = None, *, bold_last: bool = False) -> None:
        if heading is not None:
            pdf.set_font("plex", "B", 11)
            pdf.set_text_color(*TEAL)
            pdf.cell(width, 8, f"{heading.ar} / {heading.en}", align="R", new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(0, 0, 0)
        for index, row in enumerate(rows):
            pdf.set_font("plex", "B" if bold_last and index == len(rows) - 1 else "", 9.5)
            top = pdf.get_y()
            # right to left: the label in the right column, the value in the left one
            pdf.set_xy(pdf.l_margin + width * 0.58, top)
            pdf.multi_cell(width * 0.42, 6, f"{row.ar} / {row.en}", align="R", new_x="LMARGIN", new_y="NEXT")
            label_bottom = pdf.get_y()
            pdf.set_xy(pdf.l_margin, top)
            pdf.multi_cell(width * 0.56, 6, row.value, align="R", new_x="LMARGIN", new_y="NEXT")
            pdf.set_y(max(pdf.get_y(), label_bottom, top + 6))
            pdf.set_draw_color(*LINE)
            pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
        pdf.ln(3)

    fields(sheet.details)
    fields(sheet.supplier, _heading("supplier"))
    fields(sheet.customer, _heading("customer"))
    pdf.set_font("plex", "", 8.5)
    pdf.set_draw_color(*LINE)
    # columns laid right to left: the description first at the right
    with pdf.table(
        col_widths=(20, 18, 12, 20, 8, 44),
        text_align=("CENTER",) * 5 + ("RIGHT",),
        headings_style=FontFace(emphasis="BOLD", color=TEAL, fill_color=(240, 253, 250)),
        line_height=5,
    ) as table:
        table.row([f"{c.ar}\n{c.en}" for c in reversed(sheet.columns)])
        for line in sheet.lines:
            table.row(list(reversed(line)))
    pdf.ln(4)
    fields(sheet.totals, bold_last=True)
    return bytes(pdf.output())


# -- one entry point for the CLI and the download route ------------------------------------------

FORMATS = ("xml", "json", "pdf", "html")
MEDIA_TYPES = {"xml": "application/xml", "json": "application/json", "pdf": "application/pdf", "html": "text/html; charset=utf-8"}


@dataclass(frozen=True)
class ExportedDocument:
    content: bytes
    media_type: str
    filename: str


def export_document(session: Session, invoice: Invoice, fmt: str, *, links: dict[str, str] | None = None) -> ExportedDocument:
    """An issued document as its stamped XML, the JSON, the PDF or the printable page."""
    if fmt == "xml":
        content = invoice.xml.encode("utf-8")
    elif fmt == "json":
        content = (json.dumps(invoice_as_dict(session, invoice), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    elif fmt == "pdf":
        content = render_pdf(invoice_sheet(session, invoice))
    elif fmt == "html":
        content = render_html(invoice_sheet(session, invoice), links=links).encode("utf-8")
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return ExportedDocument(content, MEDIA_TYPES[fmt], f"{invoice.number}.{fmt}")
