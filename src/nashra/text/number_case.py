"""The case of a number, from the words before it.

Without a parser the place of a number in its sentence is decided from what can
be told from the words alone, in this order:

- genitive after ب ل ك on the number, a preposition, or a noun that governs it
  in idafa: the listed governors (خلال، نحو، بنسبة …) and indefinite verbal
  nouns known by their pattern (تكريم، إطلاق، اختيار، استقبال، زراعة، مشاركة);
- accusative after a transitive verb of the data (or one that says by how much
  something moved), right before the number or before its subject of up to
  four words (كرمت جامعة الملك سعود 150 طالبا); the verbs are listed by their
  past stem, and their forms (كرمت، يكرم، تكرم، سيكرم، كرموا) are derived;
- nominative otherwise, the safe reading where no governor is recognized: a
  subject, a predicate, a heading.

Opening brackets and quotes between the governor and the number are looked
through: في ( 35) دولة, أطلقت «25» قذيفة. What this cannot tell: a passive
verb from an active one (قتل 5 أشخاص is most often قُتل: such verbs are left out
of the data), a verb the data does not list (its object is read nominative), an
indefinite noun outside the patterns before a number (read nominative), or a
number standing as a verb's object far from it.
"""

from __future__ import annotations

import re
from functools import cache

from nashra.text.counted_nouns import bare, noun_data
from nashra.text.letters import HARAKAT, HARAKAT_RE
from nashra.text.number_words import NOT_NOUNS, Case

OPENERS = "(«\"'“[{"
"""Opening brackets and quotes: looked through between a governor and its number."""
CLOSERS = ")»\"'”]}"
_PUNCT_RE = re.compile(r"^[^\w]*|[^\w]*$")
_CLOSE_ONLY_RE = re.compile(rf"^[{re.escape(CLOSERS)}]+$")
_SUBJECT_WORDS = 4
_CLAUSE_WORDS = frozenset(
    {"عندما", "حين", "بعدما", "كلما", "لكن", "ولكن", "لأن", "الذين", "اللذين", "أنه", "إنه"}
)


def core(word: str) -> str:
    """The word without punctuation around it or harakat."""
    return bare(_PUNCT_RE.sub("", word))


def ends_clause(word: str) -> bool:
    """Whether `word` ends with punctuation that is not a closing bracket or quote."""
    trail = word.rstrip(CLOSERS) if word.rstrip(CLOSERS) else word
    return bool(word) and not trail[-1].isalnum() and not HARAKAT_RE.match(trail[-1])


def only_closers(trail: str) -> bool:
    """Whether a number's trailing punctuation only closes a bracket or quote: 25» قذيفة."""
    return bool(_CLOSE_ONLY_RE.match(trail))


def is_governor(word: str, governors: frozenset[str]) -> bool:
    """Whether `word` is one of `governors`, alone or with و ف ب ل in front (وفي، بعام)."""
    found = core(word)
    if found in governors:
        return True
    for length in (1, 2):
        prefix, rest = found[:length], found[length:]
        if prefix.strip("وفبل") == "" and rest in governors:
            return True
    return False


def _present_stem(past: str) -> str:
    """The letters of the present after its prefix: أطلق → طلق, ارتفع → رتفع, كرم → كرم."""
    return past[1:] if past[:1] in "اأ" else past


@cache
def verb_forms() -> frozenset[str]:
    """Every written form of the data's verbs that a number may follow as object."""
    data = noun_data()
    forms = set(data.verbs)
    for past in data.verb_stems:
        forms |= {past, past + "ت", past + "وا", past + "ا", past + "تا"}
        present = _present_stem(past)
        for prefix in ("ي", "ت", "ن"):
            forms |= {prefix + present, prefix + present + "ون", prefix + present + "ان"}
    return frozenset(forms)


def is_verb(word: str) -> bool:
    """A verb of the data, with و ف or the future's س in front (وكرمت، فيضم، سيستمر)."""
    found = core(word)
    forms = verb_forms()
    for prefix in ("", "و", "ف", "س", "وس", "فس", "ل", "ول"):
        if found.startswith(prefix) and found[len(prefix) :] in forms:
            return True
    return False


def is_verbal_noun(word: str) -> bool:
    """An indefinite verbal noun by its pattern, which takes a number after it in idafa:
    تفعيل (تكريم), إفعال (إطلاق), افتعال and انفعال (اختيار، انخفاض), استفعال
    (استقبال), فعالة (زراعة), مفاعلة (مشاركة). With و or ف in front."""
    found = core(word)
    if found[:1] in "وف" and len(found) > 5:
        found = found[1:]
    size = len(found)
    if size == 5 and found[0] == "ت" and found[3] == "ي":
        return True
    if size == 5 and found[0] in "إ" and found[3] == "ا":
        return True
    if size == 6 and found[0] == "ا" and found[4] == "ا" and (found[1] == "ن" or found[2] in "تطد"):
        return True
    if size == 7 and found.startswith("است") and found[5] == "ا":
        return True
    if size == 5 and found[2] == "ا" and found[4] == "ة":
        return True
    return size == 6 and found[0] == "م" and found[2] == "ا" and found[5] == "ة"


def _looked_through(word: str) -> bool:
    return bool(word) and all(char in OPENERS for char in word)


def case_at(words: list[str], index: int, lead: str = "", prefix: str = "") -> Case:
    """The case of the number (or noun) at `index`, written with `lead` punctuation
    and `prefix` letters before its digits."""
    if prefix.lstrip("وف") or lead[:2].lstrip("وف")[:1] in ("ب", "ل", "ك"):
        return "gen"  # ب50، ب(136)
    if lead.strip(OPENERS + HARAKAT):
        return "nom"
    before = index - 1
    while before >= 0 and _looked_through(words[before]):
        before -= 1
    if before < 0:
        return "nom"
    previous = words[before]
    trimmed = previous.rstrip(OPENERS)
    if not trimmed or ends_clause(trimmed):
        return "nom"
    data = noun_data()
    found = core(trimmed)
    if found in ("ب", "ل", "ك") or is_governor(trimmed, data.governors):
        return "gen"
    if is_verb(trimmed):
        return "acc"
    if not found.startswith("ال") and is_verbal_noun(trimmed):
        return "gen"
    if found in NOT_NOUNS or trimmed != previous:
        return "nom"
    return "acc" if _verb_before_subject(words, before) else "nom"


def _verb_before_subject(words: list[str], last: int) -> bool:
    """Whether a verb stands before the words ending at `last`, taken as its subject:
    ارتفع المؤشر العام 0.6 في المئة, كرمت جامعة الملك سعود 150 طالبا."""
    definite = False  # شاهدا جيل 16 عاما: an indefinite noun before a number governs it
    for at in range(last, max(-1, last - _SUBJECT_WORDS - 1), -1):
        word = words[at]
        if at < last and ends_clause(word):
            return False
        if is_verb(word) or (at < last and core(word) in _after_subject_forms()):
            return at < last and definite
        definite = definite or _definite(word)
        found = core(word)
        if found in NOT_NOUNS or found in _CLAUSE_WORDS or not found:
            return False
    return False


def _definite(word: str) -> bool:
    """With the article, or a possessive pronoun (سهمها)."""
    found = core(word)
    if found.endswith(("ها", "هم", "هما")) and len(found) > 4:
        return True
    return found.startswith(("ال", "لل")) or found[1:].startswith(("ال", "لل"))


@cache
def _after_subject_forms() -> frozenset[str]:
    """The forms of verbs whose object is a number only after their subject (وصل سعر
    الهامور 120 ريالا; right after the verb the number is its subject: وصل 150 حاجا)."""
    forms: set[str] = set()
    for past in noun_data().after_subject:
        forms |= {past, past + "ت", "و" + past, "و" + past + "ت", "ي" + past, "ت" + past}
        forms |= {"وي" + past, "وت" + past}
    return frozenset(forms)
