"""Every page once: route, title, description and the state to load, in one table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import reflex as rx

from pages import account, auth, catalog, favourites, gig, gig_editor, home, legal, moderation, seller, seller_profile
from state.auth import AuthState
from state.profile import ProfileState
from state.catalog import CatalogState
from state.favourites import FavouritesState
from state.gig import GigState
from state.moderation import ModerationState
from state.seller import GigEditorState, SellerGigsState
from state.seller_profile import SellerProfileState


@dataclass(frozen=True, kw_only=True)
class Route:
    path: str
    component: Callable[[], rx.Component]
    title: str
    description: str = "مِهَن — سوق الخدمات المصغّرة بالعربية: تعليق صوتي خليجي بسعر ثابت وتسليم مضمون."
    on_load: list[Any] = field(default_factory=list)


ROUTES: list[Route] = [
    Route(path="/", component=home.home, title="مِهَن — خدمات التعليق الصوتي الخليجي"),
    Route(path="/signup", component=auth.sign_up, title="إنشاء حساب | مِهَن", on_load=[AuthState.open_form]),
    Route(path="/login", component=auth.log_in, title="تسجيل الدخول | مِهَن", on_load=[AuthState.open_form]),
    Route(path="/forgot-password", component=auth.forgot_password, title="استعادة كلمة المرور | مِهَن", on_load=[AuthState.open_form]),
    Route(path="/reset-password", component=auth.reset_password, title="تعيين كلمة مرور جديدة | مِهَن", on_load=[AuthState.open_link]),
    Route(path="/verify-email", component=auth.verify_email, title="تأكيد البريد الإلكتروني | مِهَن", on_load=[AuthState.verify_email]),
    Route(path="/account", component=account.account, title="حسابي | مِهَن", on_load=[ProfileState.open_page]),
    Route(path="/search", component=catalog.search, title="بحث | مِهَن", on_load=[CatalogState.open_search]),
    # Dynamic segments become vars on every state: their names must not be a var of any state.
    Route(path="/category/[category_slug]", component=catalog.category, title="التصنيف | مِهَن", on_load=[CatalogState.open_category]),
    Route(path="/gig/[gig_id]", component=gig.gig, title="خدمة | مِهَن", on_load=[GigState.open_page]),
    Route(path="/favourites", component=favourites.favourites, title="المفضلة | مِهَن", on_load=[FavouritesState.open_page]),
    Route(path="/sellers/[seller_key]", component=seller_profile.seller_profile, title="البائع | مِهَن", on_load=[SellerProfileState.open_page]),
    Route(path="/seller/gigs", component=seller.seller_gigs, title="خدماتي | مِهَن", on_load=[SellerGigsState.open_list]),
    Route(path="/seller/gigs/new", component=gig_editor.gig_editor, title="خدمة جديدة | مِهَن", on_load=[GigEditorState.open_editor]),
    Route(path="/seller/gigs/[edit_gig]", component=gig_editor.gig_editor, title="تعديل الخدمة | مِهَن", on_load=[GigEditorState.open_editor]),
    Route(path="/admin/moderation", component=moderation.moderation, title="مراجعة الخدمات | مِهَن", on_load=[ModerationState.open_queue]),
    Route(path="/terms", component=legal.legal_page("terms"), title="شروط الاستخدام | مِهَن"),
    Route(path="/privacy", component=legal.legal_page("privacy"), title="سياسة الخصوصية | مِهَن"),
    Route(path="/refund-policy", component=legal.legal_page("refund"), title="سياسة الاسترداد | مِهَن"),
]
