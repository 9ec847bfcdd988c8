"""Messages through the services, on a migrated SQLite and Postgres database: conversations,
parties, rate limits, files, the contact guard's masking and flags, unread counts, read receipts
and search."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest

from app import messages
from app.core import db
from app.core.settings import get_settings
from app.messages import MessageError, MessagePolicy
from models.messages import ContactFlag, Conversation, FlagStatus, Message, MessageFile
from models.orders import Notification
from tests.integration.orderkit import T0, act, now, place, shop  # noqa: F401 (fixtures)
from tests.integration.statekit import rows, snapshot_database, snapshot_files
from tests.integration.test_order_concurrency import at_once
from tests.samples import image_bytes, mp3_bytes, wav_bytes

ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 200
PE = b"MZ" + b"\x90" * 58 + b"\x80\x00\x00\x00" + b"\x00" * 64 + b"PE\x00\x00" + b"\x00" * 200


def start(shop: dict[str, int]) -> int:
    conversation = act(messages.start_conversation, buyer_id=shop["buyer"], gig_id=shop["gig"])
    return conversation.id


def send(conversation: int, sender: int, body: str, **kwargs: object) -> messages.Sent:
    return act(messages.send_message, conversation_id=conversation, sender_id=sender, body=body, **kwargs)


def refused(key: str, fn, **kwargs) -> None:  # type: ignore[no-untyped-def]
    before, files = snapshot_database(), snapshot_files()
    with pytest.raises(MessageError) as caught:
        act(fn, **kwargs)
    assert caught.value.key == key
    assert snapshot_database() == before and snapshot_files() == files


def thread(conversation: int, user: int) -> messages.Thread:
    with db.reading() as session:
        return messages.get_thread(session, conversation_id=conversation, user_id=user)


# -- conversations -------------------------------------------------------------------------


def test_contact_from_a_gig_opens_one_conversation_per_pair(shop: dict[str, int]) -> None:
    # given / when: from the gig, twice, and from the seller's profile
    first = start(shop)
    again = start(shop)
    from_profile = act(messages.start_conversation, buyer_id=shop["buyer"], seller_key=shop["seller"]).id
    # then
    assert first == again == from_profile
    assert len(rows(Conversation)) == 1


def test_two_tabs_opening_at_once_share_one_conversation(shop: dict[str, int]) -> None:
    outcomes = at_once(*[lambda: act(messages.start_conversation, buyer_id=shop["buyer"], gig_id=shop["gig"])] * 4)
    assert outcomes == ["ok"] * 4
    assert len(rows(Conversation)) == 1


def test_no_conversation_with_oneself_or_with_someone_who_is_not_a_seller(shop: dict[str, int]) -> None:
    refused("message.not_yourself", messages.start_conversation, buyer_id=shop["seller"], gig_id=shop["gig"])
    refused("message.seller_unavailable", messages.start_conversation, buyer_id=shop["buyer"], seller_key=shop["other"])
    refused("message.seller_unavailable", messages.start_conversation, buyer_id=shop["buyer"], gig_id=10**9)
    refused("message.seller_unavailable", messages.start_conversation, buyer_id=shop["buyer"], seller_key="1")  # type: ignore[arg-type]


def test_a_stranger_cannot_write_to_or_read_a_conversation_by_its_id(shop: dict[str, int]) -> None:
    conversation = start(shop)
    send(conversation, shop["buyer"], "السلام عليكم")
    refused("message.not_found", messages.send_message, conversation_id=conversation, sender_id=shop["other"], body="مرحبا")
    refused("message.not_found", messages.send_message, conversation_id=conversation + 1, sender_id=shop["buyer"], body="مرحبا")
    refused("message.not_found", messages.send_message, conversation_id=str(conversation), sender_id=shop["buyer"], body="مرحبا")
    with pytest.raises(MessageError, match="message.not_found"), db.reading() as session:
        messages.get_thread(session, conversation_id=conversation, user_id=shop["other"])
    # not even an admin reads it here: only through the moderation queue
    with pytest.raises(MessageError, match="message.not_found"), db.reading() as session:
        messages.get_thread(session, conversation_id=conversation, user_id=shop["admin"])


def test_an_order_has_its_own_thread_for_its_two_parties(shop: dict[str, int]) -> None:
    order = place(shop)
    pre_order = start(shop)
    thread_id = act(messages.order_thread, order_id=order, user_id=shop["seller"]).id
    assert thread_id != pre_order
    assert act(messages.order_thread, order_id=order, user_id=shop["buyer"]).id == thread_id
    refused("message.not_found", messages.order_thread, order_id=order, user_id=shop["other"])


# -- text ----------------------------------------------------------------------------------


def test_html_is_stored_as_inert_text(shop: dict[str, int]) -> None:
    conversation = start(shop)
    send(conversation, shop["buyer"], "  <script>alert(1)</script> <b>مرحبا</b>  ")
    [stored] = rows(Message)
    assert stored.body == "<script>alert(1)</script> <b>مرحبا</b>"


@pytest.mark.parametrize(
    ("body", "key"),
    [("", "message.empty"), ("   \n ", "message.empty"), (None, "message.empty"), (123, "message.empty"), ("x" * 5001, "message.too_long"),
     ("مرحبا\u202eabc", "message.hidden_characters"), ("a\x00b", "message.hidden_characters"), ("\ud800", "message.hidden_characters")],
)
def test_bad_text_is_refused_and_nothing_is_stored(shop: dict[str, int], body: object, key: str) -> None:
    conversation = start(shop)
    refused(key, messages.send_message, conversation_id=conversation, sender_id=shop["buyer"], body=body)


def test_flooding_is_refused_per_minute_and_per_day(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    policy = MessagePolicy(per_minute=3, per_day=5)
    conversation = start(shop)
    for n in range(3):
        send(conversation, shop["buyer"], f"رسالة {n}", policy=policy)
    refused("message.slow_down", messages.send_message, conversation_id=conversation, sender_id=shop["buyer"], body="أخرى", policy=policy)
    now(T0 + timedelta(minutes=2))
    for n in range(2):
        send(conversation, shop["buyer"], f"رسالة {n}", policy=policy)
    refused("message.daily_limit", messages.send_message, conversation_id=conversation, sender_id=shop["buyer"], body="أخرى", policy=policy)
    # the other party is not limited by the buyer's flood
    send(conversation, shop["seller"], "أبشر", policy=policy)
    now(T0 + timedelta(days=1, minutes=3))
    send(conversation, shop["buyer"], "صباح الخير", policy=policy)


# -- the contact guard -----------------------------------------------------------------------


def test_before_an_order_a_contact_is_masked_and_the_sender_warned(shop: dict[str, int]) -> None:
    conversation = start(shop)
    sent = send(conversation, shop["buyer"], "كلمني على ٠٥٥١٢٣٤٥٦٧ واتساب")
    assert sent.masked and sent.warned and "phone" in sent.kinds
    [stored] = rows(Message)
    assert stored.body == "كلمني على ••• واتساب" and stored.raw_body == "كلمني على ٠٥٥١٢٣٤٥٦٧ واتساب"
    assert "٠٥٥١٢٣٤٥٦٧" not in str([line.body for line in thread(conversation, shop["seller"]).lines])


def test_in_an_order_thread_nothing_is_masked_but_the_sender_is_warned(shop: dict[str, int]) -> None:
    order = place(shop)
    conversation = act(messages.order_thread, order_id=order, user_id=shop["buyer"]).id
    sent = send(conversation, shop["buyer"], "مرجع الأداء: https://youtube.com/watch?v=x وهذا رقمي 0551234567")
    assert sent.warned and not sent.masked
    [stored] = rows(Message)
    assert "0551234567" in stored.body and stored.raw_body == ""
    assert stored.guard == "phone,hint"  # the link is not counted against them inside an order


def test_three_attempts_within_a_day_flag_the_sender_once_never_a_ban(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    conversation = start(shop)
    send(conversation, shop["buyer"], "واتساب؟")
    send(conversation, shop["buyer"], "رقمي 0551234567")
    assert rows(ContactFlag) == []
    send(conversation, shop["buyer"], "khalid at gmail dot com")
    [flag] = rows(ContactFlag)
    assert (flag.user_id, flag.attempts, flag.status) == (shop["buyer"], 3, FlagStatus.OPEN.value)
    assert set(flag.kinds.split(",")) >= {"hint", "phone", "email"}
    send(conversation, shop["buyer"], "تلقرام")
    [flag] = rows(ContactFlag)  # the open flag grows; no second one
    assert flag.attempts == 4
    # the sender can still write: no silent ban
    send(conversation, shop["buyer"], "طيب نكمل هنا")
    # a moderator sees the context, unmasked, and warns the sender
    with db.reading() as session:
        [view] = messages.list_open_flags(session, moderator_id=shop["admin"])
    assert any("0551234567" in line.text for line in view.context) and view.context[-1].is_the_attempt
    act(messages.decide_flag, flag_id=flag.id, moderator_id=shop["admin"], decision="warn", note="تنبيه أول")
    [flag] = rows(ContactFlag)
    assert flag.status == FlagStatus.WARNED.value and flag.decided_by == shop["admin"]
    assert [n.kind for n in rows(Notification, Notification.user_id == shop["buyer"])] == ["contact_warning"]
    # attempts spread over more than a day do not flag
    now(T0 + timedelta(days=2))
    send(conversation, shop["buyer"], "واتساب")
    assert len(rows(ContactFlag)) == 1


def test_only_staff_decide_flags(shop: dict[str, int]) -> None:
    conversation = start(shop)
    for text in ("واتساب", "تلقرام", "سناب"):
        send(conversation, shop["buyer"], text)
    [flag] = rows(ContactFlag)
    refused("message.not_found", messages.decide_flag, flag_id=flag.id, moderator_id=shop["seller"], decision="dismiss")
    refused("message.invalid_decision", messages.decide_flag, flag_id=flag.id, moderator_id=shop["admin"], decision="ban")
    act(messages.decide_flag, flag_id=flag.id, moderator_id=shop["admin"], decision="dismiss")
    refused("message.not_found", messages.decide_flag, flag_id=flag.id, moderator_id=shop["admin"], decision="action")


# -- files ---------------------------------------------------------------------------------


def test_attachments_are_typed_by_content(shop: dict[str, int]) -> None:
    conversation = start(shop)
    for name, data in (("take.mp3", mp3_bytes()), ("cover.png", image_bytes()), ("takes.wav", wav_bytes(1.0))):
        act(messages.send_attachment, conversation_id=conversation, sender_id=shop["buyer"], filename=name, data=data)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("take1.wav", wav_bytes(0.5))
        zipped.writestr("take2.mp3", mp3_bytes())
    act(messages.send_attachment, conversation_id=conversation, sender_id=shop["buyer"], filename="takes.zip", data=archive.getvalue())
    stored = rows(MessageFile)
    assert [f.mime for f in stored] == ["audio/mpeg", "image/png", "audio/wav", "application/zip"]
    folder = get_settings().private_dir / "messages" / str(conversation)
    assert {f.token for f in stored} <= {p.name for p in folder.iterdir()}


def test_an_executable_renamed_mp3_and_a_zip_of_one_are_refused(shop: dict[str, int]) -> None:
    conversation = start(shop)
    for data in (ELF, PE, b"#!/bin/sh\nrm -rf /\n"):
        refused("message.file_type", messages.send_attachment, conversation_id=conversation, sender_id=shop["buyer"], filename="song.mp3", data=data)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("take.mp3", ELF)
    refused("message.file_type", messages.send_attachment, conversation_id=conversation, sender_id=shop["buyer"], filename="takes.zip", data=archive.getvalue())


def test_a_50_mb_attachment_is_refused(shop: dict[str, int]) -> None:
    conversation = start(shop)
    huge = mp3_bytes() + b"\x00" * (50 * 1024 * 1024)
    refused("message.file_too_large", messages.send_attachment, conversation_id=conversation, sender_id=shop["buyer"], filename="big.mp3", data=huge)


def test_voice_notes_are_audio_within_the_caps(shop: dict[str, int]) -> None:
    conversation = start(shop)
    webm = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm" + b"\x00" * 500
    act(messages.send_voice, conversation_id=conversation, sender_id=shop["seller"], data=webm)
    act(messages.send_voice, conversation_id=conversation, sender_id=shop["seller"], data=wav_bytes(2.0))
    assert [(f.mime, f.name) for f in rows(MessageFile)] == [("audio/webm", "voice.webm"), ("audio/wav", "voice.wav")]
    assert rows(MessageFile)[1].duration_ms == 2000
    refused("message.voice_type", messages.send_voice, conversation_id=conversation, sender_id=shop["seller"], data=image_bytes())
    refused("message.voice_too_long", messages.send_voice, conversation_id=conversation, sender_id=shop["seller"], data=wav_bytes(2.0), policy=MessagePolicy(max_voice_ms=1000))
    refused("message.voice_too_large", messages.send_voice, conversation_id=conversation, sender_id=shop["seller"], data=webm + b"\x00" * (6 * 1024 * 1024))
    refused("message.not_found", messages.send_voice, conversation_id=conversation, sender_id=shop["other"], data=wav_bytes(1.0))


def test_message_files_open_for_the_parties_and_staff_only(shop: dict[str, int]) -> None:
    conversation = start(shop)
    act(messages.send_voice, conversation_id=conversation, sender_id=shop["seller"], data=wav_bytes(1.0))
    [stored] = rows(MessageFile)
    with db.reading() as session:
        for user in (shop["buyer"], shop["seller"], shop["admin"]):
            found = messages.open_file(session, token=stored.token, user_id=user)
            assert found is not None and found.inline and found.path.read_bytes()[:4] == b"RIFF"
        assert messages.open_file(session, token=stored.token, user_id=shop["other"]) is None
        assert messages.open_file(session, token="x" * 32, user_id=shop["buyer"]) is None


# -- unread, receipts, list, search ------------------------------------------------------------


def test_unread_counts_and_read_receipts(shop: dict[str, int]) -> None:
    conversation = start(shop)
    send(conversation, shop["buyer"], "السلام عليكم")
    send(conversation, shop["buyer"], "أبي تعليق لإعلان ٣٠ ثانية")
    with db.reading() as session:
        assert messages.unread_conversations(session, user_id=shop["seller"]) == 1
        assert messages.unread_conversations(session, user_id=shop["buyer"]) == 0
        [row] = messages.list_conversations(session, user_id=shop["seller"]).rows
        assert (row.unread, row.other_name, row.last_from_me) == (2, "عبدالله", False)
    assert not any(line.read for line in thread(conversation, shop["buyer"]).lines)
    # when the seller reads
    act(messages.mark_read, conversation_id=conversation, user_id=shop["seller"])
    # then the buyer sees «تمت القراءة» and the seller has nothing waiting
    assert all(line.read and line.mine for line in thread(conversation, shop["buyer"]).lines)
    with db.reading() as session:
        assert messages.unread_conversations(session, user_id=shop["seller"]) == 0
        assert messages.list_conversations(session, user_id=shop["seller"]).rows[0].unread == 0
    # one notification for the seller however many messages waited
    assert [n.kind for n in rows(Notification, Notification.user_id == shop["seller"])] == ["message"]
    refused("message.not_found", messages.mark_read, conversation_id=conversation, user_id=shop["other"])


def test_the_list_is_newest_first_and_the_signature_moves_with_new_messages(shop: dict[str, int], now) -> None:  # type: ignore[no-untyped-def]
    order = place(shop)
    first = start(shop)
    second = act(messages.order_thread, order_id=order, user_id=shop["buyer"]).id
    send(second, shop["buyer"], "تفاصيل الطلب")
    now(T0 + timedelta(minutes=1))
    send(first, shop["seller"], "حياك الله")
    with db.reading() as session:
        listed = messages.list_conversations(session, user_id=shop["buyer"])
        before = messages.signature(session, user_id=shop["buyer"], conversation_id=first)
    assert [row.id for row in listed.rows] == [first, second]
    assert listed.rows[1].about == f"#{order}"
    send(second, shop["seller"], "أبشر")
    with db.reading() as session:
        assert messages.signature(session, user_id=shop["buyer"], conversation_id=first) != before


def test_search_folds_arabic_spelling_in_text_and_names(shop: dict[str, int]) -> None:
    conversation = start(shop)
    send(conversation, shop["buyer"], "أبي إعلانًا لمنتج جديد")
    with db.reading() as session:
        for query in ("اعلان", "إعلاناً", "منتج", "فهد", "فَهد"):
            found = messages.list_conversations(session, user_id=shop["buyer"], query=query)
            assert [row.id for row in found.rows] == [conversation], query
        assert messages.list_conversations(session, user_id=shop["buyer"], query="بودكاست").rows == ()
        assert messages.list_conversations(session, user_id=shop["buyer"], query="%").rows == ()
        # the stranger's search never finds someone else's conversation
        assert messages.list_conversations(session, user_id=shop["other"], query="اعلان").rows == ()
