"""The sandbox gateway through its service and its webhook route, on SQLite and Postgres.

A counting fake stands in for checkout's result handler, so each test sees exactly which
results were delivered, when (only after a commit) and how often (a replay delivers again).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session
from starlette.testclient import TestClient

import models
from app.core import clock, db
from app.core.money import Money
from app.core.settings import get_settings
from app.http import build_routes
from app.payments import PaymentError, PaymentResult, get_gateway, register_result_handler
from app.payments import sandbox
from app.payments.sandbox import SIGNATURE_HEADER, SandboxGateway
from models.orders import PaymentStatus
from models.payments import SandboxPayment, SandboxRefund
from tests.integration.statekit import rows

PAID_CARD = "4111 1111 1111 1111"
DECLINED_CARD = "4000 0000 0000 0002"
CHALLENGE_CARD = "4000 0000 0000 3220"
OTHER_CARD = "5421 0801 0100 0000"
HUNDRED = Money(10_000)


Heard = list[PaymentResult]


@pytest.fixture
def heard() -> Iterator[Heard]:
    """The results a counting fake of checkout's handler received, in order.

    It stands in for checkout's handler during the test (any handler a test registers too);
    checkout's is put back afterwards.
    """
    results: Heard = []

    def handler(session: Session, result: PaymentResult) -> None:
        assert session.in_transaction()  # it runs inside the webhook's transaction
        results.append(result)

    previous = register_result_handler(handler)
    yield results
    register_result_handler(previous)


pytestmark = pytest.mark.usefixtures("heard")


def start(key: str = "order:1:attempt:1", *, amount: Money = HUNDRED, return_url: str = "/orders/1/paid", **metadata: str) -> str:
    with db.transaction() as session:
        started = get_gateway("sandbox").start(
            session,
            amount=amount,
            description="طلب ١: تعليق صوتي لإعلان",
            return_url=return_url,
            idempotency_key=key,
            metadata=metadata or {"order_id": "1"},
        )
    assert started.redirect_url == f"/sandbox/pay/{started.reference}"
    return started.reference


def pay(reference: str, number: str = PAID_CARD, **card: str) -> SandboxPayment:
    with db.transaction() as session:
        return sandbox.submit_card(
            session,
            reference=reference,
            number=number,
            expiry=card.get("expiry", "12/30"),
            cvc=card.get("cvc", "123"),
            holder=card.get("holder", "Sara Ali"),
        )


def answer(reference: str, code: str) -> SandboxPayment:
    with db.transaction() as session:
        return sandbox.submit_challenge(session, reference=reference, code=code)


def verify(reference: str) -> PaymentResult:
    with db.reading() as session:
        return get_gateway("sandbox").verify(session, reference=reference)


def refusal(action, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(PaymentError) as caught:
        action(*args, **kwargs)
    return caught.value.key


def payment_row(reference: str) -> SandboxPayment:
    [row] = rows(SandboxPayment, SandboxPayment.reference == reference)
    return row


# -- start -----------------------------------------------------------------------------------


def test_start_stores_a_payment_and_the_same_key_returns_it(database: str) -> None:
    # given a payment started for an order
    reference = start(order_id="1")
    # when checkout starts it again with the same key (a double click, a second tab)
    again = start(order_id="1")
    # then it is the same payment, stored once, waiting for a card
    assert again == reference
    [row] = rows(SandboxPayment)
    assert (row.amount_minor, row.currency, row.status, row.return_url) == (10_000, "SAR", "initiated", "/orders/1/paid")
    result = verify(reference)
    assert (result.gateway, result.status, result.amount, result.refunded) == ("sandbox", PaymentStatus.INITIATED, HUNDRED, Money(0))
    assert result.metadata == {"order_id": "1"}
    # and another key is another payment, with another random reference
    assert start("order:1:attempt:2") != reference
    assert len(rows(SandboxPayment)) == 2


def test_a_key_reused_for_other_money_is_refused(database: str) -> None:
    start()
    assert refusal(start, amount=Money(9_999)) == "payment.idempotency_conflict"
    assert refusal(start, amount=Money(10_000, "AED")) == "payment.idempotency_conflict"
    assert len(rows(SandboxPayment)) == 1


@pytest.mark.parametrize(
    "return_url", ["https://evil.example/x", "//evil.example", "/\\evil.example", "orders/1", "", "/a\nb", "/orders#frag", "/" + "x" * 500]
)
def test_only_a_same_site_return_path_is_accepted(database: str, return_url: str) -> None:
    # the sandbox must never become an open redirect
    with pytest.raises(ValueError):
        start(return_url=return_url)
    assert rows(SandboxPayment) == []


@pytest.mark.parametrize(
    "change",
    [{"amount": Money(0)}, {"amount": Money(-100)}, {"idempotency_key": ""}, {"description": "  "}, {"metadata": {"n": 1}}],
)
def test_start_refuses_what_no_caller_should_send(database: str, change: dict[str, object]) -> None:
    arguments: dict[str, object] = {
        "amount": HUNDRED, "description": "x", "return_url": "/r", "idempotency_key": "k", "metadata": {}, **change,
    }
    with db.transaction() as session, pytest.raises(ValueError):
        SandboxGateway().start(session, **arguments)  # type: ignore[arg-type]


def test_a_payment_started_in_a_rolled_back_transaction_is_gone(database: str) -> None:
    # given checkout that starts a payment, then fails
    with pytest.raises(RuntimeError), db.transaction() as session:
        SandboxGateway().start(session, amount=HUNDRED, description="x", return_url="/r", idempotency_key="k", metadata={})
        raise RuntimeError("checkout failed after the start")
    # then the payment went with it
    assert rows(SandboxPayment) == []


# -- the card, the outcome, the webhook ----------------------------------------------------------


def test_the_success_card_pays_and_the_webhook_reaches_the_handler_after_commit(database: str, heard: Heard) -> None:
    # given a started payment
    reference = start()
    # when the buyer pays with the success card
    payment = pay(reference, PAID_CARD)
    # then it is paid, the handler heard it once, and verify agrees
    assert (payment.status, payment.message) == ("paid", "payment.approved")
    assert [(r.reference, r.status, r.amount, r.message) for r in heard] == [(reference, PaymentStatus.PAID, HUNDRED, "payment.approved")]
    assert verify(reference) == heard[0]
    # and the buyer goes back to the shop with the reference
    assert sandbox.return_target(payment_row(reference)) == f"/orders/1/paid?reference={reference}"


def test_no_webhook_leaves_a_transaction_that_rolls_back(database: str, heard: Heard) -> None:
    reference = start()
    with pytest.raises(RuntimeError), db.transaction() as session:
        sandbox.submit_card(session, reference=reference, number=PAID_CARD, expiry="12/30", cvc="123", holder="Sara Ali")
        raise RuntimeError("the page's transaction failed")
    assert heard == []
    assert payment_row(reference).status == "initiated"


def test_the_declined_card_fails_the_payment(database: str, heard: Heard) -> None:
    reference = start()
    payment = pay(reference, DECLINED_CARD)
    assert (payment.status, payment.message) == ("failed", "payment.declined")
    assert [(r.status, r.message) for r in heard] == [(PaymentStatus.FAILED, "payment.declined")]


def test_a_valid_card_that_is_no_test_card_fails_the_payment(database: str, heard: Heard) -> None:
    reference = start()
    assert pay(reference, OTHER_CARD).message == "payment.unknown_test_card"
    assert verify(reference).status is PaymentStatus.FAILED
    assert len(heard) == 1


@pytest.mark.parametrize(
    ("card", "key"),
    [
        ({"number": "4111 1111 1111 1112"}, "payment.card_number"),
        ({"expiry": "01/20"}, "payment.card_expired"),
        ({"expiry": "13/30"}, "payment.card_expiry"),
        ({"cvc": "12"}, "payment.card_cvc"),
        ({"holder": ""}, "payment.card_holder"),
    ],
)
def test_a_mistyped_card_changes_nothing_and_can_be_corrected(database: str, heard: Heard, card: dict[str, str], key: str) -> None:
    # given a started payment and a mistyped card
    reference = start()
    typed = {"number": PAID_CARD, **card}
    # when it is submitted, then the form says what is wrong and the payment still waits
    assert refusal(pay, reference, **typed) == key
    assert payment_row(reference).status == "initiated" and heard == []
    # and the corrected card pays
    assert pay(reference).status == "paid"


def test_the_challenge_card_asks_for_the_code_and_the_right_code_pays(database: str, heard: Heard) -> None:
    # given a payment with the challenge card
    reference = start()
    payment = pay(reference, "٤٠٠٠ ٠٠٠٠ ٠٠٠٠ ٣٢٢٠")  # typed in Arabic-Indic digits
    # then it waits for the code, and nothing was announced yet
    assert (payment.status, payment.challenge_pending) == ("initiated", True)
    assert heard == [] and verify(reference).status is PaymentStatus.INITIATED
    # and another card cannot jump the step
    assert refusal(pay, reference) == "payment.challenge_pending"
    # when the code shown on the page is typed (Arabic-Indic digits too)
    payment = answer(reference, "١٢٣٤٥٦")
    # then it is paid and announced once
    assert (payment.status, payment.challenge_pending) == ("paid", False)
    assert [r.status for r in heard] == [PaymentStatus.PAID]


def test_a_wrong_code_fails_the_payment(database: str, heard: Heard) -> None:
    reference = start()
    pay(reference, CHALLENGE_CARD)
    payment = answer(reference, "654321")
    assert (payment.status, payment.message) == ("failed", "payment.challenge_failed")
    assert [r.status for r in heard] == [PaymentStatus.FAILED]
    assert refusal(answer, reference, sandbox.CHALLENGE_CODE) == "payment.already_final"


def test_a_code_without_a_challenge_is_refused(database: str) -> None:
    reference = start()
    assert refusal(answer, reference, sandbox.CHALLENGE_CODE) == "payment.no_challenge"
    assert payment_row(reference).status == "initiated"


@pytest.mark.parametrize("first", [PAID_CARD, DECLINED_CARD])
def test_a_finished_payment_is_never_paid_again(database: str, heard: Heard, first: str) -> None:
    # given a payment that ended (the first tab, the first click)
    reference = start()
    status = pay(reference, first).status
    # when the second tab or click submits a card
    # then it is refused, the outcome stays, and nothing more is announced
    assert refusal(pay, reference, PAID_CARD) == "payment.already_final"
    assert payment_row(reference).status == status
    assert len(heard) == 1


def test_unknown_references_are_unknown(database: str) -> None:
    for reference in ("sbx_" + "A" * 24, "nope", None, 7):
        assert refusal(pay, reference) == "payment.unknown_payment"  # type: ignore[arg-type]
    with db.reading() as session:
        assert refusal(SandboxGateway().verify, session, reference="sbx_" + "A" * 24) == "payment.unknown_payment"


def test_the_page_stops_paying_once_the_sandbox_is_switched_off(database: str, heard: Heard, monkeypatch: pytest.MonkeyPatch) -> None:
    # given a pilot's payment left waiting, then real gateways switched on
    reference = start()
    monkeypatch.setenv("MIHAN_PAYMENT_GATEWAYS", "moyasar")
    get_settings.cache_clear()
    try:
        # then the test card no longer pays anything
        assert refusal(pay, reference) == "payment.unknown_gateway"
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert payment_row(reference).status == "initiated" and heard == []


def test_a_failing_handler_does_not_undo_the_outcome(database: str) -> None:
    # given a handler that fails (a bug in checkout)
    def broken(session: Session, result: PaymentResult) -> None:
        raise RuntimeError("checkout bug")

    register_result_handler(broken)
    # when the buyer pays, then the gateway's outcome stands (the webhook is logged as failed)
    reference = start()
    assert pay(reference).status == "paid"
    assert verify(reference).status is PaymentStatus.PAID


def test_the_webhook_goes_to_the_database_the_payment_was_committed_in(database: str, heard: Heard, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # given a second database that is not the configured one (the CLI and tests pass URLs)
    other = f"sqlite:///{tmp_path / 'other.db'}"
    models.metadata.create_all(db.get_engine(other))
    with db.transaction(other) as session:
        reference = SandboxGateway().start(session, amount=HUNDRED, description="x", return_url="/r", idempotency_key="k", metadata={}).reference
    # when a card pays there
    with db.transaction(other) as session:
        sandbox.submit_card(session, reference=reference, number=PAID_CARD, expiry="12/30", cvc="123", holder="Sara Ali")
    # then its webhook was checked against, and handled in, that database
    assert [(r.reference, r.status) for r in heard] == [(reference, PaymentStatus.PAID)]
    assert rows(SandboxPayment) == []


# -- parse_webhook ----------------------------------------------------------------------------


def webhook_for(reference: str) -> bytes:
    return sandbox.webhook_body(payment_row(reference))


def parse(headers: dict[str, str], body: bytes) -> PaymentResult:
    with db.reading() as session:
        return SandboxGateway().parse_webhook(session, headers=headers, body=body)


def test_parse_webhook_checks_the_signature_and_answers_with_the_stored_payment(database: str) -> None:
    # given a paid payment and the body of its webhook
    reference = start()
    pay(reference)
    body = webhook_for(reference)
    signature = sandbox.sign(body)
    # then a correctly signed body is accepted, whatever the header's case
    assert parse({SIGNATURE_HEADER: signature}, body).status is PaymentStatus.PAID
    assert parse({SIGNATURE_HEADER.lower(): signature.upper()}, body).reference == reference
    # and a tampered body, a missing, wrong or foreign-key signature are refused
    tampered = body.replace(b'"paid"', b'"failed"')
    assert tampered != body
    assert refusal(parse, {SIGNATURE_HEADER: signature}, tampered) == "payment.bad_signature"
    assert refusal(parse, {}, body) == "payment.bad_signature"
    assert refusal(parse, {SIGNATURE_HEADER: "0" * 64}, body) == "payment.bad_signature"
    assert refusal(parse, {SIGNATURE_HEADER: "é\ud800"}, body) == "payment.bad_signature"
    foreign = hmac.new(b"another installation's key", body, hashlib.sha256).hexdigest()
    assert refusal(parse, {SIGNATURE_HEADER: foreign}, body) == "payment.bad_signature"


def test_parse_webhook_refuses_signed_nonsense_and_unknown_payments(database: str) -> None:
    for body in (b"not json", b"[]", b'{"data": []}', b'{"data": {}}', b"\xff\xfe"):
        assert refusal(parse, {SIGNATURE_HEADER: sandbox.sign(body)}, body) == "payment.bad_webhook"
    body = json.dumps({"data": {"reference": "sbx_" + "Z" * 24}}).encode()
    assert refusal(parse, {SIGNATURE_HEADER: sandbox.sign(body)}, body) == "payment.unknown_payment"


# -- the HTTP route -------------------------------------------------------------------------------


@pytest.fixture
def client() -> TestClient:
    return TestClient(build_routes())


def test_the_webhook_route_delivers_a_signed_webhook_and_a_replay_again(database: str, heard: Heard, client: TestClient) -> None:
    # given a paid payment (its in-process webhook already heard) and its webhook body
    reference = start()
    pay(reference)
    body = webhook_for(reference)
    heard.clear()
    # when the gateway POSTs it
    response = client.post("/payments/webhook/sandbox", content=body, headers={SIGNATURE_HEADER: sandbox.sign(body)})
    # then it is accepted and the handler heard the payment's result
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert [(r.reference, r.status) for r in heard] == [(reference, PaymentStatus.PAID)]
    # when the same webhook is replayed, then the handler hears the same result again
    again = client.post("/payments/webhook/sandbox", content=body, headers={SIGNATURE_HEADER: sandbox.sign(body)})
    assert again.status_code == 200
    assert heard == [heard[0], heard[0]]


def test_the_webhook_route_refuses_bad_signatures_and_unknown_gateways(database: str, heard: Heard, client: TestClient) -> None:
    reference = start()
    pay(reference)
    body = webhook_for(reference)
    heard.clear()
    # a tampered body or a missing signature: 400, and the handler heard nothing
    tampered = body.replace(b'"paid"', b'"failed"')
    response = client.post("/payments/webhook/sandbox", content=tampered, headers={SIGNATURE_HEADER: sandbox.sign(body)})
    assert response.status_code == 400 and response.json() == {"error": "payment.bad_signature"}
    assert client.post("/payments/webhook/sandbox", content=body).status_code == 400
    # a gateway that does not exist or is not switched on: 404; a GET: 405; a huge body: 413
    assert client.post("/payments/webhook/moyasar", content=body, headers={SIGNATURE_HEADER: sandbox.sign(body)}).status_code == 404
    assert client.get("/payments/webhook/sandbox").status_code == 405
    huge = b"x" * (70 * 1024)
    assert client.post("/payments/webhook/sandbox", content=huge, headers={SIGNATURE_HEADER: sandbox.sign(huge)}).status_code == 413
    assert heard == []


def test_a_handler_error_is_a_500_and_rolls_its_writes_back(database: str, client: TestClient) -> None:
    # given a handler that writes, then fails
    reference = start()
    pay(reference)
    body = webhook_for(reference)
    payment_id = payment_row(reference).id
    assert payment_id is not None

    def half_done(session: Session, result: PaymentResult) -> None:
        session.add(SandboxRefund(payment_id=payment_id, reference="sbr_half", idempotency_key="half", amount_minor=1, created_at=clock.now()))
        session.flush()
        raise RuntimeError("checkout bug")

    register_result_handler(half_done)
    response = TestClient(build_routes(), raise_server_exceptions=False).post(
        "/payments/webhook/sandbox", content=body, headers={SIGNATURE_HEADER: sandbox.sign(body)}
    )
    # then the gateway is told to retry and nothing the handler wrote remains
    assert response.status_code == 500
    assert rows(SandboxRefund) == []


# -- refunds ------------------------------------------------------------------------------------


def refund(reference: str, amount: Money, key: str):  # type: ignore[no-untyped-def]
    with db.transaction() as session:
        return get_gateway("sandbox").refund(session, reference=reference, amount=amount, idempotency_key=key)


def test_refunds_add_up_to_the_amount_and_no_further(database: str) -> None:
    # given a paid payment of 100.00
    reference = start()
    pay(reference)
    # when 30.00 is refunded, twice with the same key (a retried call)
    first = refund(reference, Money(3_000), "refund:1")
    again = refund(reference, Money(3_000), "refund:1")
    # then it is refunded once
    assert again == first
    assert (first.amount, first.refunded) == (Money(3_000), Money(3_000))
    assert verify(reference).refunded == Money(3_000)
    # when the rest is refunded, then the payment is fully refunded and stays paid
    assert refund(reference, Money(7_000), "refund:2").refunded == HUNDRED
    assert verify(reference).status is PaymentStatus.PAID
    # and one more halala is too much; a key reused for other money is refused
    assert refusal(refund, reference, Money(1), "refund:3") == "payment.refund_too_much"
    assert refusal(refund, reference, Money(2_000), "refund:1") == "payment.idempotency_conflict"
    assert len(rows(SandboxRefund)) == 2 and payment_row(reference).refunded_minor == 10_000


def test_only_a_paid_payment_is_refunded(database: str) -> None:
    waiting = start("a")
    failed = start("b")
    pay(failed, DECLINED_CARD)
    for reference in (waiting, failed):
        assert refusal(refund, reference, Money(100), f"refund:{reference}") == "payment.not_refundable"
    paid = start("c")
    pay(paid)
    assert refusal(refund, paid, Money(100, "USD"), "refund:usd") == "payment.refund_too_much"
    with pytest.raises(ValueError):
        refund(paid, Money(0), "refund:zero")
    assert rows(SandboxRefund) == []


def test_times_are_recorded(database: str) -> None:
    moment = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
    with clock.frozen(moment) as move:
        reference = start()
        move(moment + timedelta(minutes=3))
        pay(reference)
    row = payment_row(reference)
    assert (clock.as_utc(row.created_at), clock.as_utc(row.updated_at)) == (moment, moment + timedelta(minutes=3))
