"""The custom offer's fields (which gig, what, price, days, revisions, validity), shared by the
thread's «أرسل عرضًا خاصًا» dialog and the requests board's «أرسل عرضًا»."""

from __future__ import annotations

import reflex as rx

from app.offers import POLICY
from pages.components.forms import field, select_field, text_area
from pages.components.i18n import t

def offer_fields(gigs: rx.Var, prefix: str) -> rx.Component:
    """The fields, with control ids starting ``prefix`` (two dialogs may share a page)."""
    return rx.vstack(
        select_field("offers.gig", "gig", gigs, lambda gig: gig["label"], control_id=f"{prefix}-gig"),
        text_area("offers.description", "description", control_id=f"{prefix}-description", rows="4", max_length=POLICY.max_description, required=True, dir="auto"),
        rx.grid(
            field("offers.price", "price", control_id=f"{prefix}-price", input_mode="decimal", required=True),
            field("offers.days", "days", control_id=f"{prefix}-days", type="number", min=1, max=POLICY.max_days, required=True),
            field("offers.revisions", "revisions", control_id=f"{prefix}-revisions", type="number", min=0, max=POLICY.max_revisions, default_value="1"),
            field("offers.expires", "expires", control_id=f"{prefix}-expires", type="number", min=1, max=POLICY.max_expiry_days, default_value=str(POLICY.default_expiry_days)),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="3",
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def offer_dialog(*, title_key: str, hint_key: str, gigs: rx.Var, prefix: str, is_open: rx.Var, on_submit: rx.EventHandler, on_close: rx.EventHandler, hidden: rx.Component | None = None) -> rx.Component:
    """A dialog around ``offer_fields`` with «إرسال العرض» (``#<prefix>-send``) and «إلغاء»."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(t(title_key)),
            rx.dialog.description(t(hint_key), size="2"),
            rx.form(
                rx.vstack(
                    *([hidden] if hidden is not None else []),
                    offer_fields(gigs, prefix),
                    rx.flex(
                        rx.button(t("offers.submit"), type="submit", size="2", id=f"{prefix}-send"),
                        rx.button(t("offers.cancel"), type="button", variant="soft", color_scheme="gray", size="2", on_click=on_close),
                        spacing="3",
                    ),
                    spacing="3",
                    width="100%",
                ),
                on_submit=on_submit,
            ),
            max_width="34rem",
        ),
        open=is_open,
        on_open_change=on_close,
    )
