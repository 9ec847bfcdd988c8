"""Demo conversations in Gulf-flavoured Arabic: a thread for every demo order and one question
before an order, written through the real services with the clock set back to when they were
said, so read receipts, unread badges and the contact guard's masking look as real use leaves
them. The newest messages to the showcase seller stay unread, so the header shows a badge.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from app.core import clock
from app.core.clock import as_utc
from app.messages import mark_read, order_thread, send_message, start_conversation
from models.catalog import Gig, GigStatus
from models.orders import Order

# (from the buyer?, text) for an order's thread; the first lines follow the order being placed
ORDER_TALK = (
    (True, "السلام عليكم، طلبت الباقة وأرسلت النص في المتطلبات. أبيه بنبرة حماسية مثل إعلانات رمضان."),
    (False, "وعليكم السلام، حيّاك الله! وصلني النص، بسجل لك عينة ١٠ ثواني أول عشان نتفق على النبرة."),
    (True, "تمام، ولو تقدر تخفف السرعة شوي في آخر جملة يكون أحسن."),
    (False, "أبشر، من عيوني. بتوصلك النسخة الأولى قبل الموعد إن شاء الله."),
)
BEFORE_ORDER = (
    (True, "هلا والله، عندي إعلان ٣٠ ثانية لمطعم باللهجة النجدية، كم يكلف مع الحقوق التجارية؟"),
    (False, "يا هلا! الباقة الأساسية تغطي ٣٠ ثانية، والحقوق التجارية إضافة بـ ١٥٠ ريال. التسليم خلال يومين."),
    (True, "ممتاز، ممكن رقمك نتفاهم أسرع؟ 0551234567"),
    (False, "خلنا نكمل هنا في مِهَن أضمن لك ولي، وأي سؤال أنا موجود."),
)


def _talk(session: Session, conversation_id: int, buyer: int, seller: int, lines: tuple[tuple[bool, str], ...], start, *, leave_unread: bool) -> None:  # type: ignore[no-untyped-def]
    for number, (from_buyer, text) in enumerate(lines):
        with clock.frozen(start + timedelta(minutes=7 * number + 3)):
            sender = buyer if from_buyer else seller
            send_message(session, conversation_id=conversation_id, sender_id=sender, body=text)
            last = number == len(lines) - 1
            if not (last and leave_unread):  # the other party read it (shows «تمت القراءة»)
                mark_read(session, conversation_id=conversation_id, user_id=seller if from_buyer else buyer)


def seed_conversations(session: Session, *, buyers: list[int], showcase: list[int]) -> int:
    """Write the demo threads; return how many conversations exist afterwards."""
    orders = session.exec(select(Order).order_by(col(Order.id))).all()
    for index, order in enumerate(orders):
        thread = order_thread(session, order_id=order.id, user_id=order.buyer_id)  # type: ignore[arg-type]
        lines = ORDER_TALK[: 2 + index % 3]
        _talk(session, thread.id, order.buyer_id, order.seller_id, lines, as_utc(order.created_at), leave_unread=index % 3 == 0)  # type: ignore[arg-type]
    if buyers and showcase:
        gig = session.exec(select(Gig.id).where(Gig.seller_id == showcase[0], Gig.status == GigStatus.ACTIVE.value).order_by(col(Gig.id))).first()
        if gig is not None:
            buyer = buyers[-1]
            conversation = start_conversation(session, buyer_id=buyer, gig_id=gig)
            _talk(session, conversation.id, buyer, showcase[0], BEFORE_ORDER, clock.now() - timedelta(hours=3), leave_unread=False)  # type: ignore[arg-type]
    return len(orders) + 1
