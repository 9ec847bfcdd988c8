"""Every page once: route, title, description and the state to load, in one table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import reflex as rx

from pages import account, admin_lexicon, admin_taxonomy, auth, catalog, favourites, gig, gig_editor, home, legal, moderation, seller, seller_profile
from pages import (
    admin_disputes,
    admin_invites,
    admin_payments,
    admin_payouts,
    admin_reports,
    admin_transfers,
    admin_verifications,
    buyer_profile,
    checkout,
    invoices,
    messages,
    notifications,
    orders,
    requests,
    wallet,
)
from pages.sandbox import sandbox_pay
from state.admin_payments import AdminPaymentsState
from state.auth import AuthState
from state.buyer_profile import BuyerProfileState
from state.profile import ProfileState
from state.catalog import CatalogState
from state.checkout import CheckoutState, OrderChoiceState
from state.disputes import DisputesState
from state.favourites import FavouritesState
from state.gig import GigState
from state.home import HomeState
from state.identity import IdentityState, VerificationsQueueState
from state.transfers import TransfersQueueState
from state.invites import InvitesState
from state.invoices import AdminInvoicesState, InvoicesState, OrderInvoicesState, VatReportState
from state.lexicon_admin import LexiconAdminState
from state.messages import MessagesState
from state.requests import RequestsState
from state.moderation import ModerationState
from state.notifications import NotificationPrefsState, NotificationsState
from state.order_reviews import OrderReviewState
from state.orders import OrderListState, OrderState
from state.payouts import PayoutsState
from state.reports import ReportsQueueState
from state.sandbox import SandboxState
from state.seller import GigEditorState, SellerGigsState
from state.seller_profile import SellerProfileState
from state.taxonomy_admin import TaxonomyAdminState
from state.wallet import WalletState


@dataclass(frozen=True, kw_only=True)
class Route:
    path: str
    component: Callable[[], rx.Component]
    title: str
    description: str = "مِهَن — سوق الخدمات المصغّرة بالعربية: تعليق صوتي خليجي بسعر ثابت وتسليم مضمون."
    on_load: list[Any] = field(default_factory=list)


ROUTES: list[Route] = [
    Route(path="/", component=home.home, title="مِهَن — خدمات التعليق الصوتي الخليجي", on_load=[HomeState.open_page]),
    Route(path="/signup", component=auth.sign_up, title="إنشاء حساب | مِهَن", on_load=[AuthState.open_form]),
    Route(path="/login", component=auth.log_in, title="تسجيل الدخول | مِهَن", on_load=[AuthState.open_form]),
    Route(path="/forgot-password", component=auth.forgot_password, title="استعادة كلمة المرور | مِهَن", on_load=[AuthState.open_form]),
    Route(path="/reset-password", component=auth.reset_password, title="تعيين كلمة مرور جديدة | مِهَن", on_load=[AuthState.open_link]),
    Route(path="/verify-email", component=auth.verify_email, title="تأكيد البريد الإلكتروني | مِهَن", on_load=[AuthState.verify_email]),
    Route(path="/account", component=account.account, title="حسابي | مِهَن", on_load=[ProfileState.open_page, NotificationPrefsState.open_prefs]),
    Route(path="/search", component=catalog.search, title="بحث | مِهَن", on_load=[CatalogState.open_search]),
    # Dynamic segments become vars on every state: their names must not be a var of any state.
    Route(path="/category/[category_slug]", component=catalog.category, title="التصنيف | مِهَن", on_load=[CatalogState.open_category]),
    Route(path="/gig/[gig_id]", component=gig.gig, title="خدمة | مِهَن", on_load=[GigState.open_page, OrderChoiceState.open_page]),
    Route(path="/favourites", component=favourites.favourites, title="المفضلة | مِهَن", on_load=[FavouritesState.open_page]),
    Route(path="/wallet", component=wallet.wallet, title="المحفظة | مِهَن", on_load=[WalletState.open_page]),
    Route(path="/sellers/[seller_key]", component=seller_profile.seller_profile, title="البائع | مِهَن", on_load=[SellerProfileState.open_page]),
    Route(path="/buyers/[buyer_key]", component=buyer_profile.buyer_profile, title="المشتري | مِهَن", on_load=[BuyerProfileState.open_page]),
    Route(path="/checkout/[checkout_order]", component=checkout.checkout, title="إتمام الطلب | مِهَن", on_load=[CheckoutState.open_page]),
    Route(path="/checkout/[checkout_order]/return", component=checkout.checkout_return, title="إتمام الطلب | مِهَن", on_load=[CheckoutState.come_back]),
    Route(path="/notifications", component=notifications.notifications_page, title="الإشعارات | مِهَن", on_load=[NotificationsState.open_page]),
    Route(path="/invoices", component=invoices.own_invoices, title="فواتيري | مِهَن", on_load=[InvoicesState.open_page]),
    Route(path="/orders", component=orders.order_list, title="طلباتي | مِهَن", on_load=[OrderListState.open_page]),
    Route(path="/orders/[order_number]", component=orders.order, title="الطلب | مِهَن", on_load=[OrderState.open_page, OrderReviewState.open_page, OrderInvoicesState.open_page, MessagesState.open_page]),
    Route(path="/messages", component=messages.messages_page, title="الرسائل | مِهَن", on_load=[MessagesState.open_page]),
    Route(path="/messages/[conversation_key]", component=messages.messages_page, title="الرسائل | مِهَن", on_load=[MessagesState.open_page]),
    Route(path="/requests", component=requests.requests_page, title="طلبات الخدمات | مِهَن", on_load=[RequestsState.open_page]),
    Route(path="/requests/[request_key]", component=requests.request_page, title="طلب خدمة | مِهَن", on_load=[RequestsState.open_page]),
    Route(path="/seller/orders", component=orders.order_list, title="الطلبات الواردة | مِهَن", on_load=[OrderListState.open_page]),
    Route(path="/seller/gigs", component=seller.seller_gigs, title="خدماتي | مِهَن", on_load=[SellerGigsState.open_list, IdentityState.open_card]),
    Route(path="/seller/gigs/new", component=gig_editor.gig_editor, title="خدمة جديدة | مِهَن", on_load=[GigEditorState.open_editor]),
    Route(path="/seller/gigs/[edit_gig]", component=gig_editor.gig_editor, title="تعديل الخدمة | مِهَن", on_load=[GigEditorState.open_editor]),
    Route(path="/admin/moderation", component=moderation.moderation, title="مراجعة الخدمات | مِهَن", on_load=[ModerationState.open_queue]),
    Route(path="/admin/taxonomy", component=admin_taxonomy.taxonomy_admin, title="التصنيفات والمدن واللهجات | مِهَن", on_load=[TaxonomyAdminState.open_page]),
    Route(path="/admin/lexicon", component=admin_lexicon.lexicon_admin, title="معجم البحث | مِهَن", on_load=[LexiconAdminState.open_page]),
    Route(path="/admin/payments", component=admin_payments.admin_payments, title="المدفوعات وبوابات الدفع | مِهَن", on_load=[AdminPaymentsState.open_page]),
    Route(path="/admin/payouts", component=admin_payouts.payouts, title="طلبات السحب | مِهَن", on_load=[PayoutsState.open_page]),
    Route(path="/admin/reports", component=admin_reports.reports_queue, title="البلاغات | مِهَن", on_load=[ReportsQueueState.open_page]),
    Route(path="/admin/invites", component=admin_invites.invites, title="رموز دعوة البائعين المؤسسين | مِهَن", on_load=[InvitesState.open_page]),
    Route(path="/admin/verifications", component=admin_verifications.verifications_queue, title="توثيق الهوية | مِهَن", on_load=[VerificationsQueueState.open_page]),
    Route(path="/admin/transfers", component=admin_transfers.transfers_queue, title="التحويلات البنكية | مِهَن", on_load=[TransfersQueueState.open_page]),
    Route(path="/admin/disputes", component=admin_disputes.disputes, title="النزاعات | مِهَن", on_load=[DisputesState.open_page]),
    Route(path="/admin/invoices", component=invoices.admin_invoices, title="الفواتير الضريبية | مِهَن", on_load=[AdminInvoicesState.open_page]),
    Route(path="/admin/vat", component=invoices.vat_report, title="تقرير ضريبة القيمة المضافة | مِهَن", on_load=[VatReportState.open_page]),
    Route(path="/sandbox/pay/[sandbox_reference]", component=sandbox_pay, title="الدفع التجريبي | مِهَن", on_load=[SandboxState.open_page]),
    Route(path="/terms", component=legal.legal_page("terms"), title="شروط الاستخدام | مِهَن"),
    Route(path="/privacy", component=legal.legal_page("privacy"), title="سياسة الخصوصية | مِهَن"),
    Route(path="/refund-policy", component=legal.legal_page("refund"), title="سياسة الاسترداد | مِهَن"),
]
