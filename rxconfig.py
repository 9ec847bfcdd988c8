"""Reflex configuration: Mihan's settings decide the database; telemetry is off; plugins listed."""

import reflex as rx

from app.core.settings import get_settings

_settings = get_settings()

config = rx.Config(
    app_name="app",
    db_url=_settings.database_url,
    deploy_url=_settings.base_url,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(accent_color="teal", gray_color="sand", radius="large", scaling="100%"),
        ),
        rx.plugins.SitemapPlugin(),
    ],
)
