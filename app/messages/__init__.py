"""Messages: conversations between buyers and sellers, order threads, attachments, voice notes,
read receipts and the off-platform contact guard (``guard.py``, pure).

No Reflex here: the messages page's state, the order page, the HTTP routes (voice notes,
private files) and the tests call these functions.
"""

from app.messages.conversations import order_thread, other_party, party, start_conversation
from app.messages.errors import MessageError
from app.messages.files import open_for as open_file
from app.messages.moderation import FlagView, count_open_flags, decide_flag, list_open_flags
from app.messages.policy import POLICY, MessagePolicy
from app.messages.queries import (
    ConversationPage,
    ConversationRow,
    MessageLine,
    Thread,
    get_thread,
    list_conversations,
    mark_read,
    signature,
    unread_conversations,
)
from app.messages.sending import Sent, clean_body, open_for_sending, post_notice, post_text, send_attachment, send_message, send_voice

__all__ = [
    "POLICY",
    "ConversationPage",
    "ConversationRow",
    "FlagView",
    "MessageError",
    "MessageLine",
    "MessagePolicy",
    "Sent",
    "Thread",
    "clean_body",
    "count_open_flags",
    "decide_flag",
    "get_thread",
    "list_conversations",
    "list_open_flags",
    "mark_read",
    "open_file",
    "open_for_sending",
    "order_thread",
    "other_party",
    "party",
    "post_notice",
    "post_text",
    "send_attachment",
    "send_message",
    "send_voice",
    "signature",
    "start_conversation",
    "unread_conversations",
]
