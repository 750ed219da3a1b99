"""Text preparation for speech: a pipeline of small pure `str -> str` functions.

Each step does one thing and has its own table of cases in the tests. To add a
step, write the function and put it in `PIPELINE` where it belongs: steps that
remove invisible characters come first so that later patterns see clean text,
and whitespace is collapsed last because earlier steps may leave gaps.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from nashra.text import invisible, number_words, numbers
from nashra.text.letters import LETTERS, TATWEEL

Step = Callable[[str], str]

# Invisible characters that scraped Arabic pages are full of. Engines either
# read them as noise or, worse, split words on them.

# Persian letters that look like Arabic ones; Arabic voices do not know them.
_PERSIAN_TO_ARABIC = str.maketrans({"\u06cc": "\u064a", "\u06a9": "\u0643"})

_NUMBER = r"\d+(?:[.,٫]\d+)?"
_PERCENT_AFTER_RE = re.compile(rf"({_NUMBER})\s*[%٪]")
_PERCENT_BEFORE_RE = re.compile(rf"[%٪]\s*({_NUMBER})")
PERCENT_WORD = "بالمئة"

_SPACES_RE = re.compile(r"\s+")

_NOT_AR_AFTER = f"(?![{LETTERS}])"

# Pictographs, dingbats, flags and the variation selector that makes them colourful.
# espeak-ng reads 😀 as "a face with a wide smile".
_EMOJI_RE = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\u20e3]+")
# 1436هـ / 1436 هـ / 1436ه: a Hijri year. espeak-ng says the bare letter "h".
_HIJRI_RE = re.compile(rf"(\d{{3,4}})\s*ه{TATWEEL}*{_NOT_AR_AFTER}")
# 2014م: a Gregorian year. espeak-ng says "mīm"; a newsreader says nothing.
_GREGORIAN_RE = re.compile(rf"(\d{{4}})\s*م{_NOT_AR_AFTER}")
_MONTHS = (
    "يناير|فبراير|مارس|أبريل|إبريل|ابريل|مايو|يونيو|يوليو|أغسطس|اغسطس|سبتمبر|أكتوبر|اكتوبر"
    "|نوفمبر|ديسمبر"
)
_LEVANTINE = (
    "كانون الثاني|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين الأول|تشرين الثاني|كانون الأول"
)
# يوليو (تموز): the same month twice, once for Egyptian and once for Levantine readers.
_MONTH_GLOSS_RE = re.compile(
    rf"({_MONTHS})\s*(?:\(\s*(?:{_LEVANTINE})\s*\)|/\s*(?:{_LEVANTINE}){_NOT_AR_AFTER})"
)
# Only after a word of two letters or more: و50 ("and 50") is correct writing.
_GLUED_LEFT_RE = re.compile(rf"(?<=[{LETTERS}])([{LETTERS}])(\d)")
_GLUED_RIGHT_RE = re.compile(rf"(\d)([{LETTERS}])")
_THOUSANDS_RE = re.compile(r"(\d)[,٬،](\d{3})(?!\d)")
_ARABIC_DECIMAL_RE = re.compile(r"(\d)٫(\d)")
# 83ر1 متر: some papers write 1.83 as fraction, ر, whole number.
_RA_DECIMAL_RE = re.compile(r"(?<![\w.])(\d+)ر(\d+)(?![\w.])")
_TIME_RE = re.compile(r"(?<![\d:.])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])")
_RANGE_RE = re.compile(r"(?<![\d.,])(\d{1,4})\s*[-–]\s*(\d{1,4})(?![\d,]|\.\d)")
_WORD_BEFORE_RE = re.compile(r"(\S+)\s*$")
_HOURS = (
    "الثانية عشرة", "الواحدة", "الثانية", "الثالثة", "الرابعة", "الخامسة", "السادسة",
    "السابعة", "الثامنة", "التاسعة", "العاشرة", "الحادية عشرة",
)  # fmt: skip
_NUMBER_ANY = r"\d+(?:[.,]\d+)*"
_CURRENCY_SIGNS = {"$": "دولار", "€": "يورو", "£": "جنيه إسترليني"}
# A counting word after the amount comes before the currency: $50 مليون is 50 مليون دولار.
_SCALE = rf"(?:\s+(ألف|آلاف|مليون|ملايين|مليار|مليارات|بليون|تريليون){_NOT_AR_AFTER})?"
_SIGN_BEFORE_RE = re.compile(rf"([$€£])\s*({_NUMBER_ANY}){_SCALE}")
_SIGN_AFTER_RE = re.compile(rf"({_NUMBER_ANY})\s*([$€£]){_SCALE}")
_CURRENCY_ABBREVIATIONS = {
    "ر.س": "ريال سعودي",
    "د.إ": "درهم إماراتي",
    "ج.م": "جنيه مصري",
    "د.ك": "دينار كويتي",
}
_CURRENCY_ABBREVIATION_RE = re.compile(
    "(?<![^\\s\\d])("
    + "|".join(re.escape(a) for a in _CURRENCY_ABBREVIATIONS)
    + rf")\.?{_NOT_AR_AFTER}"
)
_UNITS = {
    "كم/ساعة": "كيلومتر في الساعة",
    "كم/س": "كيلومتر في الساعة",
    "كلم": "كيلومتر",
    "كم": "كيلومتر",
    "كجم": "كيلوغرام",
    "كغ": "كيلوغرام",
    "سم": "سنتيمتر",
    "مم": "مليمتر",
}
_UNIT_RE = re.compile(rf"(\d)\s*({'|'.join(_UNITS)}){_NOT_AR_AFTER}")
# م2 and كم2 also after a counting word (500 ألف م2).
_SQUARE_RE = re.compile(rf"(?<![{LETTERS}\d])(كم|م)[2²](?!\d)")
_EASTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
# مائة and its forms: espeak-ng voices the silent alif ("miaːʔa").
_MIA_RE = re.compile("مائ(?=[ةت])")
# لا is a word of its own: Arabic spelling joins it only after أن and إن (ألّا،
# إلّا، لئلا; Abdel Salam Haroun, قواعد الإملاء). Papers still write some
# phrases as one word, and the diacritizer then reads them as one (لاشك →
# lishukku). A closed list of what the SaudiNewsNet archive writes joined:
# a rule would also split لاعب، لاجئ، لازم، لائحة، لاحق، لاتيني and لانه (لأنه).
# لاسيما is left alone: it is spelled both ways.
_JOINED_LA = (
    "شك", "بد", "شيء", "غير",
    "يزال", "تزال", "يزالون", "زال", "زالت", "زالوا", "زلت", "زلنا",
    "يمكن", "يوجد", "توجد", "يقل", "يزيد", "يكون", "يعرف", "يشك", "يتجزأ", "تتجاوز", "تأخذ",
)  # fmt: skip
_JOINED_LA_RE = re.compile(rf"(?<![{LETTERS}])([وف]?)لا({'|'.join(_JOINED_LA)}){_NOT_AR_AFTER}")
# Title abbreviations, with or without the conjunction و glued on.
_ABBREVIATIONS = (
    (re.compile(r"(?<!\S)(و?)أ\.\s?د\.\s*"), r"\1الأستاذ الدكتور "),
    (re.compile(r"(?<!\S)(و?)د\.\s*"), r"\1الدكتور "),
    (re.compile(r"(?<!\S)(و?)م\.\s*(?=\D)"), r"\1المهندس "),
    (re.compile(r"(?<!\S)ص\.\s?ب\.?"), "صندوق بريد"),
    (re.compile(rf"(?<!\S)إلخ{_NOT_AR_AFTER}"), "إلى آخره"),
)
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s«»\"'()<>،]+", re.IGNORECASE)
_EMAIL_RE = re.compile(r"([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)")
_HASHTAG_RE = re.compile(r"(?<![\w&])#(\w+)")
DOT_WORD = "دوت"
AT_WORD = "آت"
HASHTAG_WORD = "هاشتاغ"


def strip_tatweel(text: str) -> str:
    """Remove the kashida (ـ), which only stretches letters on the page."""
    return text.replace(TATWEEL, "")


def strip_invisible(text: str) -> str:
    """Remove zero-width characters, bidi controls and stray byte-order marks."""
    return invisible.strip_from_speech(text)


def persian_letters(text: str) -> str:
    """Map Persian yeh (ی) and keheh (ک) to Arabic yeh (ي) and kaf (ك)."""
    return text.translate(_PERSIAN_TO_ARABIC)


def nfc(text: str) -> str:
    """Compose characters so that the same word always has the same code points."""
    return unicodedata.normalize("NFC", text)


def percentages(text: str) -> str:
    """Say the percent sign as a word: espeak-ng drops `%` without a sound."""
    text = _PERCENT_AFTER_RE.sub(rf"\1 {PERCENT_WORD}", text)
    return _PERCENT_BEFORE_RE.sub(rf"\1 {PERCENT_WORD}", text)


def strip_emoji(text: str) -> str:
    """Remove emoji, which espeak-ng describes aloud and Google skips."""
    return _EMOJI_RE.sub(" ", text)


def years(text: str) -> str:
    """Say a Hijri year's هـ as هجرية, and drop the م after a Gregorian year.

    Runs before the tatweel is stripped, so 1436هـ and 1436ه are one case.
    """
    text = _HIJRI_RE.sub(r"\1 هجرية", text)
    return _GREGORIAN_RE.sub(r"\1", text)


def month_glosses(text: str) -> str:
    """Say a month once: يوليو (تموز) is the same month in two calendars' names."""
    return _MONTH_GLOSS_RE.sub(r"\1", text)


def unglue_digits(text: str) -> str:
    """Put a space between a word and a number written against it (في27, يوليو2015)."""
    return _GLUED_RIGHT_RE.sub(r"\1 \2", _GLUED_LEFT_RE.sub(r"\1 \2", text))


def thousands(text: str) -> str:
    """Drop thousands separators: espeak-ng reads ١٬٢٥٠ as "one, two hundred and fifty"."""
    while True:
        result = _THOUSANDS_RE.sub(r"\1\2", text)
        if result == text:
            return result
        text = result


def decimal_separator(text: str) -> str:
    """Write the Arabic decimal separator as a point: espeak-ng skips ٫ and its "فاصل".

    Also the older press convention 83ر1 for 1.83, fraction first.
    """
    text = _RA_DECIMAL_RE.sub(r"\2.\1", text)
    return _ARABIC_DECIMAL_RE.sub(r"\1.\2", text)


def times(text: str) -> str:
    """Say a clock time (08:30) as Arabic does: الثامنة والنصف; espeak-ng reads "8 30"."""

    def say(match: re.Match[str]) -> str:
        hour, minute = int(match.group(1)), int(match.group(2))
        if minute == 45:
            return f"{_HOURS[(hour + 1) % 12]} إلا الربع"
        name = _HOURS[hour % 12]
        extra = {0: "", 15: " والربع", 30: " والنصف"}.get(minute, f" و{minute} دقيقة")
        return name + extra

    return _TIME_RE.sub(say, text)


def ranges(text: str) -> str:
    """Read a range (10-15 يوما) as من 10 إلى 15 يوما, and بين 47-60 as بين 47 و60.

    A season of two years (موسم 2014-2015) keeps its two years with إلى; two
    numbers that go down or stay level (a score, 2 - 2) are not a range and
    are left alone.
    """

    def say(match: re.Match[str]) -> str:
        first, second = match.group(1), match.group(2)
        before = _WORD_BEFORE_RE.search(text, 0, match.start())
        word = before.group(1) if before else ""
        if word in ("بين", "وبين"):
            return f"{first} و{second}"
        if word in ("من", "ومن") or (len(first) == len(second) == 4):
            return f"{first} إلى {second}"
        if int(first) >= int(second):
            return f"{first} - {second}"  # a score, said as two numbers
        return f"من {first} إلى {second}"

    return _RANGE_RE.sub(say, text)


def currencies(text: str) -> str:
    """Name the currency after the amount: $50 is "50 دولار", $50 مليون "50 مليون دولار"."""

    def amount(number: str, sign: str, scale: str | None) -> str:
        return " ".join(part for part in (number, scale, _CURRENCY_SIGNS[sign]) if part)

    text = _SIGN_BEFORE_RE.sub(lambda m: amount(m.group(2), m.group(1), m.group(3)), text)
    text = _SIGN_AFTER_RE.sub(lambda m: amount(m.group(1), m.group(2), m.group(3)), text)
    return _CURRENCY_ABBREVIATION_RE.sub(lambda m: _CURRENCY_ABBREVIATIONS[m.group(1)], text)


def units(text: str) -> str:
    """Spell out unit abbreviations after a number (10 كم: "كم" alone also means "how many")."""
    text = _SQUARE_RE.sub(lambda m: f"{_UNITS.get(m.group(1), 'متر')} مربع", text)
    return _UNIT_RE.sub(lambda m: f"{m.group(1)} {_UNITS[m.group(2)]}", text)


def abbreviations(text: str) -> str:
    """Spell out titles and set phrases: د. الدكتور, م. المهندس, أ.د., ص.ب, إلخ.

    espeak-ng reads أ.د. as the letters' names and م. as "mīm", and a full
    stop inside a name makes both engines pause.
    """
    for pattern, replacement in _ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    return text


def links(text: str) -> str:
    """Say a web address by its site name (sabq.org → sabq دوت org), an e-mail with آت.

    The path after the site is never worth hearing; the dots are, as "دوت".
    """

    def site(match: re.Match[str]) -> str:
        address = re.sub(r"^(?:https?://)?(?:www\.)?", "", match.group(), flags=re.IGNORECASE)
        host = address.split("/")[0].rstrip(".")
        return f" {DOT_WORD} ".join(host.split("."))

    text = _EMAIL_RE.sub(
        lambda m: f"{m.group(1)} {AT_WORD} " + f" {DOT_WORD} ".join(m.group(2).split(".")), text
    )
    return _URL_RE.sub(site, text)


def hashtags(text: str) -> str:
    """Say #السعودية as "هاشتاغ السعودية"; espeak-ng says "hash" in its English voice."""
    return _HASHTAG_RE.sub(lambda m: f"{HASHTAG_WORD} {m.group(1).replace('_', ' ')}", text)


def western_digits(text: str) -> str:
    """Write Arabic-Indic and Persian digits (٢٠١٥, ۲۰۱۵) as 2015: one set of rules reads all."""
    return text.translate(_EASTERN_DIGITS)


def hundred_spelling(text: str) -> str:
    """Spell مائة as مئة (and مائتان, ثلاثمائة alike): espeak-ng voices the silent alif."""
    return _MIA_RE.sub("مئ", text)


def joined_la(text: str) -> str:
    """Write لا apart from the word a paper joined it to: لاشك is لا شك, ولابد ولا بد."""
    return _JOINED_LA_RE.sub(r"\1لا \2", text)


def numeric_dates(text: str) -> str:
    """Say a date written 12/7/2015 or 24 - 3 - 2012 as an ordinal day, month and year."""
    return number_words.numeric_dates(text)


def spell_numbers(text: str) -> str:
    """Say each number in words, agreeing with its counted noun and its governor.

    ثلاث عشرة سيارة, خلال اثنين وثلاثين عامًا, الحادي والعشرين من أكتوبر: both
    engines read digits as a masculine nominative cardinal whatever follows.
    """
    return numbers.verbalize(text)


def collapse_whitespace(text: str) -> str:
    """Turn every run of whitespace into one space and trim the ends."""
    return _SPACES_RE.sub(" ", text).strip()


PIPELINE: tuple[Step, ...] = (
    strip_invisible,
    strip_emoji,
    years,  # before strip_tatweel: 1436هـ
    strip_tatweel,
    persian_letters,
    nfc,
    links,  # before anything reads digits or dots inside an address
    hashtags,
    month_glosses,
    hundred_spelling,
    joined_la,
    decimal_separator,  # before unglue_digits splits 83ر1, and before western_digits: ٣٫٥
    unglue_digits,
    western_digits,
    thousands,
    percentages,
    currencies,
    units,
    times,
    numeric_dates,  # before ranges: 24 - 3 - 2012 is a date
    ranges,
    abbreviations,
    spell_numbers,  # last but one: after every step that reads digits
    collapse_whitespace,
)
"""Every step, in order. Latin words and acronyms are left alone on purpose:
espeak-ng switches to its English voice for them (IMF → aɪ ɛm ɛf) and Google
reads them itself."""


def normalize(text: str) -> str:
    """Prepare written text for a speech engine by applying `PIPELINE` in order."""
    for step in PIPELINE:
        text = step(text)
    return text
