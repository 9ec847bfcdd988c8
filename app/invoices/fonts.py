"""The PDF's fonts: the bundled IBM Plex Sans Arabic (OFL), as the TrueType files fpdf2 embeds.

The web app ships the font as WOFF2 subsets (``assets/fonts``: an Arabic and a Latin subset per
weight). fpdf2 embeds TrueType, so the first PDF decompresses the subsets it uses with fontTools
(about a second) into ``$MIHAN_DATA_DIR/cache/fonts`` (written under a temporary name and
renamed into place); the PDF then draws Arabic with the Arabic subset and falls back to the
Latin one for digits, codes and English. The Latin subset's ligature table is dropped: Latin
text needs no shaping, and HarfBuzz mangled its ``fi`` ligature.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

from app.core.settings import PROJECT_ROOT, get_settings

FONT_DIR = PROJECT_ROOT / "assets" / "fonts"
FAMILY = "ibm-plex-sans-arabic"
SUBSETS = ("arabic", "latin")
_lock = threading.Lock()


def font_path(subset: str, weight: int) -> Path:
    """The TTF of ``subset`` (arabic or latin) at ``weight`` (400, 500 or 700), made on first use."""
    target = get_settings().data_dir / "cache" / "fonts" / f"{FAMILY}-{subset}-{weight}.ttf"
    if target.is_file():
        return target
    with _lock:
        if not target.is_file():
            _convert(FONT_DIR / f"{FAMILY}-{subset}-{weight}-normal.woff2", target, keep_ligatures=subset != "latin")
    return target


def _convert(source: Path, target: Path, *, keep_ligatures: bool) -> None:
    from fontTools.ttLib import TTFont

    target.parent.mkdir(parents=True, exist_ok=True)
    font = TTFont(source)
    font.flavor = None
    if not keep_ligatures and "GSUB" in font:
        del font["GSUB"]
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".ttf")
    os.close(handle)
    try:
        font.save(temporary)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
