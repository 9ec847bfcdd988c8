"""«إبلاغ»: a small flag button opening a dialog to report a gig, a review or a person (on a
review about the viewer's own work it reads «الطعن في التقييم»: the same form files an appeal)."""

from __future__ import annotations

import reflex as rx

from app.core.i18n import translate
from pages.components.i18n import t
from state.reports import REASONS, ReportState
from state.session import SessionState


def _reasons() -> rx.Component:
    return rx.radio_group.root(
        rx.vstack(
            *[rx.radio_group.item(rx.text(t(f"report.reason_{reason}"), size="2"), value=reason) for reason in REASONS],
            spacing="2",
            align="start",
        ),
        name="reason",
        default_value="spam",
        required=True,
    )


def report_button(kind: str, target: rx.Var | str, *, label_key: str = "report.button") -> rx.Component:
    """The flag and its dialog for ``kind`` (gig, review, user) number ``target``; signed-in only."""
    return rx.cond(
        SessionState.signed_in,
        rx.dialog.root(
            rx.dialog.trigger(
                rx.button(rx.icon("flag", size=14), t(label_key), variant="ghost", color_scheme="gray", size="1", type="button", class_name=f"report-{kind}"),
            ),
            rx.dialog.content(
                rx.dialog.title(t(label_key)),
                rx.dialog.description(t("report.hint"), size="2"),
                rx.form(
                    rx.el.input(type="hidden", name="kind", value=kind),
                    rx.el.input(type="hidden", name="target", value=target),
                    rx.vstack(
                        _reasons(),
                        rx.text_area(
                            name="note",
                            max_length=1000,
                            placeholder=rx.cond(SessionState.is_en, translate("report.note", "en"), translate("report.note", "ar")),
                            width="100%",
                            rows="3",
                        ),
                        rx.flex(
                            rx.dialog.close(rx.button(t("report.send"), type="submit", size="2", color_scheme="red")),
                            rx.dialog.close(rx.button(t("report.cancel"), type="button", variant="soft", color_scheme="gray", size="2")),
                            spacing="3",
                        ),
                        spacing="3",
                        width="100%",
                    ),
                    on_submit=ReportState.file,
                    reset_on_submit=True,
                ),
                max_width="32rem",
            ),
        ),
    )
