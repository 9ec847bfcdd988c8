"""The seller's «توثيق الهوية» card on «خدماتي»: their status, the latest decision's reason, and
the request form (an identity document, or a Saudi freelance document number)."""

from __future__ import annotations

import reflex as rx

from app.core.i18n import translate
from app.trust.identity import MAX_BYTES, MONTHLY_CAP
from pages.catalog import identity_badge
from pages.components.files import document_picker
from pages.components.forms import error_callout, field
from pages.components.i18n import pick, t
from state.identity import IdentityState as S

UPLOAD_ID = "identity-document"
MB = MAX_BYTES // (1024 * 1024)


def _name_field(**props) -> rx.Component:  # type: ignore[no-untyped-def]
    return field("identity.name_label", "name", control_id=props.pop("control_id"), max_length=120, auto_complete="name", dir="auto", **props)


def _number_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            _name_field(control_id="identity-name-number", required=True),
            field(
                "identity.number_label", "number", control_id="identity-number", hint="identity.number_hint",
                max_length=20, dir="ltr", placeholder="FL-123456789", auto_complete="off", required=True,
            ),
            rx.button(t("identity.submit"), type="submit", size="2", id="identity-send-number"),
            spacing="3",
            align="start",
            width="100%",
        ),
        on_submit=S.request_number,
        width="100%",
    )


def _document_form() -> rx.Component:
    return rx.vstack(
        _name_field(control_id="identity-name-document", default_value=S.legal_name, on_blur=S.set_legal_name),
        rx.el.label(t("identity.file_label"), html_for=UPLOAD_ID, style={"font_weight": "500"}),
        *document_picker(UPLOAD_ID, "identity.pick_file", max_bytes=MAX_BYTES, on_drop_rejected=S.file_refused),
        rx.text(pick(*(translate("identity.file_hint", lang, mb=MB) for lang in ("ar", "en"))), size="1", color_scheme="gray"),
        rx.button(
            t("identity.submit"), type="button", size="2", id="identity-send-document",
            on_click=S.upload_document(rx.upload_files(upload_id=UPLOAD_ID)),
        ),
        spacing="2",
        align="start",
        width="100%",
    )


def _request_form() -> rx.Component:
    return rx.vstack(
        rx.text(t("identity.method_label"), weight="medium", size="2"),
        rx.radio_group.root(
            rx.flex(
                rx.radio_group.item(rx.text(t("identity.method_document"), size="2"), value="document"),
                rx.radio_group.item(rx.text(t("identity.method_freelance"), size="2"), value="freelance"),
                spacing="4",
                wrap="wrap",
            ),
            value=S.method,
            on_change=S.set_method,
            id="identity-method",
        ),
        rx.cond(S.method == "freelance", _number_form(), _document_form()),
        spacing="3",
        width="100%",
    )


def _reason() -> rx.Component:
    return rx.callout(
        rx.vstack(
            rx.text(rx.cond(S.status == "withdrawn", t("identity.withdrawn_note"), t("identity.rejected_note"))),
            rx.text(S.reason, weight="medium", dir="auto", style={"white_space": "pre-line"}),
            rx.cond(S.can_request, rx.text(t("identity.try_again"), size="1")),
            spacing="1",
            align="start",
        ),
        icon="info",
        color_scheme="red",
        size="1",
        width="100%",
        id="identity-reason",
    )


def identity_card() -> rx.Component:
    """Shown to sellers under their level card."""
    return rx.cond(
        S.loaded,
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.heading(t("identity.title"), size="4", as_="h2"),
                    rx.cond(S.verified, identity_badge()),
                    spacing="3",
                    align="center",
                    wrap="wrap",
                ),
                rx.cond(
                    S.verified,
                    rx.text(t("identity.verified_note"), size="2", color_scheme="gray", id="identity-verified"),
                    rx.cond(
                        S.status == "pending",
                        rx.callout(
                            pick(S.pending_ar, S.pending_en),
                            icon="hourglass",
                            color_scheme="amber",
                            width="100%",
                            id="identity-pending",
                        ),
                        rx.vstack(
                            rx.text(t("identity.intro"), size="2", color_scheme="gray"),
                            rx.cond(S.reason != "", _reason()),
                            error_callout(S.error),
                            rx.cond(
                                S.capped,
                                rx.text(pick(*(translate("identity.capped_note", lang, count=MONTHLY_CAP) for lang in ("ar", "en"))), size="2", id="identity-capped"),
                                _request_form(),
                            ),
                            spacing="3",
                            width="100%",
                        ),
                    ),
                ),
                spacing="3",
                width="100%",
            ),
            width="100%",
            id="identity-card",
        ),
    )
