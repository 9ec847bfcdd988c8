"""/admin/payments in the browser: an admin switches Moyasar on with its keys (the page then shows
only how the key ends, and the key is nowhere in the page), a forged webhook appears in the log
in red, and the reconciliation tab answers. Screenshots (Arabic, 1280 px and 360 px) land in
tests/e2e/artifacts.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from state.admin_payments import shown_end
from tests.e2e.conftest import Server, Site
from tests.e2e.test_catalogue_journey import label
from tests.e2e.test_invoice_journey import both_widths
from tests.e2e.test_journeys import AR, PASSWORD, main, unique_email

pytestmark = pytest.mark.e2e

SECRET = "sk_test_E2eSecretKey9876"
WEBHOOK_SECRET = "whsec-e2e-secret-4242"


def test_an_admin_sets_a_gateway_reads_the_webhook_log_and_the_reconciliation(make_site: Callable[..., Site], server: Server) -> None:
    email = unique_email("payments-admin")
    server.create_admin(email=email, password=PASSWORD, name="مشرف المدفوعات")
    admin = make_site()
    page = admin.goto("/login")
    label(page, "auth.email").fill(email)
    label(page, "auth.password").fill(PASSWORD)
    admin.navigates(lambda: main(page).get_by_role("button", name=AR["auth.log_in"]).click(), "/")
    try:
        # -- settings: Moyasar on, with keys that are never shown again ------------------------------
        page = admin.goto("/admin/payments?tab=settings")
        card = page.locator("#gateway-moyasar")
        card.get_by_label(AR["gwsettings.on"]).check()
        page.locator("#moyasar-secret_key").fill(SECRET)
        page.locator("#moyasar-webhook_secret").fill(WEBHOOK_SECRET)
        card.locator("#save-moyasar").click()
        expect(page.locator("#moyasar-secret_key-status")).to_have_text(AR["gwsettings.secret_set"].format(end=shown_end(SECRET[-4:])))
        expect(page.locator("#moyasar-secret_key")).to_have_value("")
        assert SECRET not in page.content() and WEBHOOK_SECRET not in page.content()
        both_widths(admin, make_site, "/admin/payments?tab=settings", "admin-payments-settings")

        # -- a forged webhook is refused, and the log shows it in red --------------------------------
        answer = admin.page.request.post(admin.url("/payments/webhook/moyasar"), data={"id": "evt_forged", "secret_token": "guessed"})
        assert answer.status == 400
        page = admin.goto("/admin/payments?tab=webhooks&outcome=refused")
        expect(main(page).locator(".webhook-item").first).to_contain_text(AR["admin_payments.outcome_bad_signature"])
        assert "guessed" not in page.content()
        both_widths(admin, make_site, "/admin/payments?tab=webhooks", "admin-payments-webhooks")

        # -- payments and reconciliation (no gateway payment yet: nothing to match) ------------------
        page = admin.goto("/admin/payments?tab=reconcile")
        expect(main(page)).to_contain_text(AR["admin_payments.no_mismatches"])
        both_widths(admin, make_site, "/admin/payments?tab=reconcile", "admin-payments-reconcile")
        page = admin.goto("/admin/payments")
        expect(page.locator("#admin-nav")).to_contain_text(AR["admin.nav_payments"])
        both_widths(admin, make_site, "/admin/payments", "admin-payments")
    finally:
        # the server is shared by every journey: the sandbox must stay the only card buyers see
        switch_off_moyasar(admin)


def switch_off_moyasar(admin: Site) -> None:
    page = admin.goto("/admin/payments?tab=settings")
    card = page.locator("#gateway-moyasar")
    card.get_by_label(AR["gwsettings.off"]).check()
    card.locator("#save-moyasar").click()
    expect(page.get_by_text(AR["gwsettings.saved"])).to_be_visible()
