"""Reflex configuration: Mihan's settings decide the database; telemetry is off; plugins listed
(the sitemap plugin disabled: app/seo serves /sitemap.xml)."""

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
    ],
    # Our /sitemap.xml (app/seo/sitemap.py) lists the server-rendered public pages; Reflex's
    # build-time sitemap would list only the app's static routes.
    disable_plugins=[rx.plugins.SitemapPlugin],
)
