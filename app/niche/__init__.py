"""The niche a pilot runs: its categories, cities and dialects, read from a JSON settings file.

The bundled file describes the Gulf voice-over pilot; ``MIHAN_NICHE_FILE`` points at another.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from app.core.settings import get_settings, load_json


@dataclass(frozen=True)
class Named:
    slug: str
    name_ar: str
    name_en: str
    icon: str = ""
    description_ar: str = ""
    description_en: str = ""


@dataclass(frozen=True)
class Niche:
    slug: str
    name_ar: str
    name_en: str
    tagline_ar: str
    tagline_en: str
    categories: tuple[Named, ...]
    cities: tuple[Named, ...]
    dialects: tuple[Named, ...]


def _named(item: dict) -> Named:  # type: ignore[type-arg]
    description = item.get("description", {})
    return Named(
        slug=item["slug"],
        name_ar=item["name"]["ar"],
        name_en=item["name"]["en"],
        icon=item.get("icon", ""),
        description_ar=description.get("ar", ""),
        description_en=description.get("en", ""),
    )


@lru_cache(maxsize=4)
def _load(path: Path) -> Niche:
    raw = load_json(path)
    assert isinstance(raw, dict)
    return Niche(
        slug=raw["slug"],
        name_ar=raw["name"]["ar"],
        name_en=raw["name"]["en"],
        tagline_ar=raw["tagline"]["ar"],
        tagline_en=raw["tagline"]["en"],
        categories=tuple(_named(c) for c in raw["categories"]),
        cities=tuple(_named(c) for c in raw["cities"]),
        dialects=tuple(_named(d) for d in raw["dialects"]),
    )


def get_niche() -> Niche:
    """The configured niche (cached per file)."""
    return _load(get_settings().niche_file)
