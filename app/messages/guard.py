"""The off-platform contact guard: find phone numbers, e-mails, links, handles and hints in a
message, and mask them. Pure functions, no database.

How it reads a message:

* Each character is folded with the search analyzer's ``normalize`` (hamza/alef forms, ة/ه,
  tashkeel and tatweel dropped, Arabic-Indic ٠-٩ and Persian ۰-۹ digits to ASCII, lower case),
  keeping, for every folded character, where it came from, so a match found in the folded
  text masks exactly the characters the sender typed.
* **Phone numbers** are chains of numeric tokens (digit groups, and digits spelled as words:
  «صفر خمسة…», "zero five…", with «و» between them) joined only by spaces and punctuation.
  A chain with at least 9 digits is a phone number; 8 digits are one too (Gulf numbers outside
  Saudi Arabia have 8) unless the chain is shaped like a date (``2026-11-30``, ``30/11/2026``)
  or a time. Prices, durations («٣٠ ثانية»), word counts, order numbers (``#10234``) and years
  stay far below that, or are broken up by words.
* **E-mails**: ``name@host.tld``, and the spelled forms "name at gmail dot com", «name ات
  جيميل دوت كوم», with brackets around "at"/"dot"; a bare mail provider's name («جيميل»,
  "hotmail") is a hint.
* **Links**: ``http(s)://``, ``www.``, a host with a common top-level domain (``voice.sa``,
  ``wa.me/…``), and «دوت كوم».
* **Handles**: ``@name`` that is not part of an e-mail, and a Latin name right after a
  platform's name («سناب: khalid_vo»).
* **Hints**: the apps people move to (واتساب/واتس/وتساب, تلقرام/تليجرام, سناب, انستا, تويتر,
  WhatsApp, Telegram…), and phrases such as «تواصل خارج المنصة», «عطني رقمك», "DM me".

``inspect`` returns a :class:`Verdict`: the kinds found and the spans to mask. ``mask`` replaces
the contact spans (not the hint words: a hint alone reveals nothing) with «•••».
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.search.analyzer import normalize

MASK = "•••"

PHONE, EMAIL, LINK, HANDLE, HINT = "phone", "email", "link", "handle", "hint"
CONTACT_KINDS = (PHONE, EMAIL, LINK, HANDLE)
KINDS = (*CONTACT_KINDS, HINT)

_AR = "\u0600-\u06ff"
# Digits spelled out, folded (أربعة → اربعه). A leading و ("and") is allowed on each.
_DIGIT_WORDS = {
    "صفر": "0", "زيرو": "0",
    "واحد": "1", "وحده": "1",
    "اثنين": "2", "اثنان": "2", "اتنين": "2", "ثنين": "2",
    "ثلاثه": "3", "ثلاث": "3", "ثلاثة": "3", "تلاته": "3", "تلات": "3",
    "اربعه": "4", "اربع": "4",
    "خمسه": "5", "خمس": "5",
    "سته": "6", "ست": "6",
    "سبعه": "7", "سبع": "7",
    "ثمانيه": "8", "ثمان": "8", "ثماني": "8", "تمانيه": "8",
    "تسعه": "9", "تسع": "9",
    "zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}
_NUMERIC = re.compile(rf"[0-9]+|[a-z]+|[{_AR}]+")
# what may sit between two numeric tokens of one phone number (no letters)
_JOINER = re.compile(r"[\s.\-–—_/()\[\]+*|]*")
_DATE = re.compile(r"^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})$")
_TIME = re.compile(r"^\d{1,2}:\d{2}")

_TLDS = "com|net|org|sa|ae|kw|qa|bh|om|me|io|ly|co|app|link|info|biz|xyz|tv|gg|site|store|online|ws"
_EMAIL = re.compile(r"[a-z0-9][a-z0-9._%+\-]*@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}")
_SPELLED_EMAIL = re.compile(
    rf"[a-z0-9][a-z0-9._\-]*\s*[\(\[\{{]?\s*(?:at|ات|اt)\s*[\)\]\}}]?\s*[a-z{_AR}0-9\-]+\s*"
    rf"[\(\[\{{]?\s*(?:dot|\.|دوت|نقطه)\s*[\)\]\}}]?\s*(?:com|net|org|sa|كوم|نت)\b"
)
_LINK = re.compile(
    rf"(?:https?://|www\.)\S+|\b(?:wa\.me|t\.me|bit\.ly|linktr\.ee)/\S*"
    rf"|\b[a-z0-9][a-z0-9\-]*(?:\.[a-z0-9\-]+)*\.(?:{_TLDS})\b(?:/\S*)?"
    rf"|(?:[a-z0-9\-]+|[{_AR}]+)\s+(?:دوت|dot)\s+(?:كوم|com|نت|net|sa|اورج|org)(?![{_AR}a-z])"
)
_AT_HANDLE = re.compile(r"(?<![a-z0-9._%+\-])@[a-z0-9_.]{3,30}")
_APPS_AR = (
    r"وات+س ?اب|واتساب|وتساب|واتسب|وات+س|وتس|تلقرام|تليقرام|تلغرام|تليغرام|تلجرام|تليجرام|تيليجرام|تيليقرام"
    r"|سناب ?شات|سناب|انستا|انستقرام|انستغرام|انستجرام|تويتر|فيسبوك|فيس بوك|سكايب|تيك ?توك|ديسكورد|لينكد ?ان|ايمو|بوتيم|سيجنال"
)
_APPS_EN = (
    r"whats ?app|watsapp|whatsap|wa|telegram|snap ?chat|snap|insta(?:gram)?|ig|twitter|facebook|fb"
    r"|skype|tiktok|discord|linkedin|botim|viber"
)
_APP_AR = re.compile(rf"(?<![{_AR}])(?:[وبف]?(?:ال|لل)?)(?:{_APPS_AR})(?:ي|ك|نا)?(?![{_AR}])")
_APP_EN = re.compile(rf"\b(?:{_APPS_EN})\b")
_MAIL_PROVIDER = re.compile(rf"\b(?:gmail|hotmail|outlook|yahoo|icloud)\b|(?<![{_AR}])(?:ال)?(?:جيميل|جي ميل|هوتميل|ياهو|ايميلي|ايميلك)(?![{_AR}])")
_PHRASES = re.compile(
    rf"(?<![{_AR}])[وف]?(?:"
    r"خارج (?:المنصه|الموقع|مهن|التطبيق)|برا (?:المنصه|الموقع|مهن)|بره (?:المنصه|الموقع)"
    r"|رقم (?:جوالي|جوالك|الجوال|جوال|تلفوني|تلفونك|هاتفي|هاتفك|الواتس)|رقمك|رقمي هو|هذا رقمي|ارسل(?:ي)? رقمك|عطني رقمك|ابي رقمك|ابغي رقمك|كلمني علي|اكلمك (?:تلفون|جوال|بالجوال|بالتلفون)|اتصل (?:علي|فيني|بي)|دق علي"
    rf")(?![{_AR}])"
    r"|\b(?:dm me|inbox me|text me|call me|email me|mail me|my number|my phone|your number|my email|your email"
    r"|contact me (?:on|at|outside|directly)|outside (?:the )?(?:platform|site|mihan)|off[- ]platform|pm me|message me on)\b"
)
# a Latin name right after an app's name: «سناب: khalid_vo», "insta @x", "telegram is voice_sa"
_AFTER_APP = re.compile(rf"\s*(?::|-|علي|هو|is|=)?\s*(@?[a-z][a-z0-9_.]{{2,29}})")


@dataclass(frozen=True)
class Verdict:
    """What the guard found: the kinds (in ``KINDS`` order) and the spans of the original text."""

    kinds: tuple[str, ...] = ()
    spans: tuple[tuple[int, int], ...] = field(default=())

    @property
    def flagged(self) -> bool:
        return bool(self.kinds)

    @property
    def has_contact(self) -> bool:
        return any(kind in CONTACT_KINDS for kind in self.kinds)


def _fold(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the original it came from."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = normalize(char) if not char.isascii() else char.lower()
        out.append(folded)
        origin.extend([index] * len(folded))
    return "".join(out), origin


def _digit_value(token: str) -> str | None:
    if token.isdigit():
        return token
    if token in _DIGIT_WORDS:
        return _DIGIT_WORDS[token]
    if token.startswith("و") and token[1:] in _DIGIT_WORDS:
        return _DIGIT_WORDS[token[1:]]
    return None


def _listed(raw: str, groups: list[str]) -> bool:
    """Digits that read as a list of amounts or years, not a number: «100 / 200 / 300», "2025 2026"."""
    if len(groups) < 2 or not all(group.isdigit() for group in re.findall(r"[0-9]+|[^0-9\s.\-–—_/()\[\]+*|]+", raw)):
        return False
    round_amounts = all(group.endswith("0") and not group.startswith("0") for group in groups)
    years = all(len(group) == 4 and group[:2] in ("19", "20") for group in groups)
    return round_amounts or years


def _phones(folded: str) -> list[tuple[int, int]]:
    """Spans (in folded text) of chains of numeric tokens that make a phone number."""
    found: list[tuple[int, int]] = []
    chain: list[tuple[int, int, str]] = []  # (start, end, digits) of each token

    def close() -> None:
        if chain:
            digits = "".join(part for _, _, part in chain)
            start, end = chain[0][0], chain[-1][1]
            raw = folded[start:end]
            plus = start > 0 and folded[start - 1] == "+"
            groups = [part for _, _, part in chain]
            labelled = start > 1 and folded[start - 1] in "-_#" and folded[start - 2].isalpha()  # INV-2026-000123
            if labelled or _listed(raw, groups):
                pass
            elif len(digits) >= 9 or plus and len(digits) >= 7:
                found.append((start - plus, end))
            elif len(digits) == 8 and not _DATE.match(raw.replace(" ", "")) and not _TIME.match(raw) and not (start > 0 and folded[start - 1] == "#"):
                found.append((start, end))
            chain.clear()

    for match in _NUMERIC.finditer(folded):
        value = _digit_value(match.group())
        if value is None:
            close()
            continue
        if chain and not _JOINER.fullmatch(folded[chain[-1][1] : match.start()]):
            close()
        chain.append((match.start(), match.end(), value))
    close()
    return found


def _spans(pattern: re.Pattern[str], folded: str) -> list[tuple[int, int]]:
    return [match.span() for match in pattern.finditer(folded)]


def inspect(text: str) -> Verdict:
    """Find contacts and hints in ``text``."""
    if not text:
        return Verdict()
    folded, origin = _fold(text)
    found: dict[str, list[tuple[int, int]]] = {kind: [] for kind in KINDS}
    found[EMAIL] = _spans(_EMAIL, folded) + _spans(_SPELLED_EMAIL, folded)
    emails = found[EMAIL]
    found[LINK] = [s for s in _spans(_LINK, folded) if not any(a <= s[0] < b for a, b in emails)]
    found[HANDLE] = _spans(_AT_HANDLE, folded)
    found[PHONE] = _phones(folded)
    hints = _spans(_APP_AR, folded) + _spans(_APP_EN, folded)
    for _, end in hints:
        after = _AFTER_APP.match(folded, end)
        name = after.group(1) if after else ""
        if after and _digit_value(name) is None and (":" in after.group() or name.startswith("@") or re.search(r"[_.0-9]", name)):
            found[HANDLE].append(after.span(1))
    found[HINT] = hints + _spans(_MAIL_PROVIDER, folded) + _spans(_PHRASES, folded)
    kinds = tuple(kind for kind in KINDS if found[kind])
    contact = sorted(span for kind in CONTACT_KINDS for span in found[kind])
    spans: list[tuple[int, int]] = []
    for start, end in contact:  # to the original text, merging overlaps
        begin, finish = origin[start], origin[end - 1] + 1
        if spans and begin <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], finish))
        else:
            spans.append((begin, finish))
    return Verdict(kinds=kinds, spans=tuple(spans))


def mask(text: str, verdict: Verdict) -> str:
    """``text`` with every contact span replaced by «•••»."""
    out, last = [], 0
    for start, end in verdict.spans:
        out += [text[last:start], MASK]
        last = end
    out.append(text[last:])
    return "".join(out)
