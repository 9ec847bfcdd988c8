"""Sellers' Markdown as every page shows it: no raw HTML, no math, no remote images."""

from __future__ import annotations

import reflex as rx


def user_markdown(source: rx.Var) -> rx.Component:
    """Render untrusted Markdown; links get ``nofollow ugc`` and open no referrer."""
    return rx.markdown(
        source,
        use_raw=False,
        use_math=False,
        use_katex=False,
        component_map={
            "a": lambda text, **props: rx.link(text, **props, rel="nofollow ugc noopener noreferrer"),
            # a remote image in a description would tell its host who reads the page
            "img": lambda *children, **props: rx.el.span(),
        },
        class_name="gig-description",
        dir="auto",
    )
