"""«الإشعارات» (/notifications): every notification, newest first, paged, with «تعليم الكل كمقروء»."""

from __future__ import annotations

import reflex as rx

from pages.catalog import pager
from pages.components.i18n import t
from pages.components.layout import shell
from pages.components.notifications import notification_list
from state.notifications import NotificationsState as N


def notifications_page() -> rx.Component:
    return shell(
        rx.cond(
            N.loaded,
            rx.vstack(
                rx.flex(
                    rx.heading(t("notifications.title"), size="6", as_="h1"),
                    rx.button(rx.icon("check_check", size=16), t("notifications.mark_all"), on_click=N.mark_all_read, variant="soft", id="mark-all-read"),
                    justify="between",
                    align="center",
                    wrap="wrap",
                    gap="0.75rem",
                    width="100%",
                ),
                rx.text(t("notifications.intro"), size="2", color_scheme="gray"),
                rx.card(notification_list(N.items, element_id="notification-list"), width="100%"),
                pager(N),
                spacing="4",
                width="100%",
                max_width="48rem",
                margin_inline="auto",
            ),
            rx.center(rx.spinner(size="3"), padding="3rem"),
        )
    )
