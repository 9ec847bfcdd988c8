"""The one place that assembles Mihan: pages, right-to-left wraps, fonts, HTTP routes."""

from __future__ import annotations

import reflex as rx

from app.core.settings import get_settings
from app.http import build_routes
from pages import ROUTES
from state.session import SessionState

get_settings()  # a worker refuses to start on settings that would break invoices (SettingsError names them)

FONT_PRELOAD = "/fonts/ibm-plex-sans-arabic-arabic-400-normal.woff2"

# Set lang/dir from the language cookie before React renders, so English readers never see
# the right-to-left layout flash.
EARLY_DIRECTION = (
    "(function(){var m=document.cookie.match(/(?:^|; )mihan_lang=([^;]*)/);"
    "if(m&&m[1]==='en'){document.documentElement.lang='en';document.documentElement.dir='ltr';}})();"
)


class DirectionProvider(rx.Component):
    """Radix's direction context: Radix Themes hard-codes ltr, so set it inside the Theme."""

    library = "@radix-ui/react-direction@1.2.0"
    tag = "DirectionProvider"
    dir: rx.Var[str]


app = rx.App(
    html_lang="ar",
    html_custom_attrs={"dir": "rtl"},
    stylesheets=["/fonts.css", "/mihan.css"],
    head_components=[
        rx.el.link(rel="preload", href=FONT_PRELOAD, custom_attrs={"as": "font"}, type="font/woff2", cross_origin="anonymous"),
        rx.el.link(rel="icon", href="/logo.svg", type="image/svg+xml"),
        rx.script(EARLY_DIRECTION),
        rx.script(src="/voice.js", defer=True),  # the messages' voice-note recorder (MediaRecorder)
    ],
    extra_app_wraps={(10, "DirectionProvider"): lambda stateful: DirectionProvider.create(dir=SessionState.text_dir if stateful else "rtl")},
    api_transformer=build_routes(),
    toaster=rx.toast.provider(position="top-center", rich_colors=True),
)

for route in ROUTES:
    app.add_page(
        route.component,
        route=route.path,
        title=route.title,
        description=route.description,
        image="/logo.svg",
        on_load=[SessionState.refresh, *route.on_load],
    )
