"""Translated text in components: both languages are compiled in, the session picks one."""

from __future__ import annotations

import reflex as rx

from app.core.i18n import translate
from state.session import SessionState


def t(key: str) -> rx.Var:
    """The catalogue text of ``key`` in the viewer's language (a Var usable as child or prop)."""
    return rx.cond(SessionState.is_en, translate(key, "en"), translate(key, "ar"))


def pick(ar: str, en: str) -> rx.Var:
    """Choose between two texts given inline (data from settings, not the catalogue)."""
    return rx.cond(SessionState.is_en, en, ar)
