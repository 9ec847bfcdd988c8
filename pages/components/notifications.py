"""The header's bell and one notification as a row (the bell's list and /notifications share it).

A row is a small form whose hidden ``key`` reaches ``NotificationsState.open_item``, which
marks it read and follows its link; unread rows carry a dot and a tinted background.
"""

from __future__ import annotations

import reflex as rx

from pages.components.i18n import t
from state.notifications import PATH, NotificationsState as N
from state.session import SessionState


# read by screen readers, not shown: the dot and the bold text say "unread" to the eye
VISUALLY_HIDDEN = {"position": "absolute", "inline_size": "1px", "block_size": "1px", "overflow": "hidden", "clip_path": "inset(50%)"}


def _localized(item: rx.Var, name: str) -> rx.Var:
    return rx.cond(SessionState.is_en, item[f"{name}_en"], item[f"{name}_ar"])


def notification_row(item: rx.Var, *, compact: bool = False) -> rx.Component:
    unread = item["read"] == ""
    return rx.form(
        rx.el.input(type="hidden", name="key", value=item["key"]),
        rx.el.button(
            rx.hstack(
                rx.box(
                    width="0.5rem",
                    height="0.5rem",
                    border_radius="50%",
                    flex_shrink="0",
                    margin_block_start="0.45rem",
                    background_color=rx.cond(unread, rx.color("teal", 9), "transparent"),
                    aria_hidden="true",
                ),
                rx.vstack(
                    rx.text(_localized(item, "text"), size="2", weight=rx.cond(unread, "bold", "regular"), text_align="start"),
                    rx.text(_localized(item, "at"), size="1", color_scheme="gray"),
                    rx.cond(unread, rx.el.span(t("notifications.unread"), style=VISUALLY_HIDDEN)),
                    spacing="1",
                    align="start",
                    min_width="0",
                ),
                spacing="2",
                align="start",
                width="100%",
            ),
            type="submit",
            width="100%",
            text_align="start",
            cursor="pointer",
            border="none",
            background_color=rx.cond(unread, rx.color("teal", 2), "transparent"),
            padding_block="0.6rem" if compact else "0.8rem",
            padding_inline="0.75rem",
            border_radius="var(--radius-3)",
            _hover={"background_color": rx.color("gray", 3)},
            class_name=rx.cond(unread, "notification-row unread", "notification-row"),
        ),
        on_submit=N.open_item,
        width="100%",
    )


def notification_list(items: rx.Var, *, compact: bool = False, element_id: str = "") -> rx.Component:
    """The rows, or «لا إشعارات بعد»."""
    return rx.cond(
        items.length() > 0,
        rx.vstack(rx.foreach(items, lambda item: notification_row(item, compact=compact)), spacing="1", width="100%", id=element_id or None),
        rx.text(t("notifications.empty"), size="2", color_scheme="gray", padding_block="0.5rem", id="no-notifications" if element_id else None),
    )


def bell() -> rx.Component:
    """The header's bell: the unread count, and a popover with the newest items."""
    return rx.popover.root(
        rx.popover.trigger(
            rx.button(
                rx.icon("bell", size=18, aria_hidden="true"),
                rx.cond(
                    SessionState.unread_notifications > 0,
                    rx.badge(SessionState.unread_notifications, color_scheme="amber", variant="solid", radius="full", size="1", id="bell-count"),
                ),
                variant="ghost",
                size="2",
                id="header-bell",
                aria_label=t("nav.notifications"),
            )
        ),
        rx.popover.content(
            rx.vstack(
                rx.hstack(
                    rx.text(t("notifications.title"), weight="bold", size="3"),
                    rx.button(t("notifications.mark_all"), on_click=N.mark_all_read, variant="ghost", size="1", id="bell-mark-all"),
                    justify="between",
                    align="center",
                    width="100%",
                ),
                notification_list(N.latest, compact=True),
                rx.link(t("notifications.see_all"), href=PATH, size="2", weight="medium", id="bell-see-all"),
                spacing="2",
                width="100%",
            ),
            width="min(24rem, calc(100vw - 2rem))",
            max_height="70vh",
            overflow_y="auto",
            dir=SessionState.text_dir,
            id="bell-popover",
        ),
        on_open_change=N.open_bell,
    )
