"""The pause form (الوقف) of the word before each pause, in vowelled text.

Arabic never ends an utterance on a short vowel: before a pause the last word
drops its case vowel or tanween (الجديدةِ is read …dah, كتابٌ kitaab), a
tanween of fatha becomes a long ā (عامًا is read ʕaamaa), and ة is read h.
espeak-ng reads exactly what it is given, so the pause forms are written
out: sukun for the dropped vowel, fatha then ا for the ā, هْ for ة.

A pause is the end of the text (each chunk is spoken on its own) and every
mark at which espeak-ng pauses: . ، , ؛ ; : ؟ ? ! …
"""

from __future__ import annotations

import re

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
    SUKUN,
    TA_MARBUTA,
)

HA = "\u0647"
_MARKS = HARAKAT
_CASE_VOWELS = FATHA + DAMMA + KASRA + FATHATAN + DAMMATAN + KASRATAN
# Letters that end a word on a long vowel or carry no vowel of their own.
_LONG = ALEF + ALEF_MAQSURA + ALEF_MADDA + ALEF_WASLA

PAUSE_MARKS = ".،,؛;:؟?!…"
# A mark between two digits is a decimal point or a time (3.5, 10:30), not a pause.
_PAUSE_RE = re.compile(rf"[{re.escape(PAUSE_MARKS)}](?!\d)")
# The last Arabic word of a stretch, and what follows it up to the pause:
# closing quotes, brackets and spaces, but no letter or digit.
_LAST_WORD_RE = re.compile(rf"([{LETTERS}{_MARKS}]+)([^\w]*)$")


def pause_form(word: str) -> str:
    """One vowelled Arabic word as it is read before a pause.

    A bare last consonant gets a sukun; a bare و or ي is a long vowel and stays.
    """
    letters = _split(word)
    if not letters:
        return word
    last, marks = letters[-1]
    if last == TA_MARBUTA:
        letters[-1] = (HA, SUKUN)
    elif last in (ALEF, ALEF_MAQSURA) and len(letters) > 1 and FATHATAN in marks + letters[-2][1]:
        # عامًا / عاماً → عامَا, مستشفًى → مستشفَى: the tanween of fatha becomes
        # the long ā of the alif after it.
        before, before_marks = letters[-2]
        letters[-2] = (before, _without(before_marks, _CASE_VOWELS) + FATHA)
        letters[-1] = (last, "")
    elif FATHATAN in marks:
        # سماءً, with no alif after the hamza: the ā is said all the same.
        letters[-1] = (last, _without(marks, _CASE_VOWELS) + FATHA)
        letters.append((ALEF, ""))
    elif last not in _LONG and any(mark in marks for mark in _CASE_VOWELS):
        letters[-1] = (last, _without(marks, _CASE_VOWELS) + SUKUN)
    elif not marks and last not in _LONG + "وي" and len(letters) > 1:
        # A bare last consonant (a name the diacritizer left alone): espeak-ng
        # would add a vowel to it (أوبك → ʔuːbika).
        letters[-1] = (last, SUKUN)
    return "".join(char + marks for char, marks in letters)


def pause_forms(text: str) -> str:
    """`text` with the Arabic word before every pause in its pause form.

    The last word of `text` is always put in pause form: a chunk ends on a
    pause. Words followed by a digit or a Latin word before the pause are
    left alone, since no Arabic word is the one paused on.
    """
    pieces: list[str] = []
    start = 0
    for match in _PAUSE_RE.finditer(text):
        pieces.append(_pause_last_word(text[start : match.start()]) + match.group())
        start = match.end()
    pieces.append(_pause_last_word(text[start:]))
    return "".join(pieces)


def _pause_last_word(stretch: str) -> str:
    match = _LAST_WORD_RE.search(stretch)
    if match is None:
        return stretch
    return stretch[: match.start()] + pause_form(match.group(1)) + match.group(2)


def _split(word: str) -> list[tuple[str, str]]:
    """`word` as (letter, the marks on it) pairs; marks before any letter are dropped."""
    letters: list[tuple[str, str]] = []
    for char in word:
        if re.match(f"[{_MARKS}]", char):
            if letters:
                letters[-1] = (letters[-1][0], letters[-1][1] + char)
        else:
            letters.append((char, ""))
    return letters


def _without(marks: str, drop: str) -> str:
    return "".join(mark for mark in marks if mark not in drop and mark != SUKUN)
