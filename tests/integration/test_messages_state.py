"""The messages page's handlers, the header's unread count, the voice-note route and the
moderation queue's flags, driven like a browser would (statekit), on SQLite and Postgres."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from app import messages
from app.demo.messages import seed_conversations
from app.http import build_routes
from models.messages import ContactFlag, Conversation, FlagStatus, Message, MessageFile
from state.messages import MessagesState
from state.moderation import ModerationState
from state.session import SessionState
from tests.integration.orderkit import act, now, place, shop  # noqa: F401 (fixtures)
from tests.integration.statekit import Browser, add_session, ar, events_of, rows, snapshot_database, upload
from tests.integration.test_messages import ELF, start
from tests.samples import mp3_bytes, wav_bytes


def tab(user: int, path: str) -> Browser:
    browser = Browser(token=add_session(user), path=path)
    browser.call(SessionState, "refresh")
    return browser


def opened(user: int, path: str) -> Browser:
    browser = tab(user, path)
    browser.call(MessagesState, "open_page")
    return browser


def redirects(result: object) -> list[str]:
    return [str(event) for event in events_of(result) if "_redirect" in str(event)]


def test_contact_the_seller_from_the_gig_then_write(shop: dict[str, int]) -> None:
    # given the buyer on the gig page
    gig_tab = tab(shop["buyer"], f"/gig/{shop['gig']}")
    # when they press «تواصل مع البائع»
    result = gig_tab.call(MessagesState, "contact_seller")
    # then a conversation opens and the page goes to it
    [conversation] = rows(Conversation)
    assert any(f"/messages/{conversation.id}" in event for event in redirects(result))
    page = opened(shop["buyer"], f"/messages/{conversation.id}")
    page.call(MessagesState, "send", {"body": "السلام عليكم، كم سعر ٣٠ ثانية؟"})
    state = page.state(MessagesState)
    assert [line["body"] for line in state.lines] == ["السلام عليكم، كم سعر ٣٠ ثانية؟"]
    assert state.other_name == "فهد العتيبي" and state.lines[0]["mine"] == "1" and state.lines[0]["read"] == ""
    # and the seller's header counts it, their list shows it unread, opening it reads it
    seller = tab(shop["seller"], "/")
    assert seller.state(SessionState).unread_messages == 1
    seller_page = opened(shop["seller"], "/messages")
    assert seller_page.state(MessagesState).conversations[0]["unread"] == "1"
    opened(shop["seller"], f"/messages/{conversation.id}")
    page.call(MessagesState, "open_page")
    assert page.state(MessagesState).lines[0]["read"] == "1"  # «تمت القراءة»
    assert tab(shop["seller"], "/").state(SessionState).unread_messages == 0


def test_signed_out_contact_asks_to_log_in_and_writes_nothing(shop: dict[str, int]) -> None:
    before = snapshot_database()
    result = Browser(path=f"/gig/{shop['gig']}").call(MessagesState, "contact_seller")
    assert any("/login?next=/gig/" in event for event in redirects(result))
    assert any("/login?next=/messages" in event for event in redirects(Browser(path="/messages").call(MessagesState, "open_page")))
    assert snapshot_database() == before


def test_someone_elses_thread_by_id_shows_nothing_and_refuses_a_reply(shop: dict[str, int]) -> None:
    conversation = start(shop)
    act(messages.send_message, conversation_id=conversation, sender_id=shop["buyer"], body="سر بيننا")
    stranger = opened(shop["other"], f"/messages/{conversation}")
    state = stranger.state(MessagesState)
    assert state.thread_missing and state.open_id == 0 and state.lines == []
    assert "سر بيننا" not in stranger.client_json()
    before = snapshot_database()
    stranger.call(MessagesState, "send", {"body": "مرحبا"})
    assert snapshot_database() == before and state.error


def test_the_guard_warns_the_sender_in_arabic(shop: dict[str, int]) -> None:
    conversation = start(shop)
    page = opened(shop["buyer"], f"/messages/{conversation}")
    page.call(MessagesState, "send", {"body": "كلمني واتساب 0551234567"})
    state = page.state(MessagesState)
    assert state.warning == ar("message.guard_masked")
    assert state.lines[-1]["body"] == "كلمني واتساب •••" and state.lines[-1]["guarded"] == "1"


def test_html_is_shown_as_text(shop: dict[str, int]) -> None:
    conversation = start(shop)
    page = opened(shop["buyer"], f"/messages/{conversation}")
    page.call(MessagesState, "send", {"body": "<img src=x onerror=alert(1)>"})
    assert page.state(MessagesState).lines[-1]["body"] == "<img src=x onerror=alert(1)>"


def test_attachments_through_the_page_refuse_an_executable(shop: dict[str, int]) -> None:
    conversation = start(shop)
    page = opened(shop["buyer"], f"/messages/{conversation}")
    page.call(MessagesState, "upload", [upload(mp3_bytes(), "take.mp3"), upload(ELF, "song.mp3")])
    state = page.state(MessagesState)
    assert ar("message.file_type") in state.error
    assert [(f.name, f.mime) for f in rows(MessageFile)] == [("take.mp3", "audio/mpeg")]
    assert state.lines[-1]["is_audio"] == "1" and state.lines[-1]["href"].startswith("/files/")


def test_the_watch_loop_brings_a_new_message_without_a_reload(shop: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    import state.messages as module

    monkeypatch.setattr(module, "POLL_SECONDS", 0)
    monkeypatch.setattr(module, "POLL_LIMIT", 3)
    conversation = start(shop)
    seller = opened(shop["seller"], f"/messages/{conversation}")
    assert seller.state(MessagesState).lines == []
    act(messages.send_message, conversation_id=conversation, sender_id=shop["buyer"], body="وصلت؟")
    seller.call(MessagesState, "watch")
    assert [line["body"] for line in seller.state(MessagesState).lines] == ["وصلت؟"]
    # a page that was never opened does not poll at all
    assert Browser(token=add_session(shop["seller"]), path="/").call(MessagesState, "watch") == []


def test_voice_notes_post_to_the_route_for_parties_only(shop: dict[str, int]) -> None:
    conversation = start(shop)
    client = TestClient(build_routes())
    headers = {"X-Mihan-Voice": "1", "Content-Type": "audio/wav"}

    def post(user: int | None, body: bytes, **extra: str) -> tuple[int, dict]:
        cookies = {"mihan_session": add_session(user)} if user else {}
        client.cookies.clear()
        response = client.post(f"/messages/{conversation}/voice", content=body, headers={**headers, **extra}, cookies=cookies)
        return response.status_code, response.json()

    assert post(shop["seller"], wav_bytes(1.0)) == (200, {"ok": True})
    assert post(shop["other"], wav_bytes(1.0)) == (404, {"error": "message.not_found"})
    assert post(None, wav_bytes(1.0)) == (404, {"error": "message.not_found"})
    assert post(shop["seller"], ELF) == (400, {"error": "message.voice_type"})
    assert post(shop["seller"], b"\x00" * (6 * 1024 * 1024)) == (413, {"error": "message.voice_too_large"})
    assert post(shop["seller"], wav_bytes(1.0), **{"X-Mihan-Voice": "0"})[0] == 403
    assert post(shop["seller"], wav_bytes(1.0), Origin="https://evil.example")[0] == 403
    [voice] = rows(MessageFile)
    assert voice.mime == "audio/wav" and [m.kind for m in rows(Message)] == ["voice"]
    # the buyer's player gets it inline, with its type; a stranger gets a 404
    client.cookies.set("mihan_session", add_session(shop["buyer"]))
    played = client.get(f"/files/{voice.token}")
    assert played.status_code == 200 and played.headers["content-type"] == "audio/wav" and played.content[:4] == b"RIFF"
    assert played.headers["content-disposition"].startswith("inline") and played.headers["x-content-type-options"] == "nosniff"
    client.cookies.set("mihan_session", add_session(shop["other"]))
    assert client.get(f"/files/{voice.token}").status_code == 404


def test_the_moderation_queue_shows_flags_with_context_and_decides(shop: dict[str, int]) -> None:
    conversation = start(shop)
    for text in ("واتساب؟", "رقمي 0551234567", "سناب: khalid_vo"):
        act(messages.send_message, conversation_id=conversation, sender_id=shop["buyer"], body=text)
    admin = tab(shop["admin"], "/admin/moderation")
    admin.call(ModerationState, "open_queue")
    state = admin.state(ModerationState)
    [flag] = state.flags
    assert flag["sender"] == "عبدالله" and flag["other"] == "فهد العتيبي"
    assert [line["text"] for line in state.flag_context[0]] == ["واتساب؟", "رقمي 0551234567", "سناب: khalid_vo"]
    # a seller cannot decide; an admin can
    seller = tab(shop["seller"], "/admin/moderation")
    seller.call(ModerationState, "decide_flag", {"flag": flag["id"], "decision": "dismiss"})
    assert rows(ContactFlag)[0].status == FlagStatus.OPEN.value
    admin.call(ModerationState, "decide_flag", {"flag": flag["id"], "decision": "action", "note": "راجعنا المحادثة"})
    assert rows(ContactFlag)[0].status == FlagStatus.ACTIONED.value and state.flags == []


def test_the_order_page_shows_the_orders_thread(shop: dict[str, int]) -> None:
    order = place(shop)
    page = opened(shop["buyer"], f"/orders/{order}")
    state = page.state(MessagesState)
    assert state.open_id > 0 and state.about == f"#{order}"
    page.call(MessagesState, "send", {"body": "النص في المتطلبات"})
    assert rows(Conversation, Conversation.order_id == order)[0].last_message_id > 0
    assert opened(shop["other"], f"/orders/{order}").state(MessagesState).open_id == 0


def test_demo_conversations_seed_through_the_services(shop: dict[str, int]) -> None:
    place(shop)
    from app.core import db

    with db.transaction() as session:
        seed_conversations(session, buyers=[shop["buyer"]], showcase=[shop["seller"]])
    assert len(rows(Conversation)) == 2
    masked = [m for m in rows(Message) if m.raw_body]
    assert len(masked) == 1 and "•••" in masked[0].body


def test_the_list_pages_in_sql_and_keeps_the_search(shop: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> None:
    from app.messages import queries

    order = place(shop)
    first = start(shop)
    second = act(messages.order_thread, order_id=order, user_id=shop["buyer"]).id
    for conversation in (first, second):
        act(messages.send_message, conversation_id=conversation, sender_id=shop["buyer"], body="إعلان جديد")
    monkeypatch.setattr(queries.list_conversations, "__kwdefaults__", {**queries.list_conversations.__kwdefaults__, "per_page": 1})
    page = opened(shop["buyer"], "/messages?q=اعلان")
    state = page.state(MessagesState)
    assert (state.total, state.pages, len(state.conversations)) == (2, 2, 1)
    assert state.prev_href == "" and state.next_href == "/messages?q=%D8%A7%D8%B9%D9%84%D8%A7%D9%86&page=2"
    second_page = opened(shop["buyer"], "/messages?q=اعلان&page=2")
    assert second_page.state(MessagesState).prev_href.endswith("page=1") and second_page.state(MessagesState).next_href == ""
