"""Scrape debris that is not on a line of its own: entities, glued captions, glued tails.

A page copied from a news site carries more than its text. What stands on a
line of its own (a tag list, a row of share buttons) the reader drops line by
line; this module finds the same kinds of debris where a scraper ran it into
the text: HTML entities left unescaped (`&#39;سيناء&#39;`), Arabic
presentation forms (`ا&#65271;حمري`), a photo caption run into the first word
of the lead (`من المعايدة<RLM>تواصلت فعاليات…`), the paper's boilerplate run
onto the end of the last paragraph (`…التوصيات اللازمة. رابط الخبر بصحيفة
الوئام: …`), and the signature that closes an article (`- خالد الدوس`,
`* وحدة التقارير الاقتصادية`), which names its author.

Every function is pure: text in, text (and what was cut) out.
"""

from __future__ import annotations

import html
import re
import unicodedata

from nashra.text.invisible import BIDI_CONTROLS
from nashra.text.letters import LETTERS, is_letter

CAPTION_MAX_WORDS = 8
"""A caption run into the lead is a phrase, not a sentence."""
SIGNATURE_MAX_WORDS = 5

# An entity with its semicolon: named, decimal or hexadecimal. A bare "&" (AT&T)
# is text.
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# Arabic presentation forms (ﻷ, ﺍ…): old encodings and PDF copies write letters
# as their shapes, which no voice reads. NFKC gives the letters back.
_PRESENTATION_RE = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]+")
_BIDI = BIDI_CONTROLS
_LETTER = LETTERS
# A caption run into the lead: a short phrase whose last word has two letters
# or more, a bidi mark, and the lead's first letter with no space between.
# (A one-letter word before the mark is a clitic: و<RLM>في is one word, وفي.)
_GLUED_CAPTION_RE = re.compile(
    rf"^(?P<caption>(?:[^\s{_BIDI}]+\s+){{0,{CAPTION_MAX_WORDS - 1}}}[{_LETTER}]{{2,}})"
    rf"[{_BIDI}]+(?=[{_LETTER}«\"])"
)

# Where glued boilerplate may start: after the end of a sentence, or right
# after an e-mail address or handle that closes the text.
_AFTER_SENTENCE = r"(?:(?<=[.!؟?»\"”)])|(?<=[A-Za-z0-9]))\s*"
_TAIL_STARTS = (
    r"رابط\s+(?:الخبر|المقال|المادة|الموضوع)\b",
    r"(?:[اإ]قر[أا]|طالع)\s+(?:[أا]يض(?:اً|ًا|ا)|المزيد)\b",
    r"(?:مواضيع|موضوعات|أخبار|اخبار|مقالات)\s+(?:متعلقة|ذات\s+صلة|أخرى\s+للكاتب)\b",
    r"للتواصل\s+(?:مع\s+الكاتب|[أا]رسل|:)",
    r"لمراسلة\s+الكاتب\b",
    r"(?:شارك|شاركوا|انشر)\s+(?:هذا\s+)?(?:الخبر|المقال|المقالة|الموضوع)\b",
    r"تابع(?:ونا|وا)\s+(?:على|عبر)\s+(?:تويتر|فيسبوك|فيس\s+بوك|انستغرام|إنستغرام|يوتيوب|تلغرام)\b",
    r"\[email\s*(?:&#160;|\u00a0|\s)?protected\]",
    r"\.{2,}\s*المزيد$",
    r"سمات(?:\s+[^\s.!؟?،,:]+)+\s*$",  # a tag list: سمات احتجاز الهلال الاحمر بالباحة
)
_GLUED_TAIL_RE = re.compile(_AFTER_SENTENCE + "(?P<tail>(?:" + "|".join(_TAIL_STARTS) + r").*)$")
# An address or handle that ends the text, glued or after a space: the
# columnist's contact, not something to read.
# A handle may come out reversed from a right-to-left page: mohsnAlMutlaq@.
_CONTACT = (
    r"(?:[A-Za-z0-9_.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+|@[A-Za-z0-9_]{2,}"
    r"|(?<![A-Za-z0-9_.+-])[A-Za-z0-9_]{2,}@(?![A-Za-z0-9]))"
)
_TRAILING_CONTACT_RE = re.compile(
    rf"(?<=[.!؟?»\"”){_LETTER}])\s*(?P<tail>{_CONTACT}(?:\s+{_CONTACT})*)$"
)
# A signature run onto the last sentence with no space, before an address:
# …والرحمة.محمد حسين آل هويديnafezah@yahoo.com
_GLUED_NAME_RE = re.compile(rf"(?<=[.!؟?])(?P<name>[{_LETTER}][^.!؟?:،,]{{2,40}})$")
# An address anywhere in a line: a web address, an e-mail address or a handle.
_ADDRESS_RE = re.compile(rf"(?:https?://|www\.)\S+|{_CONTACT}", re.IGNORECASE)
# Cloudflare's placeholder for an address it hid: "[email protected] /* */".
_HIDDEN_ADDRESS_RE = re.compile(r"\s*\[email(?:\s|&#160;)*protected\](?:\s*/\*\s*\*/)?")
# "رابط الخبر بصحيفة الوئام: …" names the paper, so it is debris even where no
# sentence ended before it (after a hashtag, say).
_PAPER_LINK_RE = re.compile(r"\s(?P<tail>رابط\s+(?:الخبر|المقال)\s+ب(?:صحيفة|موقع)\s.*)$")
# "...المزيد" ("more"): the link to the rest of the story.
_MORE_RE = re.compile(r"\s*(?P<tail>\.{2,}\s*المزيد)$")
# "* وحدة التقارير الاقتصادية" run onto the last sentence: a signature.
_GLUED_SIGNATURE_RE = re.compile(r"(?<=[.!؟?»\"”)])\s*(?P<tail>\*\s*(?P<name>[^*.!؟?:،]{3,60}))$")

# A row of share buttons run into a paragraph: the verb, two networks or more
# and the comment link (okaz glues "شارك من خلال تويتر فيسبوك جوجل بلس اكتب
# رأيك" to the start of its leads). Two names in a row, with no "و" between
# them, are a row of buttons, not a sentence about the networks.
SHARE_VERBS = ("شارك", "شاركها", "شاركوا", "مشاركة", "انشر")
NETWORKS = (
    "تويتر", "تويتير", "فيسبوك", "فيس بوك", "جوجل بلس", "جوجل +", "قوقل بلس", "قوقل +",
    "واتساب", "واتس اب", "واتس آب", "لينكدإن", "لينكد إن", "لينكد ان", "تيليجرام", "تليجرام",
    "تلغرام", "انستغرام", "إنستغرام", "انستجرام", "إنستجرام", "يوتيوب", "سناب", "سناب شات",
    "البريد الإلكتروني", "البريد الالكتروني", "twitter", "facebook", "google+", "google +",
    "whatsapp", "linkedin", "telegram", "email", "e-mail",
)  # fmt: skip
"""The networks' names as rows of share buttons write them, word by word."""
# The first word of a network's name marks a share row on its own, except the
# words that name something else as well (Google, the post).
_NAMES_SOMETHING_ELSE = frozenset(("جوجل", "قوقل", "google", "البريد"))
SHARE_ANCHORS = (
    frozenset(SHARE_VERBS)
    | {name.split()[0] for name in NETWORKS} - _NAMES_SOMETHING_ELSE
    | frozenset(("طباعة", "اطبع", "print", "share", "x"))
)
"""Words that say a line of share words is a row of buttons."""
_SHARE_FILLERS = frozenset((
    "الخبر", "المقال", "المقالة", "الصفحة", "هذا", "هذه", "عبر", "على", "مع", "في", "أصدقائك",
    "إرسال", "ارسال", "أرسل", "لصديق",
))  # fmt: skip
SHARE_WORDS = SHARE_ANCHORS | {w for name in NETWORKS for w in name.split()} | _SHARE_FILLERS
"""Every word a row of share buttons is made of (casefolded)."""
_NETWORK = "(?:{})".format(
    "|".join(
        r"\s*".join(map(re.escape, name.split()))
        for name in sorted(NETWORKS, key=len, reverse=True)
    )
)
_SHARE_ROW = (
    rf"(?:{'|'.join(SHARE_VERBS)})\s+(?:من\s+خلال|عبر|على)\s*:?\s*{_NETWORK}"
    rf"(?:\s*[|،,]?\s*{_NETWORK})+"
    r"(?:\s+(?:اكتب\s+ر[أا]يك|[أا]ضف\s+تعليق(?:ا|اً|ك)?))?"
)
_SHARE_ROW_START_RE = re.compile(rf"^\s*(?P<row>{_SHARE_ROW})(?:\s+|$)", re.IGNORECASE)
_SHARE_ROW_END_RE = re.compile(
    rf"(?:^|(?<=[.!؟?»\"”)])|\s)\s*(?P<row>{_SHARE_ROW})\s*$", re.IGNORECASE
)

# Lines that are only debris, wherever the scraper put them.
_DEBRIS_LINE_RE = re.compile(
    "^(?:(?:"
    + "|".join(_TAIL_STARTS)
    + rf").*|(?:twitter|تويتر|e-?mail|البريد)?\s*:?\s*{_CONTACT}(?:\s*{_CONTACT})*"
    r"|[0-9]{1,2}:[0-9]{2}\s*(?:ت\s*م|ص|م|am|pm)?"  # a time stamp: 20:26 ت م
    r"|/+\s*انتهى\s*/+"  # the agencies' end mark: // انتهى //
    # A news service's credit: * خدمة «نيويورك تايمز»
    r"|\*?\s*(?:خدمة|بالاتفاق\s+مع|خاص\s+بـ?)\s*:?\s*[«{\"“].{1,40}[»}\"”]"
    # The end of an SMS line that the page cut in two.
    r"|[0-9]+\s*-\s*(?:stc|mobily|zain)|(?:[0-9]+\s+)?(?:مسافة\s+)?ثم\s+الرسالة"
    r")$",
    re.IGNORECASE,
)
# A signature: a dash or star, then a name.
_SIGNATURE_MARK_RE = re.compile(
    r"^(?:[-\u2010-\u2015*•ـ]+\s*)(?P<name>[^-\u2010-\u2015*]+?)\s*\*?$"
)
# First words that make a signature a note about the writer, or not a person at all.
_NOT_A_NAME = frozenset((
    "كاتب", "كاتبة", "أكاديمي", "أكاديمية", "اكاديمي", "شاعر", "شاعرة", "ناقد", "ناقدة", "باحث",
    "باحثة", "مؤرخ", "عضو", "أستاذ", "استاذ", "أستاذة", "مستشار", "مستشارة", "خبير", "خبيرة",
    "محلل", "محللة", "إعلامي", "إعلامية", "اعلامي", "صحفي", "صحافي", "صحفية", "روائي", "روائية",
    "طبيب", "طبيبة", "محامي", "محام", "محامية", "اقتصادي", "مدير", "رئيس", "سفير", "وزير",
    "ترجمة", "تصوير", "مترجم", "نقلا", "نقلاً", "استشاري", "استشارية", "أخصائي", "أخصائية",
    "اخصائي", "معلم", "معلمة", "طالب", "طالبة", "مواطن", "مواطنة",
    # Places and groups, not people: - وادي الفرع, - أهالي الحي
    "وادي", "جبل", "قرية", "مدينة", "محافظة", "منطقة", "حي", "أهالي", "اهالي", "أهل",
))  # fmt: skip


def unescape(text: str) -> str:
    """`text` with HTML entities and Arabic presentation forms turned into plain characters."""
    text = _ENTITY_RE.sub(lambda match: html.unescape(match.group()), text)
    return _PRESENTATION_RE.sub(lambda match: unicodedata.normalize("NFKC", match.group()), text)


def split_glued_caption(line: str) -> tuple[str, str] | None:
    """(caption, lead) when a short caption is run into the lead's first word, else None.

    Three things show where such a caption ends: a bidi mark (the page set the
    two in separate blocks; `line` must still have its invisible marks), the
    lead's dateline, a known place or paper glued to the caption's last word
    (…خلال الحفلالرياض - واس: …), or the verb news leads open with glued to
    it (سليمان الحربشأعلن أمس مدير عام…, جانب من حفل المعايدةأقامت…).
    """
    line = line.lstrip()
    match = _GLUED_CAPTION_RE.match(line)
    if match is not None:
        caption, rest = match.group("caption").strip(), line[match.end() :]
    else:
        found = _caption_before_dateline(line) or _caption_before_verb(line)
        if found is None:
            return None
        caption, rest = found
    if len(rest.split()) < CAPTION_MAX_WORDS:
        return None  # a heading-like line, not a lead with a caption before it
    return caption, rest


_CLITIC_LETTERS = set("وفبلكا")
# The verbs news leads open with (أعلن، أقامت، نظمت، يستقبل), as the archive's
# captions run into them. Short verbs that end other words are left out: عاد
# (استعاد، الابتعاد), قام (للأرقام، قائمقام), رعت (تسارعت).
_LEAD_VERBS = (
    "أعلن", "أقام", "أكد", "أوضح", "أشار", "أطلق", "أصدر", "أنهى", "أجرى", "أبدى", "أعرب", "أشاد",
    "أفاد", "أبرم", "أنجز", "أسفر", "أكمل", "أغلق", "أنقذ", "ألقى", "استقبل", "افتتح", "اختتم",
    "التقى", "احتفل", "انطلق", "اطلع", "استضاف", "اعتمد", "استعرض", "نظم", "دشن", "رعى", "بدأ",
    "وصل", "شهد", "كشف", "عقد", "تفقد", "زار", "وقع", "حقق", "ترأس", "تسلم", "كرم", "ضبط", "تمكن",
    "باشر", "واصل", "حذر", "طالب", "تواصل", "وجه", "قرر", "وافق", "تلقى", "تابع",
)  # fmt: skip
_PRESENT_LEAD_VERBS = ("يستعد", "يستقبل", "يرعى", "يدشن", "يفتتح", "يشهد", "تشهد", "تستعد", "تنظم",
                       "ينظم", "تقيم", "يقيم", "يواصل", "يتواصل")  # fmt: skip
_VERB_FORMS = sorted(
    {
        *_LEAD_VERBS,
        # The feminine, but not رعت, which ends تسارعت.
        *(verb + "ت" for verb in _LEAD_VERBS if not verb.endswith("ى")),
        *_PRESENT_LEAD_VERBS,
    },
    key=len,
    reverse=True,
)
# The head is letters alone: a tatweel marks a written abbreviation (هـالموافق).
_GLUED_VERB_RE = re.compile(
    rf"^(?P<head>[\u0621-\u063a\u0641-\u064a]+?)(?P<verb>{'|'.join(_VERB_FORMS)})$"
)
# و، ف، ب، ل، ك and the article before a stem: what is left must be a word of its own.
_LEADING_CLITICS_RE = re.compile("^[وف]?[بلك]?(?:ال)?")


def _caption_before_dateline(line: str) -> tuple[str, str] | None:
    # Imported here: the byline lists load data, and most lines never get this far.
    from nashra.readers.bylines import is_dateline_start, parse_byline

    words = line.split(" ")
    for index, word in enumerate(words[:CAPTION_MAX_WORDS]):
        for cut in range(2, len(word) - 1):
            head, tail = word[:cut], word[cut:]
            if set(head) <= _CLITIC_LETTERS or not is_letter(head[-1]):
                continue  # و، بال…: a clitic, not the end of a caption
            rest = " ".join([tail, *words[index + 1 :]])
            dateline, colon, _ = rest.partition(":")
            if colon and is_dateline_start(dateline) and parse_byline(dateline) is not None:
                return " ".join([*words[:index], head]).strip(), rest
    return None


def _caption_before_verb(line: str) -> tuple[str, str] | None:
    words = line.split(" ")
    for index, word in enumerate(words[:CAPTION_MAX_WORDS]):
        match = _GLUED_VERB_RE.match(word)
        if match is None:
            continue
        head, verb = match.group("head"), match.group("verb")
        stem = _LEADING_CLITICS_RE.sub("", head)
        if len(stem) < 3 or (head.endswith("ت") and not verb.startswith(("أ", "ا"))):
            # للأرقام، استقدمت، سيتوجه: one word, a prefix and a stem that looks like a verb
            continue
        return " ".join([*words[:index], head]).strip(), " ".join([verb, *words[index + 1 :]])
    return None


def split_glued_tail(paragraph: str) -> tuple[str, str, str | None] | None:
    """(text, debris, signed name or None) when boilerplate is run onto the end of `paragraph`."""
    patterns = (_MORE_RE, _GLUED_TAIL_RE, _PAPER_LINK_RE, _TRAILING_CONTACT_RE, _GLUED_SIGNATURE_RE)
    for pattern in patterns:
        match = pattern.search(paragraph)
        if match is None or match.start("tail") == 0:
            continue
        text = paragraph[: match.start("tail")].rstrip()
        tail = match.group("tail").strip()
        name = match.groupdict().get("name")
        signed = signed_name(name) if name else None
        if pattern is _TRAILING_CONTACT_RE:
            glued = _GLUED_NAME_RE.search(text)
            if glued and signed_name(glued.group("name")):
                signed = signed_name(glued.group("name"))
                tail = glued.group("name") + tail
                text = text[: glued.start("name")].rstrip()
        return text, tail, signed
    return None


def split_share_rows(paragraph: str) -> tuple[str, list[str]]:
    """`paragraph` without a row of share buttons run onto its start or end, and the rows cut."""
    rows = []
    match = _SHARE_ROW_START_RE.match(paragraph)
    if match is not None:
        rows.append(match.group("row"))
        paragraph = paragraph[match.end() :]
    match = _SHARE_ROW_END_RE.search(paragraph)
    if match is not None:
        rows.append(match.group("row"))
        paragraph = paragraph[: match.start("row")]
    return paragraph.strip(), rows


def remove_hidden_addresses(line: str) -> str:
    """`line` without Cloudflare's "[email protected]" placeholders, unless that is all it holds."""
    removed = _HIDDEN_ADDRESS_RE.sub("", line)
    return removed if removed.strip() else line


def is_debris_line(line: str) -> bool:
    """A line that is only boilerplate: a link to the story, a contact, a time stamp, a credit."""
    return bool(_DEBRIS_LINE_RE.match(line.strip()))


def holds_address(line: str) -> bool:
    """Whether `line` has a web or e-mail address or a handle in it, which no one reads aloud."""
    return _ADDRESS_RE.search(line) is not None


def signature(line: str) -> str | None:
    """The name a closing signature line gives (`- خالد الدوس`), else None.

    Only a marked line counts (a dash or a star before the name); a bare short
    line at the end is as often a photo caption. A line describing the writer
    (`* كاتب من مصر`) is a signature without a name.
    """
    match = _SIGNATURE_MARK_RE.match(line.strip())
    if match is None:
        return None
    return signed_name(match.group("name"))


def signed_name(text: str) -> str | None:
    """`text` as a signature's name, or None when it is too long or describes the writer."""
    words = text.split()
    if not 1 < len(words) <= SIGNATURE_MAX_WORDS or any(c.isdigit() for c in text):
        return None
    if words[0].strip("/:") in _NOT_A_NAME or re.search(r"[.!؟?:،,;/()]", text):
        return None
    return " ".join(words)


def is_writer_note(line: str) -> bool:
    """A closing line about the writer rather than by them: `* أكاديمي سعودي`."""
    match = _SIGNATURE_MARK_RE.match(line.strip())
    if match is None:
        return False
    words = match.group("name").split()
    return (
        bool(words)
        and words[0].strip("/:") in _NOT_A_NAME
        and len(words) <= SIGNATURE_MAX_WORDS + 2
    )
