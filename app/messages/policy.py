"""The numbers of messaging, in one frozen value the services read (tests may pass their own)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

MB = 1024 * 1024


@dataclass(frozen=True)
class MessagePolicy:
    max_body: int = 5000
    # flooding: per sender, across all their conversations
    per_minute: int = 20
    per_day: int = 300
    max_attachment_bytes: int = 25 * MB
    max_voice_bytes: int = 5 * MB  # about ten minutes of the Opus a browser records
    max_voice_ms: int = 5 * 60 * 1000
    max_zip_members: int = 50
    max_zip_unpacked: int = 200 * MB
    # the contact guard: this many flagged messages within the window open a flag for moderators
    flag_after: int = 3
    flag_window: timedelta = timedelta(hours=24)
    conversations_per_page: int = 20
    thread_length: int = 60  # the newest messages a thread shows


POLICY = MessagePolicy()
