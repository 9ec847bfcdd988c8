"""Translations: one flat JSON catalogue per language under ``app/core/locales``.

Arabic is the reference language: every key exists in ``ar.json``; a test keeps ``en.json``
in step. Keys look like ``<area>.<name>``; messages may use ``{named}`` parameters.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("ar", "en")
DEFAULT_LANGUAGE = "ar"
_LOCALES = Path(__file__).with_name("locales")


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """Return the messages of ``lang`` (unknown languages get Arabic)."""
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    return json.loads((_LOCALES / f"{lang}.json").read_text(encoding="utf-8"))


def normalise_language(lang: object) -> str:
    """Map anything a client sends to a supported language code."""
    return lang if isinstance(lang, str) and lang in LANGUAGES else DEFAULT_LANGUAGE


def direction(lang: str) -> str:
    return "rtl" if normalise_language(lang) == "ar" else "ltr"


def translate(key: str, lang: str = DEFAULT_LANGUAGE, **params: object) -> str:
    """Translate ``key``; a missing key falls back to Arabic, then to the key itself."""
    text = catalogue(normalise_language(lang)).get(key) or catalogue(DEFAULT_LANGUAGE).get(key, key)
    if params:
        try:
            return text.format_map(params)
        except (KeyError, IndexError, ValueError):
            return text
    return text
