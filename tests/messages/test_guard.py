"""The contact guard, measured on a corpus of realistic voice-over chat, plus its properties."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from app.messages import guard

CORPUS = Path(__file__).with_name("guard_corpus.jsonl")


def corpus() -> list[dict[str, object]]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_corpus_recall_and_false_positive_rate() -> None:
    # given: at least 150 messages, Arabic and English, both kinds well represented
    rows = corpus()
    contacts = [str(row["text"]) for row in rows if row["contact"]]
    clean = [str(row["text"]) for row in rows if not row["contact"]]
    assert len(rows) >= 150 and len(contacts) >= 60 and len(clean) >= 90
    # when
    missed = [text for text in contacts if not guard.inspect(text).flagged]
    false_alarms = [text for text in clean if guard.inspect(text).flagged]
    recall = 1 - len(missed) / len(contacts)
    fp_rate = len(false_alarms) / len(clean)
    print(f"\ncontact guard: recall {recall:.3f} ({len(contacts) - len(missed)}/{len(contacts)}), false positives {fp_rate:.3f} ({len(false_alarms)}/{len(clean)})")
    # then
    assert recall >= 0.95, missed
    assert fp_rate <= 0.03, false_alarms


def test_masked_contacts_leave_no_digits_of_the_number_behind() -> None:
    for text in ("كلمني على ٠٥٥١٢٣٤٥٦٧ بعد العصر", "call 055 123 4567 now", "رقمي +966551234567"):
        verdict = guard.inspect(text)
        shown = guard.mask(text, verdict)
        assert guard.MASK in shown and not any(ch.isdigit() for ch in shown), shown
    assert guard.mask("كلمني على ٠٥٥١٢٣٤٥٦٧ بعد العصر", guard.inspect("كلمني على ٠٥٥١٢٣٤٥٦٧ بعد العصر")) == "كلمني على ••• بعد العصر"


def test_each_disguise_is_named() -> None:
    assert guard.inspect("0551234567").kinds == (guard.PHONE,)
    assert guard.inspect("صفر خمسة خمسة واحد اثنين ثلاثة أربعة خمسة ستة سبعة").kinds == (guard.PHONE,)
    assert guard.EMAIL in guard.inspect("khalid at gmail dot com").kinds
    assert guard.inspect("www.voice.sa").kinds == (guard.LINK,)
    assert guard.HANDLE in guard.inspect("سناب: khalid_vo").kinds
    assert guard.inspect("نكمل واتساب").kinds == (guard.HINT,)
    assert not guard.inspect("نكمل واتساب").has_contact  # a hint alone has nothing to mask
    assert guard.mask("نكمل واتساب", guard.inspect("نكمل واتساب")) == "نكمل واتساب"


def test_numbers_of_the_trade_are_not_contacts() -> None:
    for text in ("٣٠ ثانية", "السعر ١٥٠ ريال", "الطلب #10234567", "2026-12-01", "٣٠/١١/٢٠٢٦", "10:30", "INV-2026-000123", "١٠٠ / ٢٠٠ / ٣٠٠ ريال"):
        assert not guard.inspect(text).flagged, text


UNITS = ["ثانية", "ثواني", "دقيقة", "كلمة", "ريال", "يوم", "أيام", "نسخة", "تعديل", "ساعة", "فقرة", "٪"]
WORDS = ["السلام", "عليكم", "أبي", "تعليق", "صوتي", "للإعلان", "النص", "جاهز", "التسليم", "بكرة", "الله", "يعطيك", "العافية", "ممتاز", "مرة", "ثانية", "الباقة", "المميزة", "شكراً", "الصوت", "حماسي", "هادئ", "المدة", "السعر", "الملف", "أرسلت", "بصيغة", "تقريباً"]
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@st.composite
def chat_line(draw: st.DrawFn) -> str:
    """Arabic chat with small quantities, each with its unit, in Latin or Arabic-Indic digits."""
    parts = []
    for _ in range(draw(st.integers(1, 12))):
        if draw(st.booleans()):
            number = str(draw(st.integers(0, 9999)))
            if draw(st.booleans()):
                number = number.translate(ARABIC_DIGITS)
            parts += [number, draw(st.sampled_from(UNITS))]
        else:
            parts.append(draw(st.sampled_from(WORDS)))
    return " ".join(parts)


@settings(max_examples=300, deadline=None)
@given(chat_line())
def test_arabic_chat_with_small_quantities_is_never_flagged(text: str) -> None:
    assert not guard.inspect(text).flagged, text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_masking_never_breaks_on_any_text(text: str) -> None:
    verdict = guard.inspect(text)
    shown = guard.mask(text, verdict)
    assert verdict.has_contact == (shown != text) or not verdict.spans
    assert all(0 <= start < end <= len(text) for start, end in verdict.spans)
