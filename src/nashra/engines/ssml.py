"""SSML requests shared by the engines that take SSML (Azure, Google Cloud): the one owner of
escaping article text, packing a paragraph's utterances into a request, and checking a
request before it is sent.

Online engines bill by the character and limit requests a minute, so a request holds more
than one utterance: the utterances of one paragraph are joined, each pause of the script
kept inside as `<break time="350ms"/>`, while the request stays within the engine's size
limit. A request never crosses a long pause (a paragraph's or a section's) or a chapter
start, so an edited sentence is asked for again with its paragraph only, and chapters begin
on a clip. Each request's written text goes with it for the transcript.

A request (`Utterance.speech` of `requests`) is escaped text and breaks, and the project
lexicon's words as `<sub alias="spoken">written</sub>` (`said`): the editor's fix is heard,
and the request holds what was written. Each engine wraps it in its own document. Article
text is hostile input: `&`, `<` and `>` (so `]]>`) are escaped, and characters XML cannot
hold at all (controls, lone surrogates) are said as a space; `checked` refuses anything
else before a request is sent.

May import: `core`.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape, quoteattr, unescape

from nashra.core.model import Script, Utterance

LONG_PAUSE_MS = 700
"""A pause at least this long (a paragraph's, a section's) ends a request."""
MAX_BREAK_MS = 5000
"""The longest `<break>` asked for; a longer pause is joined between clips instead."""

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BREAK = "break"
_SUB = "sub"

Size = Callable[[Sequence[Utterance]], int]
"""How big the request made of a run of utterances is, in the unit of the engine's limit."""


def voice_locale(voice: str) -> str:
    """The locale a cloud voice's name starts with: `ar-EG` for `ar-EG-SalmaNeural`,
    `ar-XA` for `ar-XA-Wavenet-B` (Azure's, Edge's and Google's voices are named so)."""
    return "-".join(voice.split("-")[:2])


def escaped(text: str) -> str:
    """`text` as SSML character data: said exactly as written, never read as markup."""
    return escape(_NOT_XML.sub(" ", text))


def said(utterance: Utterance) -> str:
    """An utterance's speech as SSML: escaped, and each of the project lexicon's
    replacements (`Utterance.aliases`) as `<sub alias="spoken">written</sub>`, so the
    editor's spoken form is what is heard and the written word what the request holds."""
    speech = utterance.speech
    parts: list[str] = []
    at = 0
    for written, spoken in utterance.aliases:
        found = speech.find(spoken, at) if spoken else -1
        if found < 0:
            continue
        parts += [escaped(speech[at:found]), sub(written, spoken)]
        at = found + len(spoken)
    parts.append(escaped(speech[at:]))
    return "".join(parts)


def sub(written: str, spoken: str) -> str:
    """`written` said as `spoken`: both escaped, the alias as an attribute (quotes too)."""
    return f"<{_SUB} alias={quoteattr(_NOT_XML.sub(' ', spoken))}>{escaped(written)}</{_SUB}>"


def pause(ms: int) -> str:
    return f'<break time="{ms}ms"/>'


def speech_chars(run: Sequence[Utterance]) -> int:
    """Characters of speech in a run, a space between utterances (markup not counted)."""
    return sum(len(u.speech) for u in run) + len(run) - 1


def request_bytes(run: Sequence[Utterance]) -> int:
    """UTF-8 bytes of the request a run makes, escapes and breaks included."""
    return len(request(run).speech.encode("utf-8"))


def requests(script: Script, limit: int, size: Size = speech_chars) -> Script:
    """`script` as SSML requests: each paragraph's utterances joined, their pauses inside,
    while `size` of the request stays within `limit` (an utterance bigger than `limit`
    alone is a request of its own)."""
    runs: list[list[Utterance]] = []
    for utterance in script.utterances:
        if runs and _joins(runs[-1][-1], utterance) and size([*runs[-1], utterance]) <= limit:
            runs[-1].append(utterance)
            continue
        runs.append([utterance])
    return Script(utterances=tuple(request(run) for run in runs), chapters=script.chapters)


def _joins(before: Utterance, after: Utterance) -> bool:
    return (before.chapter, before.section) == (after.chapter, after.section) and (
        before.pause_after_ms < LONG_PAUSE_MS
    )


def request(run: Sequence[Utterance]) -> Utterance:
    """One request: the run's speech escaped, its pauses as breaks between."""
    parts = [said(run[0])]
    for before, utterance in itertools.pairwise(run):
        if before.pause_after_ms > 0:
            parts.append(pause(min(before.pause_after_ms, MAX_BREAK_MS)))
        parts.append(said(utterance))
    return Utterance(
        speech=" ".join(parts),
        written=" ".join(u.written for u in run if u.written),
        pause_after_ms=run[-1].pause_after_ms,
        chapter=run[0].chapter,
        section=run[0].section,
    )


def checked(request: str) -> str:
    """`request` when it is what `requests` makes (text and breaks, well-formed), else
    `ValueError`: nothing else is ever sent."""
    element = _parsed(request)
    for child in element:
        if _is_sub(child):
            continue
        if child.tag != _BREAK or set(child.attrib) != {"time"} or len(child):
            raise ValueError(f"holds a <{child.tag}> element")
        if not re.fullmatch(r"\d{1,5}ms", child.attrib["time"]):
            raise ValueError("holds a break of no time")
    if not any(char.isalnum() for char in "".join(element.itertext())):
        raise ValueError("says nothing (no letter or digit)")
    return request


def plain(request: str) -> str:
    """What a checked request says, as plain text: its breaks dropped, its escapes undone
    (for voices that take no SSML)."""
    text = " ".join(part.strip() for part in _spoken_text(_parsed(request)))
    return re.sub(r"\s+", " ", text).strip()


def _is_sub(child: ET.Element) -> bool:
    """Whether `child` is a `sub` as `sub` makes it: an alias that says something, over
    text alone."""
    return (
        child.tag == _SUB
        and set(child.attrib) == {"alias"}
        and not len(child)
        and any(char.isalnum() for char in child.attrib["alias"])
    )


def _spoken_text(element: ET.Element) -> list[str]:
    """The text a request says, in order: each `sub`'s alias in place of its text."""
    spoken = [element.text or ""]
    for child in element:
        spoken.append(child.attrib["alias"] if child.tag == _SUB else "")
        spoken.append(child.tail or "")
    return spoken


def _parsed(request: str) -> ET.Element:
    try:
        return ET.fromstring(f"<r>{request}</r>")
    except ET.ParseError as exc:
        raise ValueError(f"not well-formed XML ({exc})") from None


_PIECES = re.compile(r"<[^>]*>|[^<]+")
_WORD = re.compile(r"\S+")


def with_marks(request: str) -> tuple[str, tuple[str, ...]]:
    """`request` with `<mark name="wN"/>` before each word it says (N counting from 0),
    for engines that report when each mark is reached; and the words, unescaped. A word
    is a run of text between spaces with a letter or digit in it; an element in the
    request (a `<sub>` of the lexicon, say) is one word, its mark before it."""
    words: list[str] = []
    out: list[str] = []
    depth = 0
    inside: list[str] = []

    def mark() -> str:
        return f'<mark name="w{len(words)}"/>'

    for piece in _PIECES.findall(request):
        if piece.startswith("<"):
            closing, empty = piece.startswith("</"), piece.endswith("/>")
            if depth == 0 and not closing and not empty:
                out.append(mark())
                inside = []
            out.append(piece)
            depth += -1 if closing else 0 if empty else 1
            if depth == 0 and closing:
                words.append(unescape(" ".join("".join(inside).split())) or "…")
            continue
        if depth:
            inside.append(piece)
            out.append(piece)
            continue

        def marked(word: re.Match[str]) -> str:
            if not any(char.isalnum() for char in unescape(word.group())):
                return word.group()
            said = mark() + word.group()
            words.append(unescape(word.group()))
            return said

        out.append(_WORD.sub(marked, piece))
    return "".join(out), tuple(words)
