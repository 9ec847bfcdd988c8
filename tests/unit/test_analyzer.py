"""The search analyzer: normalization, Light10+ stems, ISRI roots, the concept lexicon, queries.

The word families and must-not-merge pairs follow shared/reference/arabic-search.md §1.1, adapted
to a services marketplace and the Gulf voice-over pilot.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.search import (
    ANALYZER_VERSION,
    DEFAULT_LEXICON_ENTRIES,
    STOP_WORDS,
    FieldTerms,
    Lexicon,
    QueryTerm,
    analyze_field,
    analyze_query,
    concepts,
    current_lexicon,
    normalize,
    root,
    set_lexicon,
    stem,
    tokens,
)

ROOT = Path(__file__).resolve().parents[2]

# (name, concept the lexicon gives the whole family or None, head, inflectional, derivational)
# Inflectional variants must share the head's stem. Derivational variants (agent nouns, verbs,
# broken plurals, loanwords, dialect spellings) must meet the head through the concept when the
# family has one; for the general-marketplace families without one they are only measured.
FAMILIES: list[tuple[str, str | None, str, list[str], list[str]]] = [
    # --- the pilot niche -------------------------------------------------------------------
    ("voiceover", "voiceover", "تعليق",
     ["التعليق", "تعليقات", "التعليقات", "تعليقك", "تعليقي", "بالتعليق", "للتعليق", "والتعليق",
      "وتعليق", "بتعليق", "تعليقاتنا", "تَعْلِيق", "تعليـــق"],
     ["معلق", "معلقة", "معلقين", "المعلق", "المعلقين", "معلقون", "يعلق", "أعلق", "سأعلق"]),
    ("voice", "voice", "صوت",
     ["الصوت", "صوتي", "صوتية", "الصوتية", "صوتيات", "الصوتيات", "صوتك", "بصوت", "وصوت", "بالصوت",
      "للصوت", "صوتكم"],
     ["أصوات", "الأصوات", "فويس", "voice"]),
    ("advertising", "ad", "إعلان",
     ["اعلان", "الإعلان", "إعلانات", "الاعلانات", "إعلاني", "إعلانية", "اعلانيه", "إعلانك",
      "لإعلانك", "للإعلانات", "والإعلانات", "بإعلان", "إعلاناتكم"],
     ["معلن", "معلنين", "المعلنين", "يعلن", "دعاية", "الدعاية", "دعايات", "commercial", "ads"]),
    ("dubbing", "dubbing", "دبلجة",
     ["الدبلجة", "دبلجه", "دبلجات", "للدبلجة", "بالدبلجة", "ودبلجة", "دبلجتك", "بدبلجة"],
     ["مدبلج", "مدبلجة", "المدبلج", "مدبلجين", "يدبلج", "دوبلاج", "الدوبلاج", "dubbing"]),
    ("translation", "translation", "ترجمة",
     ["الترجمة", "ترجمات", "للترجمة", "وترجمة", "ترجمه", "ترجمتك", "بترجمة", "الترجمات", "ترجمتي"],
     ["مترجم", "مترجمة", "مترجمين", "المترجم", "يترجم", "ترجم", "تعريب", "translator"]),
    ("podcast", "podcast", "بودكاست",
     ["البودكاست", "بودكاستات", "للبودكاست", "بودكاستك", "والبودكاست", "بودكاستي", "پودكاست"],
     ["podcast", "podcasts", "podcasting"]),
    ("script", "script", "سكربت",
     ["السكربت", "سكربتات", "سكربتك", "للسكربت", "والسكربت", "بالسكربت", "سكربتي"],
     ["سكريبت", "السكريبت", "نص", "النص", "نصوص", "النصوص", "سيناريو", "script", "scripts"]),
    # كتاب/كتب (book/books) are left out of "writing": كتاب صوتي is an audiobook.
    ("writing", "writing", "كتابة",
     ["الكتابة", "كتابات", "والكتابة", "كتابه", "للكتابة", "بكتابة", "كتابتك"],
     ["كاتب", "كاتبة", "الكاتب", "مكتوب", "يكتب", "أكتب", "سأكتب"]),
    ("recording", "recording", "تسجيل",
     ["التسجيل", "تسجيلات", "التسجيلات", "تسجيلك", "بتسجيل", "للتسجيل", "وتسجيل", "تسجيلي",
      "تسجيلاتنا"],
     ["مسجل", "مسجلة", "المسجل", "يسجل", "أسجل", "سأسجل", "recording"]),
    ("shela", "shela", "شيلة",
     ["الشيلة", "شيلات", "الشيلات", "شيله", "شيلتك", "للشيلات", "شيلاتي", "وشيلة"],
     ["منشد", "المنشد", "منشدين", "إنشاد", "الإنشاد", "أناشيد", "نشيد"]),
    ("narration", "narration", "سرد",
     ["السرد", "سردي", "بالسرد", "للسرد", "وسرد", "سردك"],
     ["سارد", "يسرد", "راوي", "الراوي", "إلقاء", "الإلقاء", "حكواتي", "narrator"]),
    ("montage", "montage", "مونتاج",
     ["المونتاج", "للمونتاج", "بالمونتاج", "ومونتاج", "مونتاجك"],
     ["مونتير", "المونتير", "editing"]),
    ("sound engineering", "sound_engineering", "مكساج",
     ["المكساج", "للمكساج", "والمكساج", "مكساجك"],
     ["ميكس", "ماسترنغ", "ماسترينج", "mixing", "mastering"]),
    ("documentary", "documentary", "وثائقي",
     ["الوثائقي", "وثائقية", "الوثائقية", "وثائقيات", "الوثائقيات"],
     ["documentary", "documentaries"]),
    ("dialect", "dialect", "لهجة",
     ["اللهجة", "لهجات", "اللهجات", "بلهجة", "للهجة", "لهجتك", "باللهجة", "لهجتي"],
     ["لكنة", "dialect", "accent"]),
    ("saudi", "saudi", "سعودي",
     ["السعودي", "سعودية", "السعودية", "سعوديين", "بالسعودية", "سعوديات"],
     ["saudi", "ksa"]),
    ("khaleeji", "khaleeji", "خليجي",
     ["الخليجي", "خليجية", "الخليجية", "خليجيين", "بالخليجي", "خليجيات"],
     ["khaleeji", "khaliji"]),
    ("najdi", "najdi", "نجدي", ["النجدي", "نجدية", "النجدية", "نجديه"], ["نجد", "najdi"]),
    ("hijazi", "hijazi", "حجازي", ["الحجازي", "حجازية", "الحجازية", "حجازيين"], ["الحجاز", "hijazi"]),
    ("emirati", "emirati", "إماراتي",
     ["اماراتي", "الإماراتي", "إماراتية", "الاماراتية", "إماراتيين"],
     ["الإمارات", "emirati", "uae"]),
    ("kuwaiti", "kuwaiti", "كويتي", ["الكويتي", "كويتية", "الكويتية", "كويتيين"], ["الكويت", "kuwaiti"]),
    ("bahraini", "bahraini", "بحريني", ["البحريني", "بحرينية", "البحرينية"], ["البحرين", "bahraini"]),
    ("ivr", "ivr", "سنترال", ["السنترال", "سنترالات", "للسنترال", "سنترالك"], ["مقسم", "المقسم", "ivr"]),
    ("education", "education", "تعليم",
     ["التعليم", "تعليمي", "تعليمية", "التعليمية", "للتعليم", "بالتعليم"],
     ["education", "educational"]),
    ("training", "training", "تدريب",
     ["التدريب", "تدريبي", "تدريبية", "التدريبية", "للتدريب", "تدريبات"],
     ["مدرب", "مدربة", "المدرب", "training"]),
    ("proofreading", "proofreading", "تدقيق",
     ["التدقيق", "للتدقيق", "تدقيقك", "وتدقيق", "بتدقيق"],
     ["مدقق", "المدقق", "مدققة", "proofreading"]),
    ("editing", "editing", "تحرير",
     ["التحرير", "تحريري", "تحريرية", "للتحرير", "بتحرير"],
     ["محرر", "المحرر", "محررة"]),
    ("music", "music", "موسيقى",
     ["الموسيقى", "موسيقي", "الموسيقية", "موسيقية", "بالموسيقى"],
     ["ميوزك", "music"]),
    ("video", "video", "فيديو",
     ["الفيديو", "فيديوهات", "الفيديوهات", "فيديوهاتك", "بالفيديو", "للفيديو", "فيديوك", "ڤيديو"],
     ["فديو", "video", "videos"]),
    ("studio", "studio", "استوديو",
     ["الاستوديو", "استوديوهات", "للاستوديو", "واستوديو"],
     ["استديو", "ستوديو", "studio"]),
    ("radio", "radio", "إذاعة",
     ["الإذاعة", "إذاعي", "إذاعية", "الإذاعية", "إذاعات", "للإذاعة"],
     ["راديو", "radio"]),
    ("animation", "animation", "كرتون",
     ["الكرتون", "كرتوني", "كرتونية", "للكرتون"],
     ["أنيميشن", "انمي", "animation", "cartoon"]),
    ("female voice", "female", "نسائي", ["النسائي", "نسائية", "النسائية"], ["أنثوي", "female"]),
    ("poetry", "poetry", "شعر",
     ["الشعر", "الشعري", "شعرية", "بالشعر", "للشعر"],
     ["شاعر", "الشاعر", "شعراء", "قصيدة", "قصائد"]),
    ("singing", "singing", "غناء",
     ["الغناء", "غنائي", "غنائية", "بالغناء"],
     ["أغنية", "أغاني", "مغني", "مطرب"]),
    # --- the general marketplace (no concept yet: derivations are measured, not asserted) ---
    ("design", None, "تصميم",
     ["التصميم", "تصميمات", "التصميمات", "بتصميم", "وتصميم", "تصميمي", "تصميمك", "تَصْمِيم",
      "تصـــميم"],
     ["تصاميم", "التصاميم", "مصمم", "مصممة", "مصممين", "المصمم", "يصمم", "صمم", "سيصمم"]),
    ("programming", None, "برمجة",
     ["البرمجة", "برمجي", "برمجية", "برمجيات", "البرمجيات", "برمجه"],
     ["مبرمج", "مبرمجين", "المبرمج", "يبرمج", "برمج"]),
    ("marketing", None, "تسويق",
     ["التسويق", "تسويقي", "تسويقية", "التسويقية", "للتسويق"],
     ["مسوق", "مسوقين", "المسوق", "يسوق"]),
    ("content", None, "محتوى", ["المحتوى", "محتوي", "محتويات", "المحتويات", "محتواك"], []),
    ("english", None, "إنجليزي",
     ["انجليزي", "الإنجليزية", "الانجليزية", "انجليزية", "إنجليزية", "بالإنجليزي"],
     ["الإنكليزية", "انكليزي"]),
    ("photography", None, "تصوير",
     ["التصوير", "تصويري", "للتصوير", "بالتصوير"],
     ["مصور", "المصور", "مصورين", "يصور"]),
    ("website", None, "موقع", ["الموقع", "موقعك", "لموقعك", "وموقع", "للموقع"], ["مواقع", "المواقع"]),
    ("article", None, "مقال",
     ["المقال", "مقالات", "المقالات", "مقالة", "مقالتك", "مقالتي", "للمقالات"], []),
    ("logo", None, "شعار",
     ["الشعار", "شعارات", "الشعارات", "شعارك", "للشعار", "شعاري"], ["لوجو", "لوقو"]),
    ("management", None, "إدارة",
     ["الإدارة", "ادارة", "إداري", "إدارية", "الإدارية", "للإدارة", "وإداري"],
     ["مدير", "المدير", "يدير"]),
    ("accounts", None, "حساب", ["الحساب", "حسابات", "حسابك", "الحسابات"], ["محاسب", "محاسبة", "المحاسب"]),
    ("app", None, "تطبيق", ["التطبيق", "تطبيقات", "التطبيقات", "تطبيقك", "لتطبيقك", "بتطبيق"], []),
    ("freelancer", None, "مستقل", ["المستقل", "مستقلين", "المستقلين", "مستقلة"], ["استقلال"]),
    ("arabic", None, "عربي", ["العربي", "عربية", "العربية", "بالعربية", "للعربية"], []),
    ("law", None, "قانون", ["القانون", "قانوني", "قانونية", "القانونية"], ["قوانين"]),
    ("improvement", None, "تحسين", ["التحسين", "تحسينات", "لتحسين"], []),
]

# Must NOT merge: they share neither a stem nor a concept. Most share an ISRI root, which is why
# root is only a low-weight tier.
DISTRACTORS: list[tuple[str, str]] = [
    # §1.1
    ("تعليق", "تعليم"), ("معلق", "معلم"), ("تعليق", "علاقات"), ("كتابة", "مكتب"), ("كاتب", "مكتبة"),
    ("تسويق", "سائق"), ("تحرير", "حرير"), ("محرر", "حرارة"), ("تحرير", "حر"), ("تدقيق", "دقيقة"),
    ("تدقيق", "دقيق"), ("رسم", "رسمي"), ("رسم", "رسمية"), ("تعليم", "معلومات"), ("معلم", "عالم"),
    ("تعليم", "علامة"), ("موقع", "توقيع"), ("مواقع", "توقعات"), ("موقع", "واقع"), ("تطبيق", "طبق"),
    ("تطبيقات", "أطباق"), ("تطبيق", "مطابقة"), ("شعار", "شعر"), ("شعارات", "مشاعر"),
    ("شعار", "إشعار"), ("شعار", "شاعر"), ("محاسبة", "حاسوب"), ("محاسب", "حسب"), ("مقال", "مقاول"),
    ("صوت", "تصويت"), ("ألعاب", "لعاب"), ("تحليل", "حلول"), ("محلل", "محل"), ("تحليل", "حلال"),
    ("عربية", "عربة"), ("سيرة", "سيارة"), ("طباعة", "طبيعة"), ("مطبعة", "طبيعي"), ("إدارة", "دائرة"),
    ("مدير", "مدار"), ("تدريب", "درب"), ("مستقل", "قليل"), ("استشارة", "إشارة"), ("مصمم", "صمام"),
    ("بيانات", "بيانو"),
    # the voice-over niche
    ("صوتي", "تصويت"), ("أصوات", "تصويت"), ("بصوت", "تصويت"), ("تصوير", "صوت"), ("تصوير", "تصويت"),
    ("تعليق", "تعليمات"), ("معلق", "معلومات"), ("تعليق", "علامة"), ("معلقة", "معلمة"),
    ("إعلان", "إعلام"), ("نص", "نصف"), ("نصوص", "نصيحة"), ("مونتاج", "منتج"), ("مونتير", "منتجات"),
    ("كتابة", "كتاب"), ("إلقاء", "لقاء"), ("بحريني", "بحر"), ("نجدي", "نجدة"), ("حجازي", "حجز"),
    ("سعودي", "مساعدة"), ("سعودية", "سعادة"), ("قطري", "قطرة"), ("ماسترنغ", "ماستر"),
    ("مقسم", "تقسيم"), ("راوي", "رواية"), ("شعار", "شيلة"), ("دبلجة", "دبلوم"),
    # English
    ("voice", "vote"), ("ad", "add"), ("dubbing", "dubai"), ("podcast", "broadcast"),
]


def _key(word: str) -> tuple[str, tuple[str, ...]]:
    (token,) = tokens(word)
    return stem(token), concepts(token)


def _meets_by_concept(word: str, concept: str) -> bool:
    """The word carries the concept on its own or, for a phrase, through the phrase."""
    return concept in analyze_field(word).concept


# --- normalize and tokens ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "تَصْمِيـــم شعارات إحترافية ٣ أيام ﻻ Logo Design مسؤول مسئول مستوى",
            "تصميم شعارات احترافيه 3 ايام لا logo design مسءول مسءول مستوي",
        ),
        ("أإآٱ", "اااا"),
        ("مدرسة مستشفى", "مدرسه مستشفي"),
        ("کتاب فارسی", "كتاب فارسي"),
        ("۱۲۳ ٤٥٦", "123 456"),
        ("٣٫٥", "3.5"),
        ("تعـــــليق", "تعليق"),
        ("تَعْلِيقٌ صَوْتِيٌّ", "تعليق صوتي"),
        ("\u202eتعليق\u202c \u2067صوتي\u2069\u200f", "تعليق صوتي"),
        ("\u202a\u202b\u202d\u2066\u2068x\u200e\u061c\ufeff", "x"),
        ("ﻻ ﷲ", "لا الله"),
        ("می\u200cخواهم", "ميخواهم"),
        ("ڤيديو پودكاست", "فيديو بودكاست"),
        ("VOICE Over", "voice over"),
    ],
)
def test_normalize_folds_spelling_marks_digits_and_controls(raw, expected):
    # given raw text as users type or paste it
    # when it is normalized
    result = normalize(raw)
    # then spelling variants, marks, controls and digits are folded
    assert result == expected


def test_normalize_is_idempotent():
    # given text that needs every kind of folding
    text = "تَصْمِيـــم ﻻ ٣ مسؤول \u202eإعلان\u202c 🎙️"
    # when it is normalized twice
    once = normalize(text)
    # then the second pass changes nothing
    assert normalize(once) == once


def test_decomposed_and_composed_hamza_normalize_alike():
    # given the same word typed precomposed and decomposed (و + combining hamza above)
    composed, decomposed = "مسؤول", "مسو\u0654ول"
    # when both are normalized
    # then they are identical
    assert normalize(composed) == normalize(decomposed)


_MIXED_TEXT = st.text(
    alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
    | st.sampled_from(list("ab İ ﻻﷲ\u0301\u0307\u202e\u2066\u200c\ufeff\ufe8d\ufb50ـ٣1٫٬🎙️"))
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), _MIXED_TEXT))
def test_analysis_is_total_and_normalize_idempotent(text):
    # given any text, Arabic-heavy or not
    # when it is normalized, tokenized and analyzed
    normalized = normalize(text)
    # then normalizing again changes nothing, tokens agree, and no level is ever empty
    assert normalize(normalized) == normalized
    assert tokens(normalized) == tokens(text)
    field = analyze_field(text)
    assert all(field.stem) and all(field.root)
    assert len(field.exact) == len(field.stem) == len(field.root)
    analyze_query(text)


def test_tokens_split_words_numbers_and_scripts_and_drop_emoji():
    # given mixed text with emoji, punctuation, a glued conjunction and decimal numbers
    text = "🎙️ تعليق صوتي، وWordPress ٣٫٥ دقيقة! mp3 (VO) ✨"
    # when it is tokenized
    result = tokens(text)
    # then letters and numbers remain, emoji and punctuation are dropped, scripts split
    assert result == ["تعليق", "صوتي", "و", "wordpress", "3.5", "دقيقه", "mp", "3", "vo"]


def test_emoji_passes_normalize():
    # given text with an emoji
    # when normalized
    # then the emoji is kept (tokens() drops it)
    assert normalize("صوت 🎙️") == "صوت 🎙️"
    assert tokens("صوت 🎙️") == ["صوت"]


def test_tokens_of_empty_or_symbol_only_text_are_empty():
    # given text without letters or digits
    # when tokenized
    # then there are no tokens
    assert tokens("") == []
    assert tokens("  ،؛؟ ... 🎙️ ـــ ") == []


# --- stems ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "concept", "head", "inflected", "derived"), FAMILIES, ids=[f[0] for f in FAMILIES])
def test_inflectional_variants_share_the_head_stem(name, concept, head, inflected, derived):
    # given a word family's head
    head_stem, _ = _key(head)
    # when every inflectional variant is stemmed
    stems = {word: _key(word)[0] for word in inflected}
    # then each gets the head's stem
    assert {w: s for w, s in stems.items() if s != head_stem} == {}


@pytest.mark.parametrize(
    ("name", "concept", "head", "inflected", "derived"),
    [f for f in FAMILIES if f[1] is not None],
    ids=[f[0] for f in FAMILIES if f[1] is not None],
)
def test_derivational_variants_meet_the_head_through_the_concept(name, concept, head, inflected, derived):
    # given a family the lexicon covers
    # when the head and every variant are analyzed
    words = [head, *inflected, *derived]
    # then all of them carry the family's concept
    assert [w for w in words if not _meets_by_concept(w, concept)] == []


@pytest.mark.parametrize(("left", "right"), DISTRACTORS, ids=[f"{a}/{b}" for a, b in DISTRACTORS])
def test_distractors_share_neither_stem_nor_concept(left, right):
    # given two words that look alike (usually one ISRI root) but mean different things
    # when both are analyzed
    left_stem, left_concepts = _key(left)
    right_stem, right_concepts = _key(right)
    # then no stem and no concept joins them
    assert left_stem != right_stem
    assert set(left_concepts).isdisjoint(right_concepts)


def test_families_and_distractors_cover_the_brief():
    # given the test data
    # then there are enough families and pairs, and no family's stem is shared by another family
    assert len(FAMILIES) >= 30
    assert len(DISTRACTORS) >= 40
    heads = [_key(head)[0] for _, _, head, _, _ in FAMILIES]
    assert len(heads) == len(set(heads))


def test_roots_may_join_distractors_which_is_why_root_is_a_low_tier():
    # given classic root traps
    # when their ISRI roots are taken
    # then they coincide even though stems and concepts keep them apart
    assert root("تعليق") == root("علاقات")
    assert root("شعار") == root("شعر")
    assert root("صوت") == root("تصويت")


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("رسمية", "رسمي"),  # protected nisba: not رسم
        ("عربة", "عربه"),  # protected: not عرب (عربي)
        ("قانوني", "قانون"),  # singular in -ون stays whole
        ("تحسينات", "تحسين"),
        ("البحرينية", "بحرين"),  # not بحر
        ("الإلقاء", "القاء"),  # the ال belongs to the word
        ("بالألوان", "الوان"),
        ("محتواك", "محتو"),
        ("مقالتك", "مقال"),  # ة written ت before a pronoun
        ("بودكاستك", "بودكاست"),  # but a ت-final loanword keeps its ت
        ("الكويتي", "كويت"),
        ("بصوت", "صوت"),  # ب before a known stem
        ("برنامج", "برنامج"),  # ب that is part of the word stays
        ("بيانات", "بيان"),
        ("للهجة", "لهج"),  # ل + اللهجة
    ],
)
def test_light10_plus_fixed_rules(word, expected):
    # given a word one of the fixed rules is for
    (token,) = tokens(word)
    # when it is stemmed
    # then the rule applies
    assert stem(token) == expected


def test_latin_words_get_english_stems_and_numbers_stay():
    # given English words and numbers
    # when stemmed
    # then plurals and -ing forms meet, numbers are unchanged
    assert stem("voices") == stem("voice") == "voic"
    assert stem("recordings") == stem("recording") == stem("record")
    assert stem("dubbing") == stem("dub")
    assert stem("30") == "30"
    assert stem("3.5") == "3.5"


def test_short_and_non_arabic_tokens_are_their_own_root():
    # given tokens that ISRI should not touch
    # when their roots are taken
    # then they come back unchanged
    assert root("صف") == "صف"
    assert root("voice") == "voice"
    assert root("2024") == "2024"
    assert root("مصمم") == "صمم"


def test_root_is_deterministic_across_hash_seeds():
    # given words whose roots a hash-seed-dependent stemmer would vary (Tashaphyne's كاتب -> كتب/وتب)
    words = ["كاتب", "تعليق", "مصممين", "المترجمون", "الإعلانات", "شيلات", "ودبلجة", "بصوت"]
    here = [root(normalize(w)) for w in words]
    script = (
        "import json,sys; from app.search import root, normalize; "
        "print(json.dumps([root(normalize(w)) for w in sys.argv[1:]]))"
    )
    # when another interpreter with other hash seeds computes them
    results = []
    for seed in ("1", "2", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script, *words], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        )
        results.append(done.stdout.strip())
    # then every process agrees with this one
    assert all(json.loads(r) == here for r in results)


def test_isri_runs_without_nltk_data_or_network():
    # given an environment with no nltk_data anywhere and an empty home
    env = {**os.environ, "NLTK_DATA": "/nonexistent", "HOME": "/nonexistent"}
    script = "from app.search import root; print(root('المعلقين'))"
    # when a fresh interpreter computes a root
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    # then it works
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == root("المعلقين")


# --- lexicon and concepts ------------------------------------------------------------------


def test_default_lexicon_is_curated_for_the_niche():
    # given the default entries
    ids = {c for _, c in DEFAULT_LEXICON_ENTRIES}
    # then there are enough of them and the niche concepts are present
    assert len(DEFAULT_LEXICON_ENTRIES) >= 120
    assert {
        "voiceover", "ad", "dubbing", "audiobook", "podcast", "ivr", "script", "translation",
        "sound_engineering", "shela", "documentary", "elearning", "voice", "recording", "montage",
        "narration", "saudi", "gulf", "khaleeji", "najdi", "hijazi", "emirati", "kuwaiti",
    } <= ids


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("فويس اوفر", "voiceover"),
        ("فويس أوفر", "voiceover"),
        ("Voice-Over", "voiceover"),
        ("voice over", "voiceover"),
        ("voiceover", "voiceover"),
        ("VO", "voiceover"),
        ("تعليق صوتي", "voiceover"),
        ("التعليقات الصوتية", "voiceover"),
        ("كتاب صوتي", "audiobook"),
        ("الكتب الصوتية", "audiobook"),
        ("كتابك الصوتي", "audiobook"),
        ("رواية صوتية", "audiobook"),
        ("audio books", "audiobook"),
        ("رد آلي", "ivr"),
        ("الرد الآلي", "ivr"),
        ("IVR", "ivr"),
        ("هندسة الصوت", "sound_engineering"),
        ("مهندس صوت", "sound_engineering"),
        ("sound engineering", "sound_engineering"),
        ("تعليم إلكتروني", "elearning"),
        ("التعليم الالكتروني", "elearning"),
        ("e-learning", "elearning"),
        ("كاتب محتوى", "script"),
        ("بود كاست", "podcast"),
        ("لهجة خليجية", "khaleeji"),
        ("رسوم متحركة", "animation"),
        ("مؤثرات صوتية", "sfx"),
    ],
)
def test_multi_word_and_loanword_terms_yield_their_concept(text, concept):
    # given a multi-word, loanword or dialect spelling of a niche service
    # when it is analyzed as a field
    result = analyze_field(text)
    # then its concept is indexed
    assert concept in result.concept


def test_lexicon_terms_are_normalized_and_stemmed_on_load():
    # given a lexicon built from inflected, hamza-spelled and multi-word terms
    lexicon = Lexicon([("الإعلانات", "ad"), ("رد آلي", "ivr"), ("Voice Overs", "voiceover")])
    # when it is asked about stems and token sequences
    # then every inflection meets the term
    assert lexicon.concepts_of(stem("اعلان")) == ("ad",)
    assert lexicon.concepts_of(stem("لاعلانك")) == ("ad",)
    assert lexicon.phrase_concepts(tokens("نظام الرد الالي للشركات")) == [(1, 3, "ivr")]
    assert lexicon.phrase_concepts(tokens("a voice over artist")) == [(1, 3, "voiceover")]
    assert lexicon.concepts_of("مجهول") == ()


def test_lexicon_merges_duplicates_and_keeps_several_concepts_per_term():
    # given a term listed twice for one concept and once for another
    lexicon = Lexicon([("خليجي", "gulf"), ("خليجية", "gulf"), ("خليجي", "khaleeji")])
    # when its stem is looked up
    # then each concept appears once, in entry order
    assert lexicon.concepts_of(stem("الخليجيين")) == ("gulf", "khaleeji")


@pytest.mark.parametrize("bad", [("", "voiceover"), ("🎙️", "voiceover"), ("صوت", "Voice Over"), ("صوت", "")])
def test_lexicon_rejects_empty_terms_and_non_slug_concepts(bad):
    # given an entry with no words or a concept id that is not a slug
    # when a lexicon is built from it
    # then it is refused
    with pytest.raises(ValueError):
        Lexicon([bad])


def test_lexicon_fingerprint_follows_the_stemmed_entries():
    # given lexicons with the same entries spelled differently, and a different one
    a = Lexicon([("إعلان", "ad"), ("فويس اوفر", "voiceover")])
    b = Lexicon([("فويس أوفر", "voiceover"), ("الاعلانات", "ad")])
    c = Lexicon([("إعلان", "ad")])
    # then equivalent entries give one fingerprint and different ones another
    assert a.fingerprint == b.fingerprint != c.fingerprint


def test_set_lexicon_replaces_concepts_and_clears_the_cache():
    # given the default lexicon and a cached concept lookup
    default = current_lexicon()
    assert concepts("تعليق") == ("voiceover",)
    try:
        # when an admin's lexicon replaces it
        set_lexicon(Lexicon([*DEFAULT_LEXICON_ENTRIES, ("كومنتري", "voiceover"), ("تعليق", "commentary")]))
        # then new and extended terms are visible at once
        assert concepts("كومنتري") == ("voiceover",)
        assert concepts("التعليقات") == ("voiceover", "commentary")
        assert "voiceover" in analyze_field("كومنتري رياضي").concept
    finally:
        set_lexicon(default)
    assert concepts("كومنتري") == ()


# --- analyze_field -------------------------------------------------------------------------


def test_analyze_field_gives_aligned_exact_stem_root_and_concepts():
    # given a gig title
    title = "مُعلّق صوتي سعودي لإعلاناتك بصوت نجدي 🎙️"
    # when it is analyzed for indexing
    result = analyze_field(title)
    # then exact, stem and root are aligned per token and concepts are collected
    assert isinstance(result, FieldTerms)
    assert result.exact == ("معلق", "صوتي", "سعودي", "لاعلاناتك", "بصوت", "نجدي")
    assert result.stem == ("معلق", "صوت", "سعود", "اعلان", "صوت", "نجد")
    assert len(result.root) == len(result.exact)
    assert set(result.concept) >= {"voiceover", "voice", "saudi", "ad", "najdi"}


def test_analyze_field_of_empty_text_is_empty():
    # given empty text
    # when analyzed
    # then every level is empty
    assert analyze_field("") == FieldTerms(exact=(), stem=(), concept=(), root=())


# --- analyze_query -------------------------------------------------------------------------


def test_analyze_query_drops_stop_words():
    # given a query with prepositions and a conjunction
    # when it is analyzed
    result = analyze_query("تعليق صوتي على إعلان في الرياض و جدة")
    # then only the content words remain
    assert [t.exact for t in result] == ["تعليق", "صوتي", "اعلان", "الرياض", "جده"]
    assert all(isinstance(t, QueryTerm) for t in result)


def test_analyze_query_of_only_stop_words_keeps_them():
    # given a query made only of stop words
    # when it is analyzed
    result = analyze_query("في من")
    # then they are kept rather than returning nothing
    assert [t.exact for t in result] == ["في", "من"]


def test_analyze_query_english_stems_match_documents():
    # given an English query and an English gig title
    query = analyze_query("Voice Overs for the ads")
    field = analyze_field("Professional voice-over for your ad")
    # when both are analyzed
    # then the query's stems are among the document's, and stop words are gone
    assert [t.stem for t in query] == ["voic", "over", "ad"]
    assert {t.stem for t in query} <= set(field.stem)
    assert all("voiceover" in t.concepts for t in query[:2])


def test_multi_word_synonym_query_meets_a_document_written_differently():
    # given the loanword query and a gig that says تعليق صوتي
    query = analyze_query("فويس اوفر سعودي")
    field = analyze_field("تعليق صوتي بلهجة سعودية")
    # when both are analyzed
    # then every query term meets the document at some level
    assert all("voiceover" in t.concepts for t in query[:2])
    for term in query:
        assert (
            term.exact in field.exact
            or term.stem in field.stem
            or set(term.concepts) & set(field.concept)
        ), term


def test_stop_word_inside_a_phrase_is_kept_with_the_phrase_concept():
    # given رد آلي, whose second word normalizes to the stop word الي (إلى)
    # when it is analyzed as a query
    result = analyze_query("رد آلي")
    # then both words stay and carry the ivr concept
    assert [t.exact for t in result] == ["رد", "الي"]
    assert all("ivr" in t.concepts for t in result)


def test_analyze_query_collapses_repeated_terms():
    # given a query repeating a word
    # when analyzed
    result = analyze_query("صوت صوت خليجي")
    # then each term appears once
    assert [t.exact for t in result] == ["صوت", "خليجي"]


def test_query_trap_does_not_meet_the_wrong_gig():
    # given a precision-trap query and a gig about the other word
    query = analyze_query("تعليق")
    field = analyze_field("تعليم اللغة العربية وعلاقات عامة")
    # when both are analyzed
    (term,) = query
    # then the query term meets the gig at no level except (possibly) the root
    assert term.exact not in field.exact
    assert term.stem not in field.stem
    assert not set(term.concepts) & set(field.concept)


def test_analyze_query_is_deterministic():
    # given a query
    text = "مونتاج ومكساج بودكاست بصوت خليجي"
    # when analyzed twice
    # then the results are equal
    assert analyze_query(text) == analyze_query(text)


def test_stop_words_are_normalized():
    # given the stop-word list
    # then each entry is already in normalized form and the brief's words are in it
    assert all(normalize(w) == w for w in STOP_WORDS)
    assert {"في", "من", "علي", "الي", "عن", "مع", "او", "و", "ال", "ب", "ل"} <= STOP_WORDS
    assert {"the", "a", "for", "of", "and", "in"} <= STOP_WORDS


def test_analyzer_version_is_a_positive_int():
    # given the version the index records
    # then it is a positive integer
    assert isinstance(ANALYZER_VERSION, int) and ANALYZER_VERSION >= 1
