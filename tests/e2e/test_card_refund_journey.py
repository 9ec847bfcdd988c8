"""An admin resolves a dispute with a full refund back to the buyer's card, in the browser.

The order is made through the services (``completed_order --disputed``: paid by the sandbox's test
card, delivered, disputed by the buyer). The admin opens it on /admin/disputes, where «إلى البطاقة»
is preselected for an order paid by card, picks «استرداد كامل», writes the note and submits; the
sandbox then holds one refund of the whole amount. Screenshots (Arabic, 1280 px and 360 px) land in
tests/e2e/artifacts.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.core import db
from models.orders import CardRefund
from tests.e2e.conftest import Server, Site
from tests.e2e.test_catalogue_journey import label
from tests.e2e.test_invoice_journey import both_widths
from tests.e2e.test_journeys import AR, PASSWORD, main, unique_email
from tests.e2e.test_review_journey import completed_between_two_browsers

pytestmark = pytest.mark.e2e


def test_an_admin_refunds_a_disputed_order_to_the_card(make_site: Callable[..., Site], server: Server, tmp_path: Path) -> None:
    # given a disputed order paid by card, and an admin signed in
    _, _, order_id = completed_between_two_browsers(make_site, server, tmp_path, "--disputed")
    admin_email = unique_email("admin")
    server.create_admin(email=admin_email, password=PASSWORD, name="مشرفة مِهَن")
    admin = make_site()
    page = admin.goto("/login")
    label(page, "auth.email").fill(admin_email)
    label(page, "auth.password").fill(PASSWORD)
    admin.navigates(lambda: main(page).get_by_role("button", name=AR["auth.log_in"]).click(), "/")
    # when the admin opens the dispute: the refund goes back to the card unless they choose otherwise
    path = f"/admin/disputes?order={order_id}"
    both_widths(admin, make_site, path, "dispute-refund-to-card")
    page = admin.goto(path)
    expect(page.locator("#refund-to-card")).to_have_attribute("data-state", "checked")
    page.locator("#decision-refund_full").click()
    label(page, "disputes.note").fill("التسليم لا يطابق المطلوب؛ يُردّ المبلغ كاملًا إلى البطاقة.")
    page.locator("#resolve-submit").click()
    # then the decision is done and the card was refunded once, in full
    expect(page.get_by_text(AR["disputes.done_refund_full"])).to_be_visible()
    expect(page.locator("#disputes-empty")).to_be_visible()
    with db.reading(server.db_url) as session:
        refunds = [(r.order_id, r.status, r.amount_minor) for r in session.query(CardRefund).all()]
    assert refunds == [(order_id, "done", 10000)], refunds
