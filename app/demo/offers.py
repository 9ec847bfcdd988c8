"""A demo custom offer and a demo buyer request, written through the real services: the showcase
seller answers the pre-order question with an offer the buyer has not decided yet, and the first
demo buyer has an open request in the showcase gig's category that the showcase seller answered,
so the offer card, the requests board and the offers comparison all have something to show.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from app import buyer_requests, offers
from models.catalog import Gig, GigStatus
from models.messages import Conversation

OFFER = {
    "description": "إعلان ٣٠ ثانية لمطعمك باللهجة النجدية مع الحقوق التجارية، ملف WAV وملف MP3، وتعديل واحد.",
    "price": "450",
    "days": "2",
    "revisions": "1",
    "expires": "7",
}
REQUEST = {
    "description": "أبحث عن صوت نسائي بلهجة خليجية لفيديو تعريفي مدته دقيقتان لتطبيق توصيل، بنبرة ودودة وواضحة.",
    "budget": "600",
    "days": "5",
}
ANSWER = {
    "description": "أسجّل لك الفيديو التعريفي بنبرة ودودة مع نسختين للاختيار، وتعديلين مجانًا.",
    "price": "550",
    "days": "4",
    "revisions": "2",
}


def seed_offers_and_requests(session: Session, *, buyers: list[int], showcase: list[int]) -> None:
    if not buyers or not showcase:
        return
    seller = showcase[0]
    gig = session.exec(select(Gig).where(Gig.seller_id == seller, Gig.status == GigStatus.ACTIVE.value).order_by(col(Gig.id))).first()
    if gig is None:
        return
    conversation = session.exec(select(Conversation).where(Conversation.seller_id == seller, Conversation.order_id.is_(None))).first()  # type: ignore[union-attr]
    if conversation is not None:
        offers.send_offer(session, conversation_id=conversation.id, seller_id=seller, data=offers.parse_offer({"gig": str(gig.id), **OFFER}))
    request = buyer_requests.post_request(
        session, buyer_id=buyers[0], data=buyer_requests.parse_request({"category": str(gig.category_id), **REQUEST})
    )
    buyer_requests.answer_request(session, request_id=request.id, seller_id=seller, data=offers.parse_offer({"gig": str(gig.id), **ANSWER}))
