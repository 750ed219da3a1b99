"""Azure's requests: a script's paragraphs as SSML, every article word escaped.

Azure bills by the character and limits requests a minute (twenty on a free
resource), so a request holds more than one utterance: the utterances of one
paragraph are joined, each pause of the script kept inside as
`<break time="350ms"/>`, up to `max_chars` characters of speech. A request
never crosses a long pause (a paragraph's or a section's) or a chapter start,
so an edited sentence is asked for again with its paragraph only, and chapters
begin on a clip. Each request's written text goes with it for the transcript.

A request (`Utterance.speech` of `plan`) is the inside of the `<voice>`
element: escaped text and breaks. `document` wraps it in the voice, the style
and the rate. Article text is hostile input: `&`, `<` and `>` (so `]]>`) are
escaped, and characters XML cannot hold at all (controls, lone surrogates) are
said as a space; `checked` refuses anything else before a request is sent.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from nashra.core.model import Script, Utterance

VERSION = 1
"""Part of the voice id: raise it when requests change how Azure reads them."""
LONG_PAUSE_MS = 700
"""A pause at least this long (a paragraph's, a section's) ends a request."""
MAX_BREAK_MS = 5000
"""The longest `<break>` asked for; a longer pause is joined between clips instead."""
MSTTS = "https://www.w3.org/2001/mstts"

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BREAK = "break"


def escaped(text: str) -> str:
    """`text` as SSML character data: said exactly as written, never read as markup."""
    return escape(_NOT_XML.sub(" ", text))


def pause(ms: int) -> str:
    return f'<break time="{ms}ms"/>'


def requests(script: Script, max_chars: int) -> Script:
    """`script` as Azure's requests: each paragraph's utterances joined, their pauses
    inside, while the speech stays within `max_chars` characters."""
    runs: list[list[Utterance]] = []
    size = 0
    for utterance in script.utterances:
        if (
            runs
            and _joins(runs[-1][-1], utterance)
            and size + 1 + len(utterance.speech) <= max_chars
        ):
            runs[-1].append(utterance)
            size += 1 + len(utterance.speech)
            continue
        runs.append([utterance])
        size = len(utterance.speech)
    return Script(utterances=tuple(_request(run) for run in runs), chapters=script.chapters)


def _joins(before: Utterance, after: Utterance) -> bool:
    return (before.chapter, before.section) == (after.chapter, after.section) and (
        before.pause_after_ms < LONG_PAUSE_MS
    )


def _request(run: Sequence[Utterance]) -> Utterance:
    parts = [escaped(run[0].speech)]
    for before, utterance in itertools.pairwise(run):
        if before.pause_after_ms > 0:
            parts.append(pause(min(before.pause_after_ms, MAX_BREAK_MS)))
        parts.append(escaped(utterance.speech))
    return Utterance(
        speech=" ".join(parts),
        written=" ".join(u.written for u in run if u.written),
        pause_after_ms=run[-1].pause_after_ms,
        chapter=run[0].chapter,
        section=run[0].section,
    )


def checked(request: str) -> str:
    """`request` when it is what `requests` makes (text and breaks, well-formed), else
    `ValueError`: nothing else is ever sent inside the voice."""
    try:
        element = ET.fromstring(f"<r>{request}</r>")
    except ET.ParseError as exc:
        raise ValueError(f"not well-formed XML ({exc})") from None
    for child in element:
        if child.tag != _BREAK or set(child.attrib) != {"time"} or len(child):
            raise ValueError(f"holds a <{child.tag}> element")
        if not re.fullmatch(r"\d{1,5}ms", child.attrib["time"]):
            raise ValueError("holds a break of no time")
    if not any(char.isalnum() for char in "".join(element.itertext())):
        raise ValueError("says nothing (no letter or digit)")
    return request


def inside_voice(request: str, *, style: str, rate: float) -> str:
    """What the `<voice>` element of `request`'s document holds: the request, in the
    style and at the rate asked for. Azure bills these characters: the text and every
    element that adjusts how it is said, but not `<speak>` and `<voice>` themselves."""
    inner = request
    if rate != 1.0:
        inner = f'<prosody rate="{rate:g}">{inner}</prosody>'
    if style:
        inner = f"<mstts:express-as style={quoteattr(style)}>{inner}</mstts:express-as>"
    return inner


def document(request: str, *, voice: str, style: str, rate: float) -> str:
    """The SSML document Azure is sent for `request`, said by `voice`."""
    inner = inside_voice(request, style=style, rate=rate)
    return (
        '<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" '
        f'xmlns:mstts="{MSTTS}" xml:lang={quoteattr(locale(voice))}>'
        f"<voice name={quoteattr(voice)}>{inner}</voice></speak>"
    )


def locale(voice: str) -> str:
    """The locale a voice's name starts with: `ar-EG` for `ar-EG-SalmaNeural`."""
    return "-".join(voice.split("-")[:2])
