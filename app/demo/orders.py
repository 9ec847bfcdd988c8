"""Demo orders in every state, so a fresh demo shows a living marketplace.

Each story is played through the real services (checkout, the sandbox card, deliveries,
revisions, disputes, reviews and replies, the jobs' own steps) with the clock set back to when
it happened, so timelines, countdowns, balances, the ledger and the gigs' ratings are exactly
what real use would leave: every star a card shows comes from a revealed review row. The
showcase seller (the first of sellers.jsonl) receives most orders, so logging in as them shows
pending and available earnings, a tip, a withdrawal, and a buyer's review waiting for theirs
(hidden until they review or ten days pass); the demo buyers each have a few orders (the first
has a completed one still open to a tip).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from app.core import clock
from app.core.money import Money
from app.ledger import balance, chart
from app.orders import checkout, files, lifecycle, tips
from app.payments import sandbox
from app.reviews import POLICY as REVIEWS
from app.reviews import reply_to_review, reveal_due, submit_review
from app.wallets import withdrawals
from models.accounts import Role, User
from models.catalog import Gig, GigPackage, GigStatus
from models.orders import Order, OrderRequirement

DEMO_IBAN = "SA0380000000608010167519"
TEST_CARD = "4111111111111111"

Step = Callable[[Session, Order, datetime], None]


@dataclass(frozen=True)
class Story:
    """An order placed ``days_ago`` and moved by ``steps`` (each a day after the previous)."""

    buyer: int  # index into the demo buyers
    gig: int  # index into the showcase sellers' active gigs
    days_ago: float
    steps: tuple[str, ...]
    tier: str = "basic"


STORIES = (
    Story(0, 0, 0.1, ()),  # placed, not paid yet
    Story(1, 1, 0.3, ("pay",)),  # waiting for the buyer's requirements
    Story(2, 2, 1.5, ("pay", "answer")),  # in progress
    Story(0, 3, 12, ("pay", "answer", "late")),  # past its due time
    Story(1, 0, 3, ("pay", "answer", "deliver")),  # delivered, waiting for the buyer
    Story(2, 1, 4, ("pay", "answer", "deliver", "revise"), tier="standard"),  # in revision
    # completed, earnings clearing; the buyer's review waits hidden for the seller's
    Story(0, 2, 6, ("pay", "answer", "deliver", "accept", "buyer_review")),
    # earnings available; both reviewed (revealed together), the seller replied
    Story(1, 3, 30, ("pay", "answer", "deliver", "accept", "buyer_review", "seller_review", "reply", "clear"), tier="standard"),
    # thanked with a tip; both reviewed, the seller replied
    Story(2, 0, 26, ("pay", "answer", "deliver", "accept", "tip", "seller_review", "buyer_review", "reply", "clear")),
    # the buyer's lone review, revealed by the reviews job ten days after completion
    Story(0, 1, 22, ("pay", "answer", "deliver", "accept", "buyer_review", "reveal", "clear"), tier="premium"),
    Story(1, 2, 5, ("pay", "answer", "cancel_request", "cancel_accept")),  # cancelled by agreement
    Story(2, 3, 4, ("pay", "answer", "deliver", "dispute")),  # waiting for the admin
    Story(0, 0, 20, ("pay", "answer", "deliver", "dispute", "partial_refund", "clear")),  # settled half-half
)


def _pay(session: Session, order: Order, _: datetime) -> None:
    url = checkout.start_payment(session, order_id=order.id, user_id=order.buyer_id, gateway="sandbox", return_url=f"/orders/{order.id}")  # type: ignore[arg-type]
    _pay_on_sandbox(session, url)


def _tip(session: Session, order: Order, _: datetime) -> None:
    """The buyer thanks the seller with 25.00 by card."""
    started = tips.give_tip(session, order_id=order.id, user_id=order.buyer_id, amount=Money(2500), method="sandbox", return_url=f"/orders/{order.id}")  # type: ignore[arg-type]
    _pay_on_sandbox(session, started.redirect_url)


def _pay_on_sandbox(session: Session, url: str) -> None:
    """Pay the sandbox page at ``url`` with the test card, and come back as the buyer would."""
    reference = url.rsplit("/", 1)[-1]
    sandbox.submit_card(session, reference=reference, number=TEST_CARD, expiry="12/35", cvc="123", holder="Demo Buyer")
    checkout.confirm_payment(session, gateway="sandbox", reference=reference)


SCRIPT = "أهلًا بكم في مِهَن، حيث تجد صوتك. خدمات صوتية خليجية بجودة الاستوديو، من الإعلان إلى الكتاب الصوتي."


def _answer(session: Session, order: Order, _: datetime) -> None:
    """Answer every question as a buyer would: the script as text (or as an attached file), the
    first option of a choice."""
    if order.status != "awaiting_requirements":
        return
    answers: dict[int, str] = {}
    for question in session.exec(select(OrderRequirement).where(OrderRequirement.order_id == order.id)):
        if question.kind == "choice":
            answers[question.position] = question.choices.splitlines()[0]
        elif question.kind == "file":
            attached = files.attach(session, order_id=order.id, user_id=order.buyer_id, filename="script.txt", data=SCRIPT.encode())  # type: ignore[arg-type]
            answers[question.position] = attached.token
        else:
            answers[question.position] = SCRIPT
    lifecycle.submit_requirements(session, order_id=order.id, user_id=order.buyer_id, answers=answers)  # type: ignore[arg-type]


def _party(action: Callable[..., object], who: str, **extra: object) -> Step:
    def step(session: Session, order: Order, _: datetime) -> None:
        action(session, order_id=order.id, user_id=getattr(order, f"{who}_id"), **extra)

    return step


def _job(action: Callable[..., bool], after: timedelta) -> Step:
    def step(session: Session, order: Order, at: datetime) -> None:
        action(session, order_id=order.id, now=at + after)

    return step


# What the demo's parties write, picked by the order's number so each story reads differently.
BUYER_REVIEWS = (
    (5, 5, 5, 5, "صوت دافئ ونطق واضح، والتسليم قبل الموعد. سأعود إليه في حملتنا القادمة."),
    (4, 5, 4, 3, "أداء جميل والتزم بملاحظاتي، تأخر التسليم نصف يوم لكنه أبلغني مسبقًا."),
    (5, 4, 5, 5, "جودة استوديو حقيقية، والنبرة طابقت هوية علامتنا تمامًا."),
)
SELLER_REVIEWS = (
    (5, "مشترٍ واضح في طلبه، أرسل النص كاملًا مع ملاحظات النطق من البداية."),
    (4, "تعامل راقٍ وردود سريعة."),
)
REPLIES = ("شكرًا لك! سعدت بالعمل على إعلانكم، وبانتظار حملتكم القادمة.", "أشكرك على صبرك وملاحظاتك الدقيقة.")


def _written(options: tuple, order: Order):  # type: ignore[type-arg,no-untyped-def]
    return options[(order.id or 0) % len(options)]


def _buyer_review(session: Session, order: Order, _: datetime) -> None:
    overall, communication, quality, on_time, text = _written(BUYER_REVIEWS, order)
    submit_review(
        session, order_id=order.id, user_id=order.buyer_id, overall=overall, communication=communication, quality=quality, on_time=on_time, text=text  # type: ignore[arg-type]
    )


def _seller_review(session: Session, order: Order, _: datetime) -> None:
    overall, text = _written(SELLER_REVIEWS, order)
    submit_review(session, order_id=order.id, user_id=order.seller_id, overall=overall, text=text)  # type: ignore[arg-type]


def _reply(session: Session, order: Order, _: datetime) -> None:
    reply_to_review(session, order_id=order.id, user_id=order.seller_id, text=_written(REPLIES, order))  # type: ignore[arg-type]


def _partial_refund(session: Session, order: Order, _: datetime) -> None:
    admin = session.exec(select(User.id).where(User.role == Role.ADMIN.value)).first()
    assert admin is not None
    lifecycle.resolve(
        session, order_id=order.id, admin_id=admin, outcome="refund", note="سُلِّم نصف النص فقط؛ يُسترد النصف.", refund_minor=order.subtotal_minor // 2  # type: ignore[arg-type]
    )


STEPS: dict[str, Step] = {
    "pay": _pay,
    "answer": _answer,
    "deliver": _party(lifecycle.deliver, "seller", message="أرفقت التسجيل النهائي بصيغة WAV ونسخة MP3 مضغوطة. أتمنى أن ينال إعجابك!"),
    "revise": _party(lifecycle.request_revision, "buyer", note="ممتاز! فقط أرجو نطق اسم العلامة «مِهَن» بكسر الميم."),
    "accept": _party(lifecycle.accept, "buyer"),
    "tip": _tip,
    "late": _job(lifecycle.mark_late, timedelta(days=10)),
    "clear": _job(lifecycle.clear, timedelta(days=15)),  # the 14-day clearance is over
    "buyer_review": _buyer_review,
    "seller_review": _seller_review,
    "reply": _reply,
    "reveal": _job(reveal_due, REVIEWS.reveal_after),  # the reviews job, ten days on
    "cancel_request": _party(lifecycle.request_cancellation, "buyer", reason="تغيّرت خطة الحملة الإعلانية ولم نعد نحتاج التسجيل."),
    "cancel_accept": _party(lifecycle.accept_cancellation, "seller"),
    "dispute": _party(lifecycle.dispute, "buyer", reason="التسجيل لا يطابق النص المرسل في الفقرة الثانية."),
    "partial_refund": _partial_refund,
}


def seed_orders(session: Session, *, buyers: list[int], showcase: list[int]) -> int:
    """Play every story; return how many orders were created."""
    gigs = [
        gig_id
        for gig_id in session.exec(
            select(Gig.id).where(col(Gig.seller_id).in_(showcase), Gig.status == GigStatus.ACTIVE.value).order_by(Gig.seller_id, Gig.id)
        )
        if gig_id is not None
    ]
    if not gigs or not buyers:
        return 0
    today = clock.now()
    for story in STORIES:
        moment = today - timedelta(days=story.days_ago)
        with clock.frozen(moment) as move:
            gig, tier = _pick(session, gigs, story)
            choice = checkout.parse_checkout({"tier": tier})
            order = checkout.place_order(session, buyer_id=buyers[story.buyer % len(buyers)], gig_id=gig, data=choice)
            for number, name in enumerate(story.steps):
                at = moment + timedelta(hours=6 * number)
                move(at)
                STEPS[name](session, order, at)
    _withdraw(session, showcase[0])
    return len(STORIES)


def _pick(session: Session, gigs: list[int], story: Story) -> tuple[int, str]:
    """The story's gig and tier; a story with a revision needs a package that allows one."""
    for offset in range(len(gigs)):
        gig = gigs[(story.gig + offset) % len(gigs)]
        packages = {tier: revisions for tier, revisions in session.exec(select(GigPackage.tier, GigPackage.revisions).where(GigPackage.gig_id == gig))}
        tier = story.tier if story.tier in packages else "basic"
        if "revise" not in story.steps or packages.get(tier, 0) > 0:
            return gig, tier
    raise RuntimeError("no demo gig offers a revision")


def _withdraw(session: Session, seller: int) -> None:
    """The showcase seller has asked for part of their available earnings."""
    available = balance(session, chart.seller_available(seller)).minor
    if available >= withdrawals.MIN_WITHDRAWAL_MINOR:
        amount = available // 200 * 100  # about half, in whole riyals
        form = withdrawals.parse_withdrawal({"amount": str(max(amount, withdrawals.MIN_WITHDRAWAL_MINOR) // 100), "iban": DEMO_IBAN, "holder_name": "فهد العتيبي"})
        withdrawals.request(session, seller_id=seller, data=form)
