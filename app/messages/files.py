"""Attachments and voice notes: private files typed by their bytes, never by their names.

* An **attachment** (up to 25 MB) may be a picture (JPEG, PNG, WebP, GIF), a PDF, audio that
  parses as MP3, M4A, Ogg, WAV or FLAC, or a ZIP whose every member is such audio (a batch of
  takes). Anything else is refused, which is what refuses an executable renamed ``.mp3``:
  its bytes are a PE/ELF/Mach-O, not audio.
* A **voice note** is what the browser's MediaRecorder made: WebM/Opus (Chrome, Firefox),
  Ogg/Opus, MP4/AAC (Safari), or an MP3/WAV, up to 5 MB. Its duration is read by mutagen where
  it can parse the format and checked against five minutes; WebM is not parsed by mutagen and
  the recorder does not write a duration, so for WebM the byte cap (about ten minutes of the
  Opus a browser records) and the recorder's own stop at five minutes are the limits.

Files live under ``$MIHAN_DATA_DIR/private/messages/<conversation>/<token>`` and are served by
``/files/<token>`` to the conversation's two parties and to moderators and admins (who read a
flagged conversation in the queue). Audio is served inline so the page's player can play it;
everything else downloads.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from app.core import audio, clock, private_files
from app.core.private_files import StoredFile, clean_name
from app.core.settings import get_settings
from app.messages.errors import MessageError
from app.messages.policy import POLICY, MessagePolicy
from models.accounts import Role, User
from models.messages import Conversation, MessageFile

ZIP = "application/zip"
WEBM = "audio/webm"
_EBML = b"\x1a\x45\xdf\xa3"


@dataclass(frozen=True)
class Checked:
    mime: str
    duration_ms: int = 0


def folder(conversation_id: int) -> Path:
    return get_settings().private_dir / "messages" / str(conversation_id)


def _webm(data: bytes) -> bool:
    """A Matroska/WebM container (EBML magic and the ``webm`` doctype near the start)."""
    return data.startswith(_EBML) and b"webm" in data[:64]


def _zip_of_audio(data: bytes, policy: MessagePolicy) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
            if not members or len(members) > policy.max_zip_members:
                return False
            if sum(info.file_size for info in members) > policy.max_zip_unpacked:
                return False
            return all(audio.probe(archive.read(info)) is not None for info in members)
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError, EOFError):
        return False


def check_attachment(data: object, policy: MessagePolicy = POLICY) -> Checked:
    """The type of an attachment, from its bytes.

    Raises:
        MessageError: ``message.file_empty``, ``message.file_too_large``, ``message.file_type``.
    """
    if not isinstance(data, bytes | bytearray) or not data:
        raise MessageError("message.file_empty")
    if len(data) > policy.max_attachment_bytes:
        raise MessageError("message.file_too_large", mb=policy.max_attachment_bytes // (1024 * 1024))
    data = bytes(data)
    document = private_files.picture_or_pdf(data)
    if document is not None:
        return Checked(document)
    sniffed = private_files.sniff(data)
    if sniffed == ZIP:
        if _zip_of_audio(data, policy):
            return Checked(ZIP)
        raise MessageError("message.file_type")
    found = audio.probe(data)
    if found is not None:
        return Checked(found.mime, found.duration_ms)
    raise MessageError("message.file_type")


def check_voice(data: object, policy: MessagePolicy = POLICY) -> Checked:
    """The type and length of a recorded voice note.

    Raises:
        MessageError: ``message.file_empty``, ``message.voice_too_large``, ``message.voice_type``,
            ``message.voice_too_long``.
    """
    if not isinstance(data, bytes | bytearray) or not data:
        raise MessageError("message.file_empty")
    if len(data) > policy.max_voice_bytes:
        raise MessageError("message.voice_too_large", mb=policy.max_voice_bytes // (1024 * 1024))
    data = bytes(data)
    if _webm(data):
        return Checked(WEBM)
    found = audio.probe(data)
    if found is None:
        raise MessageError("message.voice_type")
    if found.duration_ms > policy.max_voice_ms:
        raise MessageError("message.voice_too_long", minutes=policy.max_voice_ms // 60_000)
    return Checked(found.mime, found.duration_ms)


def store(session: Session, *, conversation: Conversation, user_id: int, filename: str, data: bytes, checked: Checked) -> MessageFile:
    """Write the checked file into the conversation's private folder and record it."""
    row = MessageFile(
        conversation_id=conversation.id,  # type: ignore[arg-type]
        uploaded_by=user_id,
        token=private_files.new_token(),
        name=clean_name(filename),
        mime=checked.mime,
        size_bytes=len(data),
        duration_ms=checked.duration_ms,
        created_at=clock.now(),
    )
    private_files.store(session, folder(conversation.id), row.token, bytes(data))  # type: ignore[arg-type]
    session.add(row)
    session.flush()
    return row


def open_for(session: Session, *, token: object, user_id: int) -> StoredFile | None:
    """The message file named ``token`` for a party of its conversation, a moderator or an admin."""
    row = private_files.find(session, MessageFile, token)
    conversation = session.get(Conversation, row.conversation_id) if row else None
    user = session.get(User, user_id)
    if row is None or conversation is None or user is None or not user.is_active:
        return None
    staff = user.role in (Role.ADMIN.value, Role.MODERATOR.value)
    if user_id not in (conversation.buyer_id, conversation.seller_id) and not staff:
        return None
    return private_files.opened(folder(conversation.id), row, inline=row.mime.startswith("audio/"))  # type: ignore[arg-type]
