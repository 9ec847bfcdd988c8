"""Seed the demo marketplace: an admin, voice-over sellers and buyers with Arabic names.

Seeding goes through the same services as the UI (sign-up, profile, seller mode), so demo data
obeys every rule real data does. It runs only on an empty store, which makes it idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app.accounts import ProfileInput, SignUpInput, become_seller, count_users, create_admin, update_profile
from app.accounts.registration import create_user
from models.accounts import Role

DEMO_PASSWORD = "mihan-demo-2026"

SELLERS = [
    ("فهد العتيبي", "fahad@demo.mihan.sa", "الرياض", "صوت نجدي دافئ للإعلانات والوثائقيات، استوديو منزلي معزول وخبرة ثماني سنوات.", ["العربية", "الإنجليزية"]),
    ("نورة الشمري", "noura@demo.mihan.sa", "جدة", "معلّقة صوتية حجازية للكتب الصوتية والتعليم الإلكتروني، تسليم خلال يومين.", ["العربية"]),
    ("خالد الكندري", "khaled@demo.mihan.sa", "الكويت", "دبلجة وتمثيل صوتي باللهجة الكويتية للرسوم المتحركة والألعاب.", ["العربية", "الإنجليزية"]),
    ("مريم المنصوري", "maryam@demo.mihan.sa", "دبي", "صوت إماراتي رسمي للرد الآلي وأنظمة الاتصال والعروض المؤسسية.", ["العربية", "الإنجليزية", "الفرنسية"]),
    ("سلطان الدوسري", "sultan@demo.mihan.sa", "الدمام", "منشد شيلات ومقدم بودكاست، مكساج وماسترنغ ضمن الباقة.", ["العربية"]),
]

BUYERS = [
    ("عبدالله القحطاني", "abdullah@demo.mihan.sa", "الرياض"),
    ("سارة الحربي", "sara@demo.mihan.sa", "المدينة المنورة"),
    ("يوسف البلوشي", "yousef@demo.mihan.sa", "مسقط"),
]


@dataclass(frozen=True)
class SeedResult:
    created: bool
    users: int


def seed_demo(session: Session) -> SeedResult:
    """Fill an empty store with the demo accounts; do nothing when any user exists."""
    if count_users(session) > 0:
        return SeedResult(created=False, users=count_users(session))
    create_admin(session, SignUpInput(name="إدارة مِهَن", email="admin@demo.mihan.sa", password=DEMO_PASSWORD))
    for name, email, city, bio, languages in SELLERS:
        user = create_user(session, SignUpInput(name=name, email=email, password=DEMO_PASSWORD), role=Role.USER, verified=True)
        assert user.id is not None
        update_profile(session, user_id=user.id, data=ProfileInput(name=name, bio=bio, city=city, languages=languages))
        become_seller(session, user_id=user.id)
    for name, email, city in BUYERS:
        user = create_user(session, SignUpInput(name=name, email=email, password=DEMO_PASSWORD), role=Role.USER, verified=True)
        assert user.id is not None
        update_profile(session, user_id=user.id, data=ProfileInput(name=name, city=city))
    return SeedResult(created=True, users=count_users(session))
