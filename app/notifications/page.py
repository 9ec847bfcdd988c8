"""The unsubscribe page a mail's link opens (served by ``app/http.py`` without a session).

GET only shows the question and a button, so a mail scanner that follows links changes
nothing; the button (and a mail client's RFC 8058 one-click POST) turns the group off.
"""

from __future__ import annotations

from html import escape

from app.core.i18n import direction, translate
from app.notifications.kinds import Group


def unsubscribe_page(lang: str, *, group: Group | None, done: bool) -> str:
    """The page: the question with its button, the confirmation, or the invalid-link sentence."""
    t = lambda key, **params: escape(translate(key, lang, **params))  # noqa: E731
    if group is None:
        body = f'<p role="alert">{t("notification.link_invalid")}</p>'
    else:
        label = translate(f"notification.group_{group.value}", lang)
        if done:
            body = f'<p role="status">{t("unsubscribe.done", group=label)}</p>'
        else:
            body = (
                f'<p>{t("unsubscribe.confirm", group=label)}</p>'
                f'<form method="post"><button type="submit">{t("unsubscribe.button")}</button></form>'
            )
    return (
        f'<!doctype html><html lang="{lang}" dir="{direction(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">'
        f'<title>{t("unsubscribe.title")} | {t("brand.name")}</title><link rel="stylesheet" href="/seo/site.css">'
        "<style>main{max-inline-size:36rem;margin-inline:auto;padding:2rem 1rem;font-size:1.1rem;line-height:1.8}"
        "button{padding-block:.6rem;padding-inline:1.2rem;font:inherit;border-radius:.5rem;border:0;"
        "background:#0d9488;color:#fff;cursor:pointer}</style></head>"
        f'<body><main><h1>{t("unsubscribe.title")}</h1>{body}'
        f'<p><a href="/account#notifications">{t("unsubscribe.manage")}</a></p></main></body></html>'
    )
