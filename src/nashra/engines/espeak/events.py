"""When libespeak-ng says each word: its word events, read in the synthesis callback.

With every block of audio the library hands the callback a list of events
(`espeak_EVENT`, speak_lib.h), ended by one of type `espeakEVENT_LIST_TERMINATED`.
A word event gives the word's place in the request (`text_position`, counted in
characters from 1, markup included; an escaped character is placed at the last
character of its reference) and where its sound starts (`audio_position`, in
milliseconds from the start of the request's audio). A number read as several
words has several events in one written token, and a token espeak-ng does not
pronounce (a tag, a lone mark) has none. So the request's tokens (runs of text
between spaces and tags) are timed by their first event, and each ends where the
next event, of a word or of the end of a clause, starts.

The `espeak-ng` program reports no events: its clips have no word timings.
"""

from __future__ import annotations

import ctypes
import html
import re
from bisect import bisect_right
from collections.abc import Sequence

from nashra.core.model import WordTime

LIST_TERMINATED = 0
WORD = 1
SENTENCE = 2
END = 5
"""The end of a sentence or clause."""
MSG_TERMINATED = 6

_TOKENS = re.compile(r"<[^>]*>|[^\s<]+")


class Event(ctypes.Structure):
    """speak_lib.h's espeak_EVENT."""

    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", ctypes.c_void_p),
    ]


Mark = tuple[int, int, int]
"""(type, text_position, audio_position) of one event."""


def read(events: int | None, into: list[Mark], *, limit: int = 100_000) -> None:
    """Append the events of one callback (the address of its list) to `into`."""
    if not events or ctypes.c_int.from_address(events).value == LIST_TERMINATED:
        return  # most blocks of audio carry no event: the cheap answer first
    listed = ctypes.cast(events, ctypes.POINTER(Event))
    for index in range(limit):
        event = listed[index]
        if event.type == LIST_TERMINATED:
            return
        if event.type in (WORD, END, MSG_TERMINATED):
            into.append((event.type, event.text_position, event.audio_position))


def word_times(text: str, marks: Sequence[Mark], duration: float) -> tuple[WordTime, ...]:
    """The words of the request `text` (its tokens, character references read) with
    the times its word events give them; a clip `duration` seconds long."""
    spans = [(m.start(), m.end(), m.group()) for m in _TOKENS.finditer(text)]
    starts = [start for start, _, _ in spans]
    first: dict[int, int] = {}  # token index → the ms its first word event gives
    for kind, position, ms in marks:
        if kind != WORD or position < 1:
            continue
        index = bisect_right(starts, position - 1) - 1
        if index >= 0 and position - 1 < spans[index][1] and not spans[index][2].startswith("<"):
            first.setdefault(index, ms)
    # A word ends where the next token's first word, or the clause, starts.
    times = sorted({*first.values(), *(ms for kind, _, ms in marks if kind != WORD)})
    words: list[WordTime] = []
    previous = 0.0
    for index in sorted(first):
        start = max(previous, min(first[index] / 1000, duration))
        after = bisect_right(times, first[index])
        end = min(times[after] / 1000 if after < len(times) else duration, duration)
        said = html.unescape(spans[index][2])
        if said.strip():
            words.append(WordTime(round(start, 3), round(max(start, end), 3), said))
            previous = start
    return tuple(words)
