"""Readable URL slugs in any script: «تعليق صوتي لإعلانك» → ``تعليق-صوتي-لإعلانك``.

The id in front of a slug (``/ar/gigs/12-تعليق-صوتي``) keeps URLs unique, so slugs only have
to read well; a request whose slug differs from the current one is redirected (301) to it.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

MAX_LENGTH = 60
# Harakat, superscript alef and tatweel carry no meaning in a URL and vary between spellings.
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_SEPARATORS = re.compile(r"[^\w]+|_+")


def slugify(text: str, *, max_length: int = MAX_LENGTH) -> str:
    """Lower-case, NFKC-normalised words joined by hyphens, cut at a word boundary."""
    text = _MARKS.sub("", unicodedata.normalize("NFKC", text)).lower()
    words = [w for w in _SEPARATORS.split(text) if w]
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or (words[0][:max_length] if words else "")


def id_slug(item_id: int, text: str) -> str:
    """``<id>-<slug>`` (just the id when the text has no word characters)."""
    slug = slugify(text)
    return f"{item_id}-{slug}" if slug else str(item_id)


def parse_id_slug(key: str) -> tuple[int, str] | None:
    """Split ``<id>-<slug>``; ``None`` when it does not start with a positive id."""
    head, _, slug = key.partition("-")
    if not head.isascii() or not head.isdigit() or len(head) > 18 or int(head) <= 0:
        return None
    return int(head), slug


def url_path(path: str) -> str:
    """Percent-encode a path's non-ASCII characters (``/`` kept) for hrefs and XML."""
    return quote(path, safe="/-._~?=&")
