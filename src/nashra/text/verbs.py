"""Frequent news verbs the diacritizer reads as another word, told apart by their context.

Form I and form II of a root are written alike: وقع is وَقَعَ "happened, fell" or وَقَّعَ
"signed", كرم is كَرَم "generosity" or كَرَّمَ "honoured". The diacritizer reads the
frequent one whatever the sentence says (وَقَعَ الرَئِيسُ اتِّفَاقِيَّةً, ثُمَّ كَرَمَ الرُعَاةَ).
`news_verbs.toml` lists such verbs with the contexts in which grammar leaves one reading
(the subject is a party that signs, a thing signed follows; a particle that only a
verb follows), and only those: where the context does not settle it, the diacritizer
decides, as before. A rule writes the verb's distinctive mark (form II's shadda) and
leaves the other vowels to the diacritizer, which still chooses active or passive.

After the diacritizer, `past_form_ii` mends the vowels it gives a past form II verb
that no verb has: a damma then fatha (قُدَّمَ, عُيَّنَ) is the passive قُدِّمَ, a fatha then
kasra (قَدِّمَ) the active قَدَّمَ.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass

from nashra.core.errors import SettingsError
from nashra.text.letters import (
    DAMMA,
    FATHA,
    HARAKAT,
    HARAKAT_RE,
    KASRA,
    LETTERS,
    SHADDA,
    SUKUN,
    WORD_RE,
)
from nashra.text.lexicon import match_key, package_data

VERBS = "news_verbs.toml"
"""The verbs and their contexts in the package's `data` folder."""

WINDOW = 6
"""How many words after a verb, within its clause, a rule looks at."""

_TOKEN_RE = re.compile(f"{WORD_RE.pattern}|[^{LETTERS}\\s]+|\\s+")
_CLAUSE_END = re.compile(r"[.،,؛;:؟?!…«»\"()\[\]]")


@dataclass(frozen=True)
class Rule:
    """Verbs (key → what is written instead) and the contexts that call for it."""

    name: str
    words: dict[str, str]
    after: frozenset[str]
    """The word before the verb is one of these (a particle only a verb follows)."""
    next: frozenset[str]
    """The word right after the verb, its clitics and article set aside, is one of these."""
    within: frozenset[str]
    """One of these words follows in the verb's clause, within `WINDOW` words..."""
    blocking: frozenset[str]
    """...with none of these before it (a preposition: what follows is no object)."""
    unless: frozenset[str]
    """After a `next` word, one of these before a `within` word undoes it (وقعت الإدارة
    في مأزق: "fell into a predicament")."""


def noun_keys(word: str) -> set[str]:
    """The forms a rule may name a word by: its key (`match_key`), and the key without
    و or ف, a preposition ب ل ك and the article (والاتفاقية → اتفاقية, لنادي → نادي)."""
    key = match_key(word)
    forms = {key}
    for prefixes in ("وف", "بلك"):
        forms |= {form[1:] for form in forms if len(form) > 3 and form[0] in prefixes}
    forms |= {"ا" + form[1:] for form in forms if form.startswith("لل") and len(form) > 4}
    forms |= {form[2:] for form in forms if form.startswith("ال") and len(form) > 4}
    return forms


@functools.cache
def load_rules() -> tuple[Rule, ...]:
    """The rules of `news_verbs.toml`."""
    text, path = package_data(VERBS)
    try:
        data = tomllib.loads(text)
        return tuple(_rule(name, table) for name, table in data.items())
    except (tomllib.TOMLDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise SettingsError(path, f"cannot read the verbs: {exc}") from exc


def _rule(name: str, table: dict[str, object]) -> Rule:
    words = table["words"]
    if not isinstance(words, dict):
        raise TypeError(f"[{name}] words must be a table")

    def keys(field: str) -> frozenset[str]:
        listed = table.get(field, [])
        if not isinstance(listed, list):
            raise TypeError(f"[{name}] {field} must be a list")
        return frozenset(match_key(word) for word in listed)

    return Rule(
        name=name,
        words={match_key(written): str(spoken) for written, spoken in words.items()},
        after=keys("after"),
        next=keys("next"),
        within=keys("within"),
        blocking=keys("blocking"),
        unless=keys("unless"),
    )


def verbs_in_context(text: str) -> str:
    """`text` with each listed verb whose context settles its reading written as that
    reading (وقع الرئيس → وقّع الرئيس); a word that carries marks is left as written."""
    rules = load_rules()
    tokens = _TOKEN_RE.findall(text)
    for index, token in enumerate(tokens):
        if not WORD_RE.fullmatch(token) or HARAKAT_RE.search(token):
            continue
        key = match_key(token)
        for rule in rules:
            if key in rule.words:
                written, spoken = "", rule.words[key]
            elif key[:1] in ("و", "ف") and key[1:] in rule.words:
                written, spoken = token[0], rule.words[key[1:]]  # ووقع: و, then the verb
            else:
                continue
            if _applies(rule, tokens, index):
                tokens[index] = written + spoken
            break
    return "".join(tokens)


def _applies(rule: Rule, tokens: list[str], index: int) -> bool:
    before = _word_before(tokens, index)
    if before is not None and match_key(before) in rule.after:
        return True
    following = _clause_after(tokens, index)
    if following and noun_keys(following[0]) & rule.next:
        for word in following[1:WINDOW]:
            forms = noun_keys(word)
            if forms & rule.within:
                return True
            if forms & rule.unless:
                return False
        return True
    for word in following[:WINDOW]:
        forms = noun_keys(word)
        if forms & rule.blocking:
            return False
        if forms & rule.within:
            return True
    return False


def _word_before(tokens: list[str], index: int) -> str | None:
    """The token before the verb with only spaces between, or None."""
    position = index - 1
    while position >= 0 and tokens[position].isspace():
        position -= 1
    return tokens[position] if position >= 0 and position < index - 1 else None


def _clause_after(tokens: list[str], index: int) -> list[str]:
    """The words after the verb up to the clause's end (a punctuation mark)."""
    words = []
    for token in tokens[index + 1 :]:
        if token.isspace():
            continue
        if _CLAUSE_END.search(token):
            break
        if WORD_RE.fullmatch(token):
            words.append(token)
    return words


_FUAL_NOUNS = frozenset(("سكر", "ركع", "سجد", "رضع", "عزل", "شرد", "نوم", "صوم"))
"""Nouns on فُعَّل that a case fatha gives the letters and vowels of a passive form II verb."""
_ROOT = "(?![\u0627\u0649\u0629])[\u0621-\u064a]"  # a letter that can be a root's: not ا ى ة
_PAST_FORM_II_RE = re.compile(
    f"(?<![{LETTERS}{HARAKAT}])"
    f"((?:[وف]{FATHA})?)"  # و or ف with its fatha
    f"({_ROOT})([{FATHA}{DAMMA}])"  # the first root letter and its vowel
    f"({_ROOT}){SHADDA}([{FATHA}{KASRA}{SUKUN}]?)"  # the second, doubled
    f"((?![وي]){_ROOT}){FATHA}"  # the third, with the past's fatha
    f"((?:ت[{SUKUN}{KASRA}{FATHA}]?)?)"  # the feminine's ت
    f"(?![{LETTERS}{HARAKAT}])"
)


def past_form_ii(vowelled: str) -> str:
    """A past form II verb with the vowels of one: قُدَّمَ → قُدِّمَ, عُيَّنَ → عُيِّنَ,
    نُفَّذَتْ → نُفِّذَتْ (passive); قَدِّمَ → قَدَّمَ, صَمِّمَتْ → صَمَّمَتْ (active).

    Only a word of three root letters with the past's fatha on the last (and the
    feminine's ت) is mended. Without the ت some nouns have the same letters and
    vowels, and are left alone: a فَيْعِل adjective (جَيِّدَ، سَيِّدَ), a noun of two
    letters and the pronoun ك (رَبِّكَ، حُبَّكَ), and the nouns on فُعَّل (سُكَّرَ، رُكَّعَ).
    """

    def mend(match: re.Match[str]) -> str:
        prefix, first, vowel, second, second_vowel, third, feminine = match.groups()
        if not feminine and (
            (second == "ي" and vowel == FATHA)
            or third == "ك"
            or first + second + third in _FUAL_NOUNS
        ):
            return match.group()
        wanted = KASRA if vowel == DAMMA else FATHA
        if second_vowel == wanted:
            return match.group()
        return f"{prefix}{first}{vowel}{second}{SHADDA}{wanted}{third}{FATHA}{feminine}"

    return _PAST_FORM_II_RE.sub(mend, vowelled)
