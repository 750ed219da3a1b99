"""Vowelled Arabic respelled the way espeak-ng reads it right.

espeak-ng's Arabic rules misread some correctly vowelled spellings; each
function here rewrites one of them into a spelling that espeak-ng turns into
the intended sounds (checked against its own phoneme output):

- the article before a sun letter is assimilated by espeak-ng itself: the shadda the
  letter carries (السَّعُودِيَّة) is said on top, three times over (ʔasssaʕuːdiːja), so
  it is dropped (`article_shadda`);
- a shadda on و or ي is never doubled (العربيّة → alʕarabiːti, قوّات → quːaːt):
  the doubled glide is written out, يّ as يْي (alʕarabiːjati);
- a prefix before an opening quote (بـ«الذئاب) is said alone: it goes inside;
- a bare alif after a one-letter prefix is read as a long ā (بالعاصمة →
  biaːlʕaːsˤima, واستمر → waːstamarr): it is the connecting alif, written ٱ
  (bilʕaːsˤima, wastamarr); before a sun letter the article's lam is
  assimilated and written as the letter's shadda (وٱلسّعودية → wassaʕuːdijja);
- two tanweens (the writer's on the alif and the diacritizer's on the letter
  before it) are read as a long ā (دعمًاً → daʕmaː): one is kept;
- إ with a fatha or damma is read with that vowel: it always takes a kasra;
- a vowel or shadda on a bare alif or alif maqsura is voiced as an extra vowel
  (إِلَىَ → ʔilaːa): they are dropped;
- ي with a tanween is read as a vowel (رأيٌ → raʔiun): the tanween is
  spelled out as vowel and نْ;
- مائة is read with its silent alif voiced (miaːʔa): it is spelled مئة;
- words and endings it misreads whatever their vowels (هَذَا، اللّٰه، قَالُوا، الطَّرِيق,
  the nisba's يِ) are written as said (`words`);
- across words, the connecting alif after a vowel and the hamza the writer left out
  are written as said (`wasl`: فِ ٱلْبَيْتِ, أَكْثَرَ).

All functions take and return vowelled text with the shadda before the vowel
on the same letter (as `diacritize.shadda_first` leaves it).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from nashra.core.model import Script, Utterance
from nashra.engines.espeak import wasl, words
from nashra.engines.espeak.pause_forms import pause_forms
from nashra.engines.espeak.wasl import PREFIX_LETTERS
from nashra.text import diacritize
from nashra.text.letters import (
    ALEF,
    ALEF_MADDA,
    ALEF_MAQSURA,
    ALEF_WASLA,
    DAMMA,
    DAMMATAN,
    FATHA,
    FATHATAN,
    HARAKAT,
    KASRA,
    KASRATAN,
    LETTERS,
    SHADDA,
    SHORT_VOWELS,
    SUKUN,
    TANWEEN,
    VOWELS,
    joined,
    marked_letters,
)
from nashra.text.letters import HAMZA_BELOW_ALEF as HAMZA_BELOW

VERSION = 7
"""Part of espeak-ng's voice id: raise it when a change here changes what espeak-ng is
given, so that episodes voiced before are voiced again."""

_MARK = f"[{HARAKAT}]"
_VOWEL = f"[{VOWELS}]"
_LETTER = f"[{LETTERS}]"

_DOUBLE_TANWEEN_RE = re.compile(f"([{TANWEEN}])\\1+")
# Tanween of fatha written on the final alif, with or without the diacritizer's on the
# letter before: one tanween, on the letter before the alif, where espeak-ng reads it.
_TANWEEN_ON_ALEF_RE = re.compile(
    f"({_LETTER})({SHADDA}?){_MARK}*{ALEF}{FATHATAN}(?!{_MARK}|{_LETTER})"
)
_TANWEEN_AND_VOWEL_RE = re.compile(f"[{SHORT_VOWELS}]*([{TANWEEN}])[{SHORT_VOWELS}]*")
_MARKED_ALEF_RE = re.compile(f"([{ALEF}{ALEF_WASLA}{ALEF_MADDA}]){_MARK}+")
_MARKED_MAQSURA_RE = re.compile(f"{ALEF_MAQSURA}(?!{FATHATAN}){_MARK}+")
_HAMZA_BELOW_RE = re.compile(f"{HAMZA_BELOW}{_MARK}*")
_HUNDRED_RE = re.compile(f"\u0645{_MARK}*\u0627{_MARK}*(\u0626{_MARK}*[\u0629\u062a])")
_GLIDE_SHADDA_RE = re.compile(f"(?<={_LETTER}|{_MARK})([وي]{_MARK}*?)\u0651({_MARK}?)")
_TANWEEN_ON_YA_RE = re.compile(f"(يّ?)([{TANWEEN}]){ALEF}?(?!{_MARK}|{_LETTER})")
_PREFIX_QUOTE_RE = re.compile(
    f'(?<!{_LETTER}|{_MARK})([{PREFIX_LETTERS}]{_MARK}*)([«"“(])(?={_LETTER})'
)
_WORD_RE = re.compile(f"(?<!{_LETTER}|{_MARK})(?:{_LETTER}|{_MARK})+")
# A shadda on a sun letter right after the article al-; lam is left alone (الَّذِي
# needs its shadda to be read ʔallaðiː).
_ARTICLE_SHADDA_RE = re.compile(f"(?<!{_LETTER})([وفبكل]?ال[تثدذرزسشصضطظن]){SHADDA}")


def article_shadda(text: str) -> str:
    """The shadda on a sun letter after al- dropped: السَّعودية → السَعودية, والشَّركة →
    والشَركة. espeak-ng assimilates the article's lam to the letter by itself."""
    return _ARTICLE_SHADDA_RE.sub(r"\1", text)


def prefix_inside_quotes(text: str) -> str:
    """A one-letter prefix written before an opening quote moved inside it: بـ«الذئاب
    → «بالذئاب. espeak-ng otherwise says the prefix alone and the word after it
    with its article's hamza (bi ʔaððiʔaːb)."""
    return _PREFIX_QUOTE_RE.sub(r"\2\1", text)


def one_tanween(text: str) -> str:
    """One tanween per word end: دَعْمًاً → دَعْمًا, كتابٌٌ → كتابٌ."""
    text = _DOUBLE_TANWEEN_RE.sub(r"\1", text)
    text = _TANWEEN_ON_ALEF_RE.sub(rf"\1\2{FATHATAN}{ALEF}", text)
    return _TANWEEN_AND_VOWEL_RE.sub(r"\1", text)


def bare_alef(text: str) -> str:
    """No vowel or shadda on ا, ٱ, آ, nor on ى (but its tanween, مستشفًى)."""
    text = _MARKED_ALEF_RE.sub(r"\1", text)
    return _MARKED_MAQSURA_RE.sub("\u0649", text)


def hamza_below_kasra(text: str) -> str:
    """إ always carries a kasra: إجمالي, إَلى → إِجمالي, إِلى."""
    return _HAMZA_BELOW_RE.sub(HAMZA_BELOW + KASRA, text)


def hundred(text: str) -> str:
    """مائة and its forms (مائتان، ثلاثمائة) → مئة, مئتان, ثلاثمئة."""
    return _HUNDRED_RE.sub(f"\u0645{KASRA}\\1", text)


def doubled_glides(text: str) -> str:
    """A shadda on و or ي written out as the glide twice: عربيّة → عربيْية, قوّات → قوْوات.

    Left with no vowel at a word's end (وليّ), the second glide takes a sukun: bare,
    espeak-ng reads it as a vowel (waliːi), with one as the glide it is (waliːj).
    """
    return _GLIDE_SHADDA_RE.sub(lambda m: _doubled(m, text), text)


def _doubled(match: re.Match[str], text: str) -> str:
    glide, vowel = match[1], match[2]
    if not vowel and not re.match(f"{_LETTER}|{_MARK}", text[match.end() : match.end() + 1]):
        vowel = SUKUN
    return f"{glide}{SUKUN}{glide[0]}{vowel}"


def tanween_on_ya(text: str) -> str:
    """Tanween on ي written as its vowel and نْ: مالييٍ → ماليْيِنْ, رأيٌ → رأيُنْ.

    espeak-ng reads ي with a tanween as a vowel (raʔiun, maːliːiin); with the
    tanween spelled out it is the glide it is (raʔjun).
    """
    return _TANWEEN_ON_YA_RE.sub(_spell_ya_tanween, text)


def _spell_ya_tanween(match: re.Match[str]) -> str:
    vowel = {FATHATAN: FATHA, DAMMATAN: DAMMA, KASRATAN: KASRA}[match[2]]
    return f"{match[1]}{vowel}ن{SUKUN}"


def connecting_alif(text: str) -> str:
    """The alif after a prefix written as ٱ, the connecting alif that is not said.

    بِالعاصمة → بِٱلعاصمة, وَاستمر → وَٱستمر, الِانتظار → الِٱنتظار; after a prefix
    the article before a sun letter becomes that letter's shadda: بِالشمس →
    بِٱشّمس. A word-initial article is left alone: espeak-ng reads it right.
    """
    return _WORD_RE.sub(lambda m: _connect(m.group()), text)


def respell(text: str) -> str:
    """All of the above, in an order where each sees the previous one's result."""
    # Across words before `bare_alef`: a vowel on an alif tells a hamza from a connecting one.
    across = (
        wasl.omitted_hamza,
        wasl.doubled_after_alif,
        wasl.connected_speech,
        wasl.after_pause,
    )
    first = (article_shadda, prefix_inside_quotes, hundred, one_tanween, words.unwritten_alif)
    steps = (*first, *across)
    joined = (bare_alef, hamza_below_kasra, words.hamza_seat, connecting_alif)
    after = (words.article_sun_letter, words.form_viii_lam, words.plural_alif, doubled_glides)
    for step in (*steps, *joined, *after):
        text = step(text)
    return text


def _connect(word: str) -> str:
    letters = marked_letters(word)
    position = 0  # past the prefixes: one-letter words with a short vowel (وَ، فَ، بِ، كَ، لِ)
    while (
        position + 1 < len(letters)
        and letters[position][0] in PREFIX_LETTERS
        and letters[position][1] in (FATHA, DAMMA, KASRA)
        and letters[position + 1][0] != "ل"  # لِلْ: the article after لِ has no alif to mend
    ):
        position += 1
    if position > 0 and letters[position] == (ALEF, ""):
        wasl.write_wasla(letters, position)
    # The article's lam with its helping kasra, then a connecting alif: الِاستثمار,
    # لِلِاتصالات, بِٱلِانتظار.
    # After the article's own lam the kasra says the alif is a connecting one, whatever
    # the word (الِاتنين, as people write الاثنين).
    for lam in range(min(len(letters) - 1, 4)):
        if letters[lam] != ("ل", KASRA):
            continue
        after_article = lam > 0 and (
            letters[lam - 1][0] in (ALEF, ALEF_WASLA) or letters[lam - 1] == ("ل", KASRA)
        )
        if (after_article and letters[lam + 1] == (ALEF, "")) or wasl.is_connecting(
            letters, lam + 1
        ):
            letters[lam + 1] = (ALEF_WASLA, "")
    return joined(letters)


def for_espeak(vowelled: str) -> str:
    """Vowelled text as espeak-ng should be given it: respelled, pause forms written out.

    Tanween on ي is spelled out last, so that a tanween before a pause has
    already given way to the pause form; then a kasra on ي is kept short
    (`words.kasra_on_ya`), the spelled-out tanween's too.
    """
    return words.kasra_on_ya(tanween_on_ya(pause_forms(respell(vowelled))))


_COMMAS = ("،", ",")


def ends_clause(utterance: Utterance) -> bool:
    """Whether `utterance` ends at a comma: a clause of a sentence the script cut there."""
    return utterance.speech.rstrip().endswith(_COMMAS)


def stretches(utterances: Sequence[Utterance]) -> list[range]:
    """The runs of utterances diacritized together: the chunks and comma clauses of one
    sentence (whole paragraphs when sentence pauses are 0).

    A pause cuts speech for the listener; only a sentence's own end cuts it for the
    diacritizer, which reads each word in its sentence.
    """
    runs: list[range] = []
    start = 0
    for end, utterance in enumerate(utterances, 1):
        joined = utterance.pause_after_ms == 0 or ends_clause(utterance)
        if joined and end < len(utterances):
            continue
        runs.append(range(start, end))
        start = end
    return runs


def prepare_script(script: Script) -> Script:
    """Every utterance diacritized and respelled for espeak-ng, the chunks and
    clauses of a sentence diacritized together (`stretches`)."""
    utterances = script.utterances
    prepared: list[str] = []
    for run in stretches(utterances):
        vowelled = diacritize.diacritize_together([utterances[i].speech for i in run])
        prepared += [for_espeak(text) for text in vowelled]
    return dataclasses.replace(
        script,
        utterances=tuple(
            dataclasses.replace(u, speech=speech)
            for u, speech in zip(utterances, prepared, strict=True)
        ),
    )
