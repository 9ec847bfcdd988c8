"""Complete an order through the services, for browser journeys that start after completion.

Run as ``python -m tests.e2e.completed_order BUYER_EMAIL SELLER_EMAIL`` with the server's data
dir and database in the environment (``Server.python`` does): the buyer orders the seller's gig
(its basic package), pays with the sandbox test card, answers the requirements, the seller
delivers, the buyer accepts (or, with ``--disputed``, opens a dispute). Prints the order's id as JSON.
"""

from __future__ import annotations

import json
import sys

from sqlmodel import select

from app.core.db import transaction
from app.orders import checkout, lifecycle
from app.payments import sandbox
from models.accounts import User
from models.catalog import Gig
from models.orders import OrderRequirement


def _user(email: str) -> int:
    with transaction() as session:
        found = session.exec(select(User.id).where(User.email == email)).one()
        assert found is not None
        return found


def complete(buyer_email: str, seller_email: str, *, disputed: bool = False) -> int:
    buyer, seller = _user(buyer_email), _user(seller_email)
    with transaction() as session:
        gig = session.exec(select(Gig.id).where(Gig.seller_id == seller).order_by(Gig.id)).first()
        order = checkout.place_order(session, buyer_id=buyer, gig_id=gig, data=checkout.parse_checkout({"tier": "basic"}))  # type: ignore[arg-type]
        order_id = order.id
        assert order_id is not None
        url = checkout.start_payment(session, order_id=order_id, user_id=buyer, gateway="sandbox", return_url=f"/orders/{order_id}")
    reference = url.rsplit("/", 1)[-1]
    with transaction() as session:
        sandbox.submit_card(session, reference=reference, number="4111111111111111", expiry="12/35", cvc="123", holder="Abdullah Alqahtani")
    with transaction() as session:
        checkout.confirm_payment(session, gateway="sandbox", reference=reference)
    with transaction() as session:
        questions = session.exec(select(OrderRequirement).where(OrderRequirement.order_id == order_id)).all()
        if questions:
            answers = {q.position: q.choices.splitlines()[0] if q.kind == "choice" else "نص الإعلان" for q in questions}
            lifecycle.submit_requirements(session, order_id=order_id, user_id=buyer, answers=answers)
    with transaction() as session:
        lifecycle.deliver(session, order_id=order_id, user_id=seller, message="التسجيل النهائي بصيغة WAV.")
    with transaction() as session:
        if disputed:
            lifecycle.dispute(session, order_id=order_id, user_id=buyer, reason="الصوت غير واضح في النصف الثاني من التسجيل.")
        else:
            lifecycle.accept(session, order_id=order_id, user_id=buyer)
    return order_id


if __name__ == "__main__":
    print(json.dumps({"order": complete(sys.argv[1], sys.argv[2], disputed="--disputed" in sys.argv[3:])}))
