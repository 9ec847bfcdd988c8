"""Plain-text checks shared by every capability that stores what people type."""

from __future__ import annotations

import re
import unicodedata

# The bidi embedding, override and isolate marks, which can flip how a neighbouring name or
# number reads; Arabic's joiners and the directional marks LRM, RLM and ALM stay allowed.
_BIDI_OVERRIDES = re.compile("[\u202a-\u202e\u2066-\u2069]")
BLANK_LINES = re.compile(r"\n{3,}")


def has_hidden_characters(text: str) -> bool:
    """Whether ``text`` holds control characters (other than line breaks and tabs), lone
    surrogates or bidi overrides."""
    if _BIDI_OVERRIDES.search(text):
        return True
    return any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\n\t" for ch in text)


def tidy(text: str) -> str:
    """Line breaks unified, NFC, tabs as spaces, three or more blank lines folded, stripped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return BLANK_LINES.sub("\n\n", unicodedata.normalize("NFC", text).replace("\t", " ")).strip()
