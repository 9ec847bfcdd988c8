"""The text analyzer shared by indexing and querying: normalize, tokenize, stem, root, concepts.

Design overview (see shared/reference/arabic-search.md, sections 2.2, 2.3 and 4.1):

* ``normalize`` folds the spelling variation of real Arabic text (hamza and alef forms, ى/ي, ة/ه,
  Persian letters, tashkeel, tatweel, bidi controls, Arabic-Indic digits, presentation forms) so
  that documents and queries meet on one spelling. The database tokenizer is never trusted with it.
* ``tokens`` splits normalized text into runs of Arabic letters, runs of other letters, and numbers.
  A script change splits a token, so ``وWordPress`` yields ``و`` and ``wordpress``.
* ``stem`` is Light10+ for Arabic (clitics, sound plurals, feminine and nisba endings, attached
  pronouns; no dual ``ان``), run to a fixed point with a protected-word list for the known wrong
  merges and singular words that look inflected. Latin words get Snowball English; numbers stay.
* ``root`` is the NLTK ISRI root: high recall for derivations, but it merges unrelated words
  (شعار/شعر, موقع/توقيع, تعليق/علاقات), so it is only ever a low-weight or fallback level.
* ``concepts`` come from a curated :class:`Lexicon` of derivations, broken plurals, loanwords and
  dialect spellings (معلق → voiceover, فويس اوفر → voiceover). Lexicon terms are normalized and
  stemmed on load, so every inflection of a term meets it; multi-word terms match as phrases.

Everything here is deterministic across processes (no dependence on hash seeds), so an index built
in one process matches queries analyzed in another. Bump :data:`ANALYZER_VERSION` whenever the
output of ``normalize``/``tokens``/``stem``/``root`` or the default lexicon changes; the index is
rebuilt when it changes. An edited lexicon changes only the concept level (see
:attr:`Lexicon.fingerprint`).
"""

from __future__ import annotations

import hashlib
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import snowballstemmer  # type: ignore[import-untyped]

ANALYZER_VERSION: int = 2

# --------------------------------------------------------------------------------------------
# Normalization (§2.2)
# --------------------------------------------------------------------------------------------

_MAP: dict[int, str | None] = {}
for _c in "أإآٱٲٳٵ":
    _MAP[ord(_c)] = "ا"  # hamza/madda/wasla alef -> bare alef
_MAP[ord("ى")] = "ي"  # alef maqsura
_MAP[ord("ة")] = "ه"  # taa marbuta
_MAP[ord("ۀ")] = "ه"
_MAP[ord("ہ")] = "ه"
_MAP[ord("ە")] = "ه"
_MAP[ord("ؤ")] = "ء"  # مسؤول == مسئول
_MAP[ord("ئ")] = "ء"
_MAP[ord("ک")] = "ك"  # Persian keheh
_MAP[ord("ی")] = "ي"  # Persian yeh
_MAP[ord("ڤ")] = "ف"  # veh, written for /v/ in loanwords (ڤيديو)
_MAP[ord("پ")] = "ب"  # peh, written for /p/ in loanwords (پودكاست)
for _i in range(10):
    _MAP[0x0660 + _i] = str(_i)  # Arabic-Indic digits
    _MAP[0x06F0 + _i] = str(_i)  # Persian digits
_MAP[ord("٫")] = "."  # Arabic decimal separator
_MAP[ord("٬")] = ""  # Arabic thousands separator
for _c in "،؛؟۔":
    _MAP[ord(_c)] = " "
_MAP[0x0640] = None  # tatweel
for _cp in [*range(0x0610, 0x061B), *range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE)]:
    _MAP[_cp] = None  # tashkeel, small high signs and Quranic marks
for _cp in (0x200C, 0x200D, 0x200E, 0x200F, 0x061C, 0xFEFF, *range(0x202A, 0x202F), *range(0x2066, 0x206A)):
    _MAP[_cp] = None  # ZWNJ/ZWJ, LRM/RLM/ALM, BOM, embeddings/overrides (202A-202E), isolates (2066-2069)
_TABLE = str.maketrans(_MAP)
# The alef that only carries an accusative tanween (تعليقًا, صوتيًا, حقاً) is spelling, not part of
# the word: dropped with its mark so تعليقًا صوتيًا meets تعليق صوتي. Bare final alefs are kept.
_TANWEEN_ALEF = re.compile("(?:\u064b[\u064c-\u0652]*\u0627|\u0627[\u064c-\u0652]*\u064b)(?![\u0620-\u064a\u066e-\u06d3])")

_ARABIC_RANGES = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff"
_TOKEN = re.compile(rf"[0-9]+(?:\.[0-9]+)?|[{_ARABIC_RANGES}]+|[^\W\d_{_ARABIC_RANGES}]+")
_ARABIC_CHAR = re.compile(rf"[{_ARABIC_RANGES}]")


def normalize(text: str) -> str:
    """Fold spelling variants, strip marks and controls, map digits to ASCII, lowercase.

    NFKC runs only when the text is not already NFKC (presentation forms such as ﻻ, decomposed
    hamza sequences, full-width digits); the common case is one ``str.translate`` and ``lower``.
    The result is idempotent: ``normalize(normalize(x)) == normalize(x)``.
    """
    if text.isascii():
        return text.lower()
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = _TANWEEN_ALEF.sub("", text).translate(_TABLE).lower()
    if not unicodedata.is_normalized("NFKC", text):
        # rare: a removed control unblocked a composition, or lower() denormalized (İ -> i̇)
        text = unicodedata.normalize("NFKC", text).translate(_TABLE).lower()
    return text


def tokens(text: str) -> list[str]:
    """Normalized tokens: runs of Arabic letters, runs of other letters, or numbers (``3.5``)."""
    return _TOKEN.findall(normalize(text))


def _is_arabic(token: str) -> bool:
    return bool(token) and _ARABIC_CHAR.match(token) is not None


# --------------------------------------------------------------------------------------------
# Light10+ (§4.1), run to a fixed point, with protected words
# --------------------------------------------------------------------------------------------

_PREFIXES = ("وبال", "وكال", "ولل", "وال", "بال", "كال", "فال", "لل", "ال")
_PRONOUNS = ("كما", "هما", "كم", "كن", "هم", "هن", "نا", "ها", "ك")
_SUFFIXES = ("ات", "ون", "ين", "يه", "ه", "ي")  # no dual "ان": it breaks اعلان/بيان/عنوان/فنان

# Words whose stem is fixed, checked after every stripping step. They stop wrong merges
# (رسمي ≠ رسم, عربة ≠ عربي, كتابة ≠ كتاب) and keep singulars that merely look inflected
# (قانون, تحسين, بحرين, ميكروفون) or end in a pronoun-like ك (مشارك, اشتراك, جرافيك).
_PROTECTED_GROUPS: dict[str, tuple[str, ...]] = {
    "رسمي": ("رسمي", "رسميه", "رسميا", "رسميات"),
    "عربه": ("عربه", "عربات"),
    "كتابه": ("كتابه", "كتابات", "كتابت"),
    "قنا": ("قنات", "قنوات"),  # قناة: قناتك must not lose ات as a plural
    "حيا": ("حيات",),
    "نجده": ("نجده",),
    "قطره": ("قطره", "قطرات"),
    "الي": ("الي",),  # آلي (automatic); also the preposition إلى, a stop word
    "الله": ("الله",),
    "بحرين": ("بحرين",),
    "فلسطين": ("فلسطين",),
    "اونلاين": ("اونلاين",),
    "لاين": ("لاين",),
    "بنزين": ("بنزين",),
    "تحسين": ("تحسين",),
    "تخزين": ("تخزين",),
    "تدوين": ("تدوين",),
    "تلوين": ("تلوين",),
    "تعيين": ("تعيين",),
    "تمرين": ("تمرين",),
    "تامين": ("تامين",),
    "تكوين": ("تكوين",),
    "تزيين": ("تزيين",),
    "تلحين": ("تلحين",),
    "تدشين": ("تدشين",),
    "تضمين": ("تضمين",),
    "تلقين": ("تلقين",),
    "تحصين": ("تحصين",),
    "قانون": ("قانون",),
    "مضمون": ("مضمون",),
    "مخزون": ("مخزون",),
    "ميكروفون": ("ميكروفون", "مايكروفون", "ميكرفون"),
    "تلفزيون": ("تلفزيون", "تليفزيون"),
    "تلفون": ("تلفون", "تليفون"),
    "صالون": ("صالون",),
    "كرتون": ("كرتون",),
    "بالون": ("بالون",),
    "زيتون": ("زيتون",),
    "ليمون": ("ليمون",),
    "صابون": ("صابون",),
    "مشارك": ("مشارك",),
    "مشترك": ("مشترك",),
    "اشتراك": ("اشتراك",),
    "محرك": ("محرك",),
    "متحرك": ("متحرك",),
    "تحريك": ("تحريك",),
    "شريك": ("شريك",),
    "جرافيك": ("جرافيك", "قرافيك", "غرافيك"),
    "فيسبوك": ("فيسبوك",),
    "كلاسيك": ("كلاسيك",),
    "بلاستيك": ("بلاستيك",),
    "تكتيك": ("تكتيك",),
    "ميوزك": ("ميوزك", "ميوزيك"),
    "لينك": ("لينك",),
    "مارك": ("مارك",),
    "بلوك": ("بلوك",),
    "مبارك": ("مبارك",),
    "سلوك": ("سلوك",),
    "استهلاك": ("استهلاك",),
    "تفاهم": ("تفاهم",),
    "اماكن": ("اماكن",),
}
_PROTECTED: dict[str, str] = {form: stem for stem, forms in _PROTECTED_GROUPS.items() for form in forms}

# ت-final words that are not a feminine ة before a pronoun (so صوتك stays صوت, not صوه).
_T_FINAL = frozenset(
    "صوت وقت بيت زيت توقيت تثبيت تصويت كويت انترنت سكربت سكريبت بودكاست ماركت بوست تارجت تارقت "
    "برومبت روبوت تويت شات سبوت كونتنت ثابت صامت سكوت ياقوت تابوت بيروت سوفت ماكيت جاكيت بسكويت "
    "مثبت نحت كبريت عفريت ملكوت".split()
)

# Words that begin with a letter sequence looking like the article ال (القاء, الوان, البوم, الكتروني).
_AL_WORDS = (
    "القاء الوان الكتروني الماني البوم الغاء التزام التقاط الحان اليه الات اله الف الاف "
    "الفاظ القاب الم الام الاسكا".split()
)


def _restore_taa(word: str) -> str:
    """A feminine ة written ت before a suffix (مقالتك, تجربتي) goes back to ه."""
    if len(word) >= 4 and word[-1] == "ت" and word[-2] != "ا" and word not in _T_FINAL:
        return word[:-1] + "ه"
    return word


# Words really ending in ا, so a pronoun after them does not signal a ى written ا (كاميرا + ك).
_ALEF_FINAL = frozenset("كاميرا سينما دراما ميديا بيتزا كورونا فيزا اوبرا اكسترا انترا الترا".split())


def _restore_final(word: str) -> str:
    """Undo the spelling change a pronoun causes: ة written ت (مقالتك), ى written ا (محتواك)."""
    if len(word) >= 4 and word[-1] == "ا" and word not in _ALEF_FINAL:
        return word[:-1] + "ي"
    return _restore_taa(word)


def _core(word: str) -> str:
    """Strip an attached pronoun, then suffixes to a fixed point; stop at protected words."""
    protected = _PROTECTED.get(word)
    if protected is not None:
        return protected
    for suffix in _PRONOUNS:
        if len(word) >= len(suffix) + 3 and word.endswith(suffix):
            word = _restore_final(word[: -len(suffix)])
            protected = _PROTECTED.get(word)
            if protected is not None:
                return protected
            break
    changed = True
    while changed:
        changed = False
        for suffix in _SUFFIXES:
            # a sound plural ون/ين leaves at least three letters: معين, مدينة, جنون keep their ن
            keep = 3 if suffix in ("ون", "ين") else 2
            if len(word) >= len(suffix) + keep and word.endswith(suffix):
                word = word[: -len(suffix)]
                if suffix == "ي":
                    word = _restore_taa(word)
                protected = _PROTECTED.get(word)
                if protected is not None:
                    return protected
                changed = True
    return word


# Stems that may carry a bare proclitic ب/ل/ك (بصوت, لهجة → بلهجة, كمعلق). Light10 strips ب/ل only
# before ت/م because blind stripping breaks برنامج, بيانات, لغة; a short list of known stems is
# safe and catches the niche's most frequent phrases (بصوت خليجي, بلهجة سعودية, بسعر).
_CLITIC_BASE_WORDS = (
    "صوت صوتي اصوات لهجه لغه لحن لون سعر جوده اداء القاء نبره اسلوب طريقه شكل احتراف احترافيه "
    "سرعه دقه كتاب نص اعلان شيله دبلجه ترجمه تعليق عربي انجليزي خليجي سعودي نجدي حجازي كويتي "
    "اماراتي قطري بحريني عماني فصحي كتابه لوجو فيديو مونتاج مكساج سكربت سكريبت بودكاست استوديو "
    "ميكروفون حماس هدوء وضوح ذوق مهاره عنايه خدمه شعار حساب موقع ساعه دقيقه ثانيه يوم كلمه".split()
)
_CLITIC_BASES = frozenset(_core(w) for w in _CLITIC_BASE_WORDS)

# Words whose first و is a root letter, not the conjunction (وثائقي, واضح, وقت): Light10 strips a
# bare و from any word of four letters or more, which splits وثائقي from الوثائقي.
_WAW_WORDS = (
    "وثاءقي وثيقه واضح وضوح وقت وظيفه وصف وساءل وسيله وكاله ورشه وجه واجهه ورق وزن وسيط وطن "
    "واتساب ويب وورد ويندوز واقع واقعي وضع وصول وصل وحده وزاره وزير وكيل وسم وسوم وعي وقف "
    "واجب وجبه ولاء وداع وحيد وعد وسام وادي ورده وسيم وقود وفاء".split()
)
_WAW_STEMS = frozenset(_core(w) for w in _WAW_WORDS)
_AL_STEMS = frozenset("ال" + _core(w[2:]) for w in _AL_WORDS)


def _light10p(word: str) -> str:
    if len(word) < 3:
        return word
    protected = _PROTECTED.get(word)
    if protected is not None:
        return protected
    stripped = ""
    for prefix in _PREFIXES:
        if len(word) >= len(prefix) + 2 and word.startswith(prefix):
            rest = word[len(prefix) :]
            if prefix.endswith("لل") and _core(word[len(prefix) - 1 :]) in _CLITIC_BASES:
                rest = word[len(prefix) - 1 :]  # للهجة = ل + اللهجة, not لل + هجة
            stripped, word = prefix, rest
            break
    else:
        if len(word) >= 4 and word[0] == "و" and _core(word) not in _WAW_STEMS:
            word = word[1:]
        if len(word) >= 3 and word[0] in "بلك" and _core(word[1:]) in _CLITIC_BASES:
            word = word[1:]  # بصوت بلهجة كمعلق
        elif len(word) >= 6 and word[0] in "بل" and word[1] in "تم":
            word = word[1:]  # بتصميم لموقعك
    if stripped and word.startswith("ال") and "ال" + _core(word[2:]) in _AL_STEMS:
        return "ال" + _core(word[2:])  # الالقاء, بالالوان: article + an ال-initial word
    stem = _core(word)
    if stripped.endswith("ال") and "ال" + stem in _AL_STEMS:
        return "ال" + stem  # القاء, الوان: the ال belongs to the word
    return stem


_ENGLISH = snowballstemmer.stemmer("english")
_ENGLISH_LOCK = threading.Lock()  # Snowball stemmer objects keep state between calls


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """Light10+ for Arabic tokens, Snowball English for other letters, numbers unchanged."""
    if _is_arabic(token):
        return _light10p(token)
    if token.isalpha():
        with _ENGLISH_LOCK:
            return str(_ENGLISH.stemWord(token))
    return token


# --------------------------------------------------------------------------------------------
# ISRI root (low tier)
# --------------------------------------------------------------------------------------------

_isri: Any = None
_ISRI_LOCK = threading.Lock()


def _isri_stemmer() -> Any:
    """NLTK's ISRI stemmer, imported on first use (importing nltk takes ~0.4 s); pure Python, no data."""
    global _isri
    if _isri is None:
        with _ISRI_LOCK:
            if _isri is None:
                from nltk.stem.isri import ISRIStemmer  # type: ignore[import-untyped]

                _isri = ISRIStemmer()
    return _isri


@lru_cache(maxsize=200_000)
def root(token: str) -> str:
    """The ISRI root of an Arabic token of three letters or more; any other token unchanged."""
    if len(token) < 3 or not _is_arabic(token):
        return token
    return str(_isri_stemmer().stem(token)) or token


# --------------------------------------------------------------------------------------------
# Stop words
# --------------------------------------------------------------------------------------------

STOP_WORDS: frozenset[str] = frozenset(
    normalize(
        "في من على إلى الى عن مع أو او و ال ب ل ك ف ثم أن إن ان ما لا لم لن قد كان هذا هذه ذلك تلك "
        "التي الذي الذين اللي هو هي هم انا أنا نحن انت أنت كل بعض حتى إذا اذا عند لدى بين إلا الا "
        "أيضا ايضا أيضًا غير كما مثل يا وفي ومن وعلى وإلى وعن ومع فقط جدا جدًا "
        "the a an for of and in to with on or by at"
    ).split()
)


# --------------------------------------------------------------------------------------------
# Concept lexicon
# --------------------------------------------------------------------------------------------

_SLUG = re.compile(r"[a-z][a-z0-9_]*")


class Lexicon:
    """Curated (term, concept) pairs; terms are normalized and stemmed on load.

    A term of one token maps its stem to the concept, so every inflection of the term meets it.
    A term of several tokens (``فويس اوفر``, ``voice over``) is a phrase matched on stems.
    """

    def __init__(self, entries: Iterable[tuple[str, str]]) -> None:
        single: dict[str, list[str]] = {}
        phrases: dict[tuple[str, ...], list[str]] = {}
        stored: set[tuple[str, str]] = set()
        for term, concept in entries:
            concept = concept.strip()
            if not _SLUG.fullmatch(concept):
                raise ValueError(f"concept id must be an ASCII slug: {concept!r}")
            key = tuple(stem(t) for t in tokens(term))
            if not key:
                raise ValueError(f"lexicon term has no words: {term!r}")
            stored.add((" ".join(key), concept))
            target = single.setdefault(key[0], []) if len(key) == 1 else phrases.setdefault(key, [])
            if concept not in target:
                target.append(concept)
        self._single = {k: tuple(v) for k, v in single.items()}
        self._phrases = {k: tuple(v) for k, v in phrases.items()}
        self._phrase_lengths = sorted({len(k) for k in self._phrases}, reverse=True)
        self._fingerprint = hashlib.sha256(
            "\n".join(f"{t}\t{c}" for t, c in sorted(stored)).encode()
        ).hexdigest()[:16]

    @property
    def fingerprint(self) -> str:
        """A short hash of the stemmed entries; the concept level is stale when it changes."""
        return self._fingerprint

    def __len__(self) -> int:
        return len(self._single) + len(self._phrases)

    def concepts_of(self, stem: str) -> tuple[str, ...]:
        """Concepts of a single stem (as returned by :func:`stem`), possibly empty."""
        return self._single.get(stem, ())

    def phrase_concepts(self, tokens: list[str]) -> list[tuple[int, int, str]]:
        """(start, end, concept) for every multi-word term found in ``tokens``; ``end`` is exclusive."""
        if not self._phrases:
            return []
        stems = [stem(t) for t in tokens]
        found: list[tuple[int, int, str]] = []
        for start in range(len(stems)):
            for length in self._phrase_lengths:
                concepts = self._phrases.get(tuple(stems[start : start + length]))
                if concepts and start + length <= len(stems):
                    found.extend((start, start + length, c) for c in concepts)
        return found


def _entries(concept: str, terms: str) -> tuple[tuple[str, str], ...]:
    return tuple((t.strip(), concept) for t in terms.split("|") if t.strip())


# Curated for the Gulf voice-over pilot and its adjacent crafts. Derivations, broken plurals,
# loanwords and dialect spellings that light stemming cannot merge; one inflection per term is
# enough. Deliberately absent: علاقات/تعليم/معلم/علامة (not تعليق), تصويت (not صوت), شعار (not
# شعر), دور (a role, not دورة), منتج (a producer, not مونتاج).
DEFAULT_LEXICON_ENTRIES: tuple[tuple[str, str], ...] = (
    *_entries(
        "voiceover",
        "تعليق|معلق|معلقة|معلقين|معلقون|يعلق|أعلق|سأعلق|نعلق|تعليق صوتي|معلق صوتي|فويس اوفر|فويس أوفر|"
        "فويس اوڤر|فويساوفر|voice over|voiceover|vo|voice acting|voice actor|voice talent|"
        "أداء صوتي|مؤدي صوتي|مؤدي صوت",
    ),
    *_entries("voice", "صوت|صوتي|أصوات|صوتيات|فويس|voice|vocal"),
    *_entries("tone", "نبرة|نبرات|tone"),
    *_entries(
        "ad",
        "إعلان|إعلاني|معلن|معلنين|يعلن|أعلن|دعاية|دعايات|commercial|ad|advert|advertisement|"
        "advertising|promo|برومو",
    ),
    *_entries("dubbing", "دبلجة|مدبلج|مدبلجة|مدبلجين|يدبلج|أدبلج|دوبلاج|دبلاج|dubbing|dub|dubbed"),
    *_entries(
        "audiobook",
        "كتاب صوتي|كتب صوتية|رواية صوتية|قصة صوتية|قصص صوتية|اوديو بوك|audiobook|audio book",
    ),
    *_entries(
        "narration",
        "سرد|سارد|يسرد|أسرد|راوي|حكواتي|إلقاء|narration|narrator|narrate|storytelling",
    ),
    *_entries("podcast", "بودكاست|بود كاست|پودكاست|podcast|podcasting"),
    *_entries(
        "ivr",
        "رد آلي|الرد الآلي|سنترال|مقسم|بريد صوتي|رسالة انتظار|رسائل الانتظار|ivr|voicemail|on hold|"
        "phone system",
    ),
    *_entries(
        "script",
        "سكربت|سكريبت|سكريپت|سكرابت|نص|نصوص|سيناريو|كاتب محتوى|script|screenplay|copywriting",
    ),
    *_entries(
        "writing",
        "كتابة|كاتب|كاتبة|كتاب محتوى|مكتوب|يكتب|أكتب|سأكتب|نكتب|writing|writer|written",
    ),
    *_entries(
        "translation",
        "ترجمة|مترجم|مترجمة|مترجمين|يترجم|أترجم|سأترجم|تعريب|translation|translator|translate",
    ),
    *_entries(
        "sound_engineering",
        "هندسة صوت|هندسة صوتية|مهندس صوت|مهندس صوتي|مكساج|ميكساج|ميكس|ميكسنج|ماسترنغ|ماسترينغ|"
        "ماسترنج|ماسترينج|تنقية صوت|عزل صوت|mixing|mastering|sound engineering|audio engineering|"
        "sound engineer|audio engineer|audio editing|sound editing",
    ),
    *_entries("sfx", "مؤثرات صوتية|مؤثرات|sound effects|sfx"),
    *_entries("shela", "شيلة|شيلات|منشد|منشدين|إنشاد|أناشيد|نشيد|shela|shelat|sheela|nasheed"),
    *_entries("zaffa", "زفة|زفات|zaffa"),
    *_entries("poetry", "شعر|شاعر|شعراء|قصيدة|قصائد|poetry|poem|poet"),
    *_entries("singing", "غناء|أغنية|أغاني|مغني|مطرب|singing|singer|song"),
    *_entries("music", "موسيقى|موسيقي|ميوزك|music"),
    *_entries("jingle", "جنقل|جنجل|جينقل|شعار صوتي|jingle|audio logo"),
    *_entries("documentary", "وثائقي|وثائقية|وثائقيات|documentary"),
    *_entries(
        "elearning",
        "تعليم الكتروني|تعليم إلكتروني|محتوى تعليمي|دورة تدريبية|دورات تدريبية|دورة تعليمية|"
        "دورات تعليمية|دورات اونلاين|elearning|e-learning|online course|online courses",
    ),
    *_entries("education", "تعليم|تعليمي|تعليمية|education|educational"),
    *_entries("training", "تدريب|تدريبي|مدرب|مدربة|training|coaching|coach"),
    *_entries("recording", "تسجيل|مسجل|يسجل|أسجل|سأسجل|نسجل|recording|record|recorded"),
    *_entries("studio", "استوديو|استديو|ستوديو|ستديو|studio"),
    *_entries(
        "montage",
        "مونتاج|مونتير|مونتاچ|تحرير فيديو|تعديل فيديو|video editing|video editor|editing|edit|editor",
    ),
    *_entries("editing", "تحرير|محرر|محررة|editing|edit|editor"),
    *_entries("proofreading", "تدقيق|مدقق|مدققة|تدقيق لغوي|proofreading|proofread|proofreader"),
    *_entries("video", "فيديو|فديو|video"),
    *_entries("animation", "رسوم متحركة|أنيميشن|انيميشن|أنمي|كرتون|animation|cartoon|anime"),
    *_entries("character", "أصوات شخصيات|صوت شخصية|أصوات كرتونية|character voice|character voices"),
    *_entries("radio", "إذاعة|إذاعي|راديو|radio"),
    *_entries("tv", "تلفزيون|تلفزيوني|تلفاز|television|tv"),
    *_entries("youtube", "يوتيوب|يوتيوبر|youtube|youtuber"),
    *_entries("recitation", "تلاوة|ترتيل|تجويد|مقرئ|recitation"),
    *_entries("female", "نسائي|أنثوي|أنثى|female|woman|women"),
    *_entries("male", "رجالي|رجل|male|man|men"),
    *_entries("child", "طفولي|طفل|أطفال|kid|child|children"),
    *_entries("dialect", "لهجة|لهجات|لكنة|dialect|accent"),
    *_entries("msa", "فصحى|فصيح|العربية الفصحى|msa|fusha|fusha arabic|standard arabic"),
    *_entries("gulf", "خليج|الخليج العربي|خليجي|خليجية|gulf|khaleeji|khaliji"),
    *_entries("khaleeji", "خليجي|خليجية|لهجة خليجية|khaleeji|khaliji|gulf dialect|gulf arabic"),
    *_entries("saudi", "سعودي|سعودية|السعودية|المملكة العربية السعودية|saudi|ksa"),
    *_entries("najdi", "نجدي|نجدية|نجد|najdi"),
    *_entries("hijazi", "حجازي|حجازية|الحجاز|hijazi"),
    *_entries("emirati", "إماراتي|إماراتية|الإمارات|emirati|uae"),
    *_entries("kuwaiti", "كويتي|كويتية|الكويت|kuwaiti|kuwait"),
    *_entries("qatari", "قطري|قطرية|قطر|qatari|qatar"),
    *_entries("bahraini", "بحريني|بحرينية|البحرين|bahraini|bahrain"),
    *_entries("omani", "عماني|عمانية|عمان|omani|oman"),
    *_entries("bedouin", "بدوي|بدوية|bedouin"),
)

_lexicon: Lexicon = Lexicon(DEFAULT_LEXICON_ENTRIES)


def set_lexicon(lexicon: Lexicon) -> None:
    """Replace the process-wide lexicon (e.g. with admins' rows merged in) and clear its cache.

    Stems and roots do not depend on the lexicon, so only the concept cache is cleared.
    """
    global _lexicon
    _lexicon = lexicon
    concepts.cache_clear()


def current_lexicon() -> Lexicon:
    """The process-wide lexicon used by :func:`concepts` and the analyze functions."""
    return _lexicon


@lru_cache(maxsize=200_000)
def concepts(token: str) -> tuple[str, ...]:
    """Concept ids of a normalized token's stem in the current lexicon; possibly empty."""
    return _lexicon.concepts_of(stem(token))


# --------------------------------------------------------------------------------------------
# Field and query analysis
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldTerms:
    """The index levels of one document field.

    ``exact``, ``stem`` and ``root`` are aligned with the field's tokens (stop words included,
    one entry per token, so positions agree across levels). ``concept`` lists concept ids in text
    order, single-word hits then phrase hits, repeats kept as term frequency.
    """

    exact: tuple[str, ...]
    stem: tuple[str, ...]
    concept: tuple[str, ...]
    root: tuple[str, ...]


@dataclass(frozen=True)
class QueryTerm:
    """One query term; a document matches it at any level (exact | stem | concept | root)."""

    exact: str
    stem: str
    concepts: tuple[str, ...]
    root: str


def analyze_field(text: str) -> FieldTerms:
    """Analyze a document field (title, tags, description) into its index levels."""
    toks = tokens(text)
    lexicon = _lexicon
    found: list[str] = []
    for t in toks:
        found.extend(lexicon.concepts_of(stem(t)))
    found.extend(c for _, _, c in lexicon.phrase_concepts(toks))
    return FieldTerms(
        exact=tuple(toks),
        stem=tuple(stem(t) for t in toks),
        concept=tuple(found),
        root=tuple(root(t) for t in toks),
    )


def analyze_query(text: str) -> list[QueryTerm]:
    """Analyze a search query into terms, every one of which a result should match.

    Stop words are dropped unless the query has nothing else, or they sit inside a multi-word
    lexicon term. Each token of a multi-word term (``فويس اوفر``, ``رد آلي``) also carries the
    term's concepts, so ``فويس اوفر`` finds gigs that say ``تعليق صوتي``. Duplicate terms collapse.
    """
    toks = tokens(text)
    lexicon = _lexicon
    phrase: dict[int, list[str]] = {}
    for start, end, concept in lexicon.phrase_concepts(toks):
        for i in range(start, end):
            phrase.setdefault(i, []).append(concept)
    keep = [i for i, t in enumerate(toks) if t not in STOP_WORDS or i in phrase]
    if not keep:
        keep = list(range(len(toks)))
    terms: list[QueryTerm] = []
    for i in keep:
        t = toks[i]
        s = stem(t)
        ids = tuple(dict.fromkeys((*lexicon.concepts_of(s), *phrase.get(i, ()))))
        term = QueryTerm(exact=t, stem=s, concepts=ids, root=root(t))
        if term not in terms:
            terms.append(term)
    return terms
