"""Where a cut between two words falls inside a phrase a newsreader never breaks.

A chunk of speech is voiced on its own, so the voice closes it as it closes a
phrase: a falling pitch, and the engine's own breath before the next clip. A
cut is heard as the end of a phrase, and inside these three it is wrong:

- a name chain: فيصل بن ‖ فهد, آل ‖ سعود, عبد ‖ الله, الأمير ‖ فيصل;
- a construct (إضافة): رئيس ‖ مجلس, وزارة ‖ الصحة, خادم ‖ الحرمين;
- after a preposition or a noun that always governs the next word: في ‖ المدينة,
  خلال ‖ الفترة; likewise after a relative pronoun or a particle: الذي ‖ ورثه.

The words are listed as the archive's texts write them (bare, or after و or ف),
because which Arabic words head a construct cannot be told from their letters.
"""

from __future__ import annotations

PREPOSITIONS = frozenset((
    "في", "من", "إلى", "الى", "إلي", "على", "علي", "عن", "مع", "حتى", "منذ", "لدى", "لدي", "عند",
    "بين", "نحو", "خلال", "بعد", "قبل", "ضد", "عبر", "حول", "دون", "تحت", "فوق", "أمام", "امام",
    "وراء", "تجاه", "وفق", "حسب", "مثل", "ضمن", "لدن", "إثر", "اثر", "جراء", "بسبب", "لصالح",
    "كل", "جميع", "بعض", "معظم", "أغلب", "غير", "عدة", "أحد", "إحدى", "احد", "احدى",
))  # fmt: skip
"""Prepositions, and nouns used as prepositions or quantifiers: never the last word of a phrase."""
PARTICLES = frozenset((
    "الذي", "التي", "الذين", "اللذان", "اللذين", "اللتان", "اللتين", "اللواتي", "اللاتي",
    "أن", "لن", "لم", "قد", "سوف", "كي", "لكي",
))  # fmt: skip
"""Relative pronouns and particles that the next word completes (الذي ‖ ورثه, لم ‖ يعد)."""
NAME_LINKS = frozenset(("بن", "ابن", "بنت", "ابنة", "آل", "أبو", "ابو", "أبا", "أبي", "عبد", "أم"))
"""Words that join a name to the next one: neither ends a chain of names."""
TITLES = frozenset((
    "الأمير", "الامير", "الأميرة", "الملك", "الشيخ", "الشيخة", "سمو", "صاحب", "السمو", "الملكي",
    "معالي", "فضيلة", "سعادة", "الدكتور", "الدكتورة", "د.", "المهندس", "المهندسة", "م.", "الأستاذ",
    "الاستاذ", "الأستاذة", "اللواء", "العميد", "العقيد", "المقدم", "الرائد", "النقيب", "الفريق",
    "الرئيس", "السيد", "السيدة", "الإمام", "الامام", "المستشار", "الرقيب",
))  # fmt: skip
"""Titles said before a name, with no pause between them (الأمير فيصل، اللواء منصور)."""
CONSTRUCT_HEADS = frozenset((
    "رئيس", "رئيسة", "رؤساء", "نائب", "نواب", "وزير", "وزيرة", "وزراء", "وزارة", "مجلس", "مجالس",
    "أمير", "امير", "أمراء", "إمارة", "امارة", "أمين", "امين", "أمانة", "امانة", "مدير", "مديرة",
    "مديري", "مدراء", "إدارة", "ادارة", "عضو", "أعضاء", "اعضاء", "عضوية", "هيئة", "جامعة", "مدينة",
    "منطقة", "محافظ", "محافظة", "مركز", "قائد", "قيادة", "خادم", "ولي", "سمو", "وكيل", "وكيلة",
    "وكالة", "مساعد", "مستشار", "قطاع", "شركة", "مؤسسة", "مستشفى", "مكتب", "برنامج", "مشروع",
    "عدد", "عام", "عامة", "حرس", "قوات", "قوة", "مجمع", "كلية", "عمادة", "عميد", "مدرسة", "إمام",
    "خطيب", "مفتي", "ملك", "حاكم", "سفير", "سفارة", "قنصل", "قنصلية", "دولة", "حكومة", "مملكة",
    "بلدية", "أمانات", "لجنة", "صندوق", "بنك", "سوق", "نادي", "منتخب", "مدرب", "لاعب", "رابطة",
    "اتحاد", "جمعية", "غرفة", "دار", "بيت", "مجموعة", "مؤسسات", "شركات", "رأس", "نهاية", "بداية",
    "منتصف", "أول", "آخر", "اخر", "معالي", "صاحب", "أصحاب", "اصحاب", "مجال", "إطار", "اطار",
    "تعيين", "ترقية", "نقل", "تكليف", "مرتبة", "وظيفة", "المرتبة", "بوظيفة", "بمرتبة",
))  # fmt: skip
"""Nouns that head a construct in news text: the word after them is theirs (رئيس مجلس الشورى)."""
_CLITICS = ("و", "ف")
_PUNCTUATION = "،,:؛;.!؟?»)\"”'…-–—"
_QUOTES = "«»\"“”'()"


def inside_phrase(previous: str, word: str) -> bool:
    """Whether a cut between `previous` and `word` would break a name chain, a
    construct, or a preposition from its noun.

    A cut after punctuation never does (`في،` is not a preposition any more).
    """
    if not previous or not word or previous.endswith(tuple(_PUNCTUATION)):
        return False
    if word.startswith(tuple("«(-–—")):
        return False
    last = _bare(previous)
    following = _bare(word)
    if following in ("بن", "بنت", "ابنة", "آل"):
        return True  # فيصل ‖ بن فهد
    return any(
        form in PREPOSITIONS
        or form in PARTICLES
        or form in NAME_LINKS
        or form in TITLES
        or form in CONSTRUCT_HEADS
        for form in _forms(last)
    )


def _bare(word: str) -> str:
    return word.strip(_QUOTES)


def _forms(word: str) -> tuple[str, ...]:
    """The word, and the word without a leading conjunction (وفي، فمن، ورئيس)."""
    if len(word) > 2 and word.startswith(_CLITICS):
        return (word, word[1:])
    return (word,)
