"""What a review may hold: whole-star ratings and plain text.

Ratings are integers from 1 to 5, strictly: a bool, a float or a string is refused here, so the
browser-facing layer must parse what a form sends first. Text is plain text, never Markdown or
HTML: it is shown as text (escaped) everywhere, and markup is refused outright so a review
never reads as broken code. Control characters and the bidi embedding, override and isolate
marks (which can flip how a neighbouring name or number reads) are refused; Arabic's joiners and
the directional marks LRM, RLM and ALM stay allowed.
"""

from __future__ import annotations

import re

from app.core.text import has_hidden_characters, tidy
from app.reviews.errors import ReviewError

STARS = range(1, 6)
_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?][^<>]*>|&(#\d+|#x[0-9a-fA-F]+|[A-Za-z]+);")


def rating(value: object, key: str = "review.invalid_rating") -> int:
    """A whole number of stars from 1 to 5.

    Raises:
        ReviewError: ``review.invalid_rating`` (or ``key``) for anything else, ``True`` included.
    """
    if type(value) is not int or value not in STARS:
        raise ReviewError(key)
    return value


def plain_text(value: object, *, limit: int, key: str, required: bool = False) -> str:
    """Stripped plain text of at most ``limit`` characters (line breaks kept, three or more
    blank lines folded to one).

    Raises:
        ReviewError: ``key`` (not text, empty when ``required``, too long),
            ``review.markup`` (HTML tags or entities), ``review.hidden_characters``.
    """
    if not isinstance(value, str):
        raise ReviewError(key, limit=limit)
    if len(value) > limit * 4:  # far too long: refuse before scanning it
        raise ReviewError(key, limit=limit)
    if has_hidden_characters(value.replace("\r", "\n")):
        raise ReviewError("review.hidden_characters")
    text = tidy(value)
    if _MARKUP.search(text):
        raise ReviewError("review.markup")
    if (required and not text) or len(text) > limit:
        raise ReviewError(key, limit=limit)
    return text
