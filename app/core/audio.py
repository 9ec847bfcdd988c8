"""Audio typed by content: what a browser's ``<audio>`` plays, found by parsing, never by name.

mutagen is handed a nameless file object, because its MP3 detector otherwise scores a ``.mp3``
name and then hunts for a frame sync anywhere in the file, junk included. The gig gallery's
samples and the messages' voice notes and attachments both read audio through ``probe``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import mutagen
from mutagen.flac import FLAC
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4
from mutagen.oggopus import OggOpus
from mutagen.oggvorbis import OggVorbis
from mutagen.wave import WAVE

# Formats the browsers' <audio> element plays, as (extension, MIME type) for each mutagen class.
AUDIO_FORMATS: dict[type, tuple[str, str]] = {
    MP3: ("mp3", "audio/mpeg"),
    MP4: ("m4a", "audio/mp4"),
    OggVorbis: ("ogg", "audio/ogg"),
    OggOpus: ("ogg", "audio/ogg"),
    WAVE: ("wav", "audio/wav"),
    FLAC: ("flac", "audio/flac"),
}


@dataclass(frozen=True)
class Audio:
    extension: str
    mime: str
    duration_ms: int


def probe(data: bytes) -> Audio | None:
    """The format and duration of ``data`` if it parses as playable audio with a positive length."""
    try:
        parsed = mutagen.File(io.BytesIO(data), options=list(AUDIO_FORMATS))
        seconds = float(parsed.info.length) if parsed is not None else 0.0
        # An MP4 may hold video, or Apple Lossless that browsers do not play: AAC only.
        if isinstance(parsed, MP4) and not str(getattr(parsed.info, "codec", "")).startswith("mp4a"):
            parsed = None
    except Exception:  # noqa: BLE001 - a parser fed hostile bytes may fail in any way; all mean "not audio"
        parsed = None
    if parsed is None or not seconds > 0:  # also refuses NaN
        return None
    extension, mime = AUDIO_FORMATS[type(parsed)]
    return Audio(extension, mime, round(seconds * 1000))
