"""The connecting alif (همزة الوصل) written the way espeak-ng reads it.

The alif of the article (الْمَدِينَة) and of some stems (انْتِخَاب، اسْتَقْبَلَ، ابْن، اسْم،
اثْنَانِ، امْرَأَة) is said only after a pause; after a vowel it is not said and the two
words run together: فِي الْمَدِينَةِ is /fil.madiːnati/, عَلَى الشَّمْسِ /ʕalaʃ.ʃamsi/.
espeak-ng reads each word on its own (no Arabic rule of its looks across a space): a
bare initial alif is a vowel (fiː almadiːna), an article before a sun letter ʔa, and
the alif wasla ٱ nothing. So, in vowelled text (shadda before the vowel):

- after a word that ends in a vowel, with only a space between, the connecting alif
  is written ٱ (فِي ٱلْمَدِينَةِ → fiː lmadiːnati); before a sun letter the article's
  lam goes and the letter takes a shadda (عَلَى ٱشَّمْسِ → ʕalaːʃ ʃamsi);
- the long vowel before it is shortened as said (فِ ٱلْمَدِينَةِ, عَلَ ٱشَّمْسِ, قَالُ ٱلْ):
  dropping the letter keeps both words' stress, joining the words would move it;
- a word ending in a silent consonant takes the helping vowel first: مِنَ before the
  article, the plural's مُ (هُمُ ٱلْ), a kasra otherwise (هَلِ ٱلْ، أَوِ ٱلْ, قَدِ ٱنْتَهَى);
- after a tanween the article is left: espeak-ng carries the n into it (…tun alkubraː)
  where a reader says …tunil-; the forms that say that move the next word's stress;
- at a chunk's start or after punctuation (a pause) the alif is said: the article's
  as espeak-ng says it (ʔa), a stem's with its kasra (اِنْتَهَى, ʔintahaː), or its damma
  before a passive's (اُسْتُخْدِمَ), where espeak-ng would say a;
- a bare alif before a doubled consonant that is not form VIII's ت (اكَّدَ) is a hamza
  left out: أَكَّدَ (انَّ has had its hamza chosen by the grammar before: `diacritize`);
- after a prefix (بِالعاصمة، وَاستمر) the alif is the same connecting one
  (`write_wasla`, which `spelling.connecting_alif` uses); the article's lam before a
  moon letter takes its sukun, which espeak-ng needs after ٱ (ٱلوَقْت is luːaqt,
  ٱلْوَقْت lwaqt);
- a bare alif the diacritizer gave a vowel is a hamza the writer left out (اَكْثَرَ،
  اِلَى، اُسْرَةٍ، الْاَسْمَاكِ), where a connecting alif is left bare: it is written أ or
  إ, so that espeak-ng says its ʔ instead of a vowel.
"""

from __future__ import annotations

import re

from nashra.text.letters import (
    ALEF,
    ALEF_MAQSURA,
    ALEF_WASLA,
    DAGGER_ALEF,
    DAMMA,
    DAMMATAN,
    FATHA,
    FATHATAN,
    HAMZA_ABOVE_ALEF,
    HAMZA_BELOW_ALEF,
    HARAKAT,
    HARAKAT_RE,
    KASRA,
    KASRATAN,
    LETTERS,
    SHADDA,
    SUKUN,
    Marked,
    joined,
    marked_letters,
)

SUN_LETTERS = "تثدذرزسشصضطظلن"
PREFIX_LETTERS = "وفبكل"

_WORD_SPLIT_RE = re.compile(f"([{LETTERS}{HARAKAT}]+)")
_SHORT = (FATHA, DAMMA, KASRA)
# Form VIII's ت after the first root letter, as ط after an emphatic, as د after د ذ ز.
_INFIXES = {("ط", first) for first in "صضطظ"} | {("د", first) for first in "دذز"}
# A long vowel letter after its short vowel: dropped where a connecting alif follows.
_LONG_AFTER = {ALEF: FATHA, ALEF_MAQSURA: FATHA, "و": DAMMA, "ي": KASRA}

# A bare alif after an optional prefix (وَ، فَ، لِ، كَ) before a doubled consonant that is
# not form VIII's assimilated ت (ت، ط، د) or the article's lam.
_DOUBLED_AFTER_ALIF_RE = re.compile(
    f"^((?:[وفلك][{FATHA}{KASRA}]?)?){ALEF}(?=[\u0628-\u064a](?<![تطدل]){SHADDA})"
)
Letters = Marked
"""A word as (letter, its marks) pairs."""


def omitted_hamza(text: str) -> str:
    """A bare alif with a vowel, at a word's start, after a prefix or after the article,
    written as the hamza it is: اَكْثَرَ → أَكْثَرَ, اِلَى → إِلَى, وَاِقَامَة → وَإِقَامَة,
    الْاَسْمَاكِ → الْأَسْمَاكِ. The article's own alif is left (اَلْفِئَةِ after هَذِهِ)."""
    parts = _WORD_SPLIT_RE.split(text)
    parts[1::2] = [_hamza(word) for word in parts[1::2]]
    return "".join(parts)


def doubled_after_alif(text: str) -> str:
    """A word-initial bare alif before a doubled consonant written as the hamza it is.

    Only form VIII's assimilated ت (اتّصل، اطّلع، ادّعى) and the article (الّذي) start
    with a connecting alif before a doubled letter; any other such alif is a hamza the
    writer left out, which espeak-ng says as a long ā (اكَّدَ → aːkkada): it is written
    أَ (أكّد، أسّس، أمّا), or after لِ and كَ the same. The particle انّ is given its hamza
    before, where the grammar chooses between إنّ and أنّ (`diacritize.bare_anna`).
    """
    parts = _WORD_SPLIT_RE.split(text)
    for index in range(1, len(parts), 2):
        match = _DOUBLED_AFTER_ALIF_RE.match(parts[index])
        if match is None:
            continue
        prefix = match[1]
        bare_prefix = HARAKAT_RE.sub("", prefix)
        if bare_prefix in ("ل", "ك"):
            prefix = bare_prefix + (KASRA if bare_prefix == "ل" else FATHA)
        rest = parts[index][match.end(1) + 1 :]
        parts[index] = prefix + HAMZA_ABOVE_ALEF + FATHA + rest
    return "".join(parts)


def connected_speech(text: str) -> str:
    """Each connecting alif after a word of `text` that ends in a vowel (or a silent
    consonant, given its helping vowel) written ٱ, the long vowel before it shortened:
    فِي الْبَيْتِ → فِ ٱلْبَيْتِ, عَلَى الشَمْسِ → عَلَ ٱشَّمْسِ, مِنْ الْ → مِنَ ٱلْ."""
    parts = _WORD_SPLIT_RE.split(text)
    for index in range(3, len(parts), 2):
        if not parts[index - 1].isspace():  # punctuation or anything else: a pause, or not Arabic
            continue
        letters = marked_letters(parts[index])
        article = _starts_article(letters)
        if not article and not is_connecting(letters, 0):
            continue
        before = _joining(parts[index - 2], article=article)
        if before is None:
            continue
        letters[0] = (ALEF, "")
        write_wasla(letters, 0)
        parts[index - 2], parts[index] = before, joined(letters)
    return "".join(parts)


def after_pause(text: str) -> str:
    """A stem's connecting alif after a pause written with the vowel it is said with there:
    إِ (اِنْتَهَى is ʔintahaː, اِسْتِقْبَال, اِبْن), or أُ before a damma (the passive
    اُسْتُخْدِمَ). espeak-ng says a bare one as a (antahaː). The article keeps its own a."""
    parts = _WORD_SPLIT_RE.split(text)
    for index in range(1, len(parts), 2):
        if index > 1 and parts[index - 1].isspace():
            continue  # joined to the word before, or left after a tanween
        letters = marked_letters(parts[index])
        if not is_connecting(letters, 0):
            continue
        letters[0] = (HAMZA_ABOVE_ALEF, DAMMA) if _passive(letters) else (HAMZA_BELOW_ALEF, KASRA)
        parts[index] = joined(letters)
    return "".join(parts)


def _passive(letters: Letters) -> bool:
    """A derived verb's past passive: a damma on form VIII's ت (اُنْتُخِبَ، اُسْتُخْدِمَ), or on
    its doubled letter (اُدُّعِيَ), with at least two letters after it (not a case ending)."""
    if letters[1][1].startswith(SHADDA):
        return DAMMA in letters[1][1] and len(letters) >= 4
    return letters[2][0] in "تطد" and DAMMA in letters[2][1] and len(letters) >= 5


def write_wasla(letters: Letters, alef: int) -> None:
    """The bare alif at `alef` written ٱ when it is a connecting one: the article (before a
    sun letter its lam becomes the letter's shadda: ٱشّمس), or a stem's (`is_connecting`)."""
    if is_article(letters, alef):
        letters[alef] = (ALEF_WASLA, "")
        sun = letters[alef + 2]
        if sun[0] in SUN_LETTERS and not letters[alef + 1][1].startswith(SHADDA):
            del letters[alef + 1]
            letters[alef + 1] = (sun[0], SHADDA + sun[1].replace(SHADDA, ""))
        elif letters[alef + 1] == ("ل", ""):
            # The lam before a moon letter, which the diacritizer may leave bare: after ٱ,
            # espeak-ng then reads a و or ي after it as a vowel (ٱلوَقْت luːaqt).
            letters[alef + 1] = ("ل", SUKUN)
    elif is_connecting(letters, alef):
        letters[alef] = (ALEF_WASLA, "")


def is_article(letters: Letters, alef: int) -> bool:
    """ال at `alef`: its lam silent (no mark, sukun), doubled (الَّذي), or with the helping
    kasra before ا."""
    if alef + 2 >= len(letters) or letters[alef + 1][0] != "ل":
        return False
    lam_marks = letters[alef + 1][1]
    if lam_marks.startswith(SHADDA):  # الَّذي, الَّتي: one lam written for two
        return True
    if lam_marks == SUKUN:  # والْاسيوية: the article before a word whose hamza is unwritten
        # but الْتَزَمَ, الْتَحَقَ: form VIII of a root with ل, whose lam is said (the
        # diacritizer leaves the article's lam bare before a sun letter)
        return not (letters[alef + 2][0] == "ت" and letters[alef + 2][1][:1] in _SHORT)
    if lam_marks == "":
        return letters[alef + 2][0] != ALEF
    return lam_marks == KASRA and letters[alef + 2][0] == ALEF


def is_connecting(letters: Letters, alef: int) -> bool:
    """A bare alif that starts a stem with a connecting alif: form VII and X verbs and
    their nouns (انْتظار, اسْتمر), form VIII (افْتتح, اصْطدم, ازْداد, اتّجاه, اطّلاع), and
    ابن, اسم, اثنان, امرأة. A foreign word (واتْساب) keeps its long ā, and so does a plural
    أفعال whose hamza is unwritten (ابْنَاء، اسْمَاء، انْبَاء، ابْطَال)."""
    if alef + 2 >= len(letters) or letters[alef] != (ALEF, ""):
        return False
    consonant, marks = letters[alef + 1]
    following = letters[alef + 2][0]
    if marks.startswith(SHADDA):
        return consonant in "تطد"
    if marks != SUKUN:
        return False
    if following == "ت" or (following, consonant) in _INFIXES:
        return True
    if consonant + following == "ثن":
        return True
    plural = (
        alef + 3 < len(letters)
        and letters[alef + 2][1].endswith(FATHA)
        and letters[alef + 3][0] == ALEF
    )
    return not plural and (consonant in "نس" or consonant + following in ("بن", "سم", "مر"))


def _starts_article(letters: Letters) -> bool:
    """The word is ال and at least two letters (الَّا is إلّا), its alif bare or vowelled
    (the diacritizer's اَلْفِئَةِ after هَذِهِ)."""
    return letters[0][0] == ALEF and len(letters) >= 4 and is_article(letters, 0)


def _joining(word: str, *, article: bool) -> str | None:
    """`word` as said before a connecting alif, or None where it is left as it is (a
    tanween, a bare last consonant or shadda)."""
    letters = marked_letters(word)
    if letters[-1][0] == ALEF and len(letters) > 2 and letters[-2][0] == "و":
        if letters[-2][1] == SUKUN:
            return joined([*letters[:-2], ("و", DAMMA)])  # رَأَوْا: the plural's و takes a damma
        letters = letters[:-1]  # قَالُوا: the plural's alif is not said
    last, marks = letters[-1]
    vowel_before = letters[-2][1][-1:] if len(letters) > 1 else ""
    if vowel_before in (FATHATAN, DAMMATAN, KASRATAN):
        return None  # كِتَابًا، مُسْتَشْفًى
    if last in _LONG_AFTER and marks in ("", SUKUN, DAGGER_ALEF):
        if vowel_before == _LONG_AFTER[last]:
            return joined(letters[:-1])
        if marks != SUKUN or last in (ALEF, ALEF_MAQSURA):
            return word  # a long vowel after an unvowelled letter: kept
    elif marks[-1:] in _SHORT:
        return word
    if not marks.endswith(SUKUN):
        return None
    if article and joined(letters) == "مِن" + SUKUN:
        helping = FATHA  # مِنَ الْ
    elif last == "م" and len(letters) > 1 and letters[-2][0] in "هكت" and vowel_before in _SHORT:
        helping = DAMMA  # هُمُ الْ، عَلَيْهِمُ الْ، أَنْتُمُ الْ
    else:
        helping = KASRA  # هَلِ الْ، أَوِ الْ، قَدِ انْتَهَى
    return joined([*letters[:-1], (last, marks[:-1] + helping)])


def _hamza(word: str) -> str:
    letters = marked_letters(word)
    at = 0
    while at + 1 < len(letters) and letters[at][0] in PREFIX_LETTERS and letters[at][1] in _SHORT:
        at += 1
    silent_lam = (("ل", ""), ("ل", SUKUN))
    if at + 2 < len(letters) and letters[at] == (ALEF, "") and letters[at + 1] in silent_lam:
        at += 2  # past the article: الْاَسْمَاكِ
    elif at > 0 and letters[at - 1] == ("ل", KASRA) and letters[at] in silent_lam:
        at += 1  # past لِلْ
    if at >= len(letters) or letters[at][0] != ALEF:
        return word
    vowels = [mark for mark in letters[at][1] if mark in _SHORT]
    if not vowels or (len(letters) - at >= 4 and is_article(letters, at)):
        return word
    letters[at] = (HAMZA_BELOW_ALEF if vowels[0] == KASRA else HAMZA_ABOVE_ALEF, vowels[0])
    return joined(letters)
