"""Real media files made in memory for the gallery tests: no fixtures on disk, no encoder needed.

A WAV comes from the standard ``wave`` module; an MP3 is a run of silent MPEG-1 Layer III
frames (valid headers, zero payload), which is all a parser needs to measure it; pictures come
from Pillow.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from PIL import Image

ELF_HEADER = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00"  # an x86-64 executable's start
MP3_FRAME = b"\xff\xfb\x90\x00" + b"\x00" * 413  # MPEG-1 Layer III, 128 kbit/s, 44.1 kHz: 417 bytes, 26 ms


def wav_bytes(seconds: float = 1.0, rate: int = 8000) -> bytes:
    """A mono 16-bit PCM WAV of a quiet square wave."""
    import wave

    out = io.BytesIO()
    with wave.open(out, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(rate)
        sound.writeframes((b"\x00\x10" * 20 + b"\x00\xf0" * 20) * int(rate * seconds / 40))
    return out.getvalue()


def write_wav(folder: Path, name: str = "sample.wav", seconds: float = 2.0) -> Path:
    path = folder / name
    path.write_bytes(wav_bytes(seconds))
    return path


def mp3_bytes(frames: int = 200) -> bytes:
    return MP3_FRAME * frames


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (320, 200), color: tuple[int, ...] = (20, 120, 140), **save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA" if len(color) == 4 else "RGB", size, color).save(out, format=fmt, **save)
    return out.getvalue()


def bomb_png(side: int = 50_000) -> bytes:
    """A tiny PNG whose header claims ``side``×``side`` pixels: decoding it would need gigabytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) + chunk(b"IEND", b"")
