"""When each word of a Google Cloud request is said: its SSML marks' timepoints.

Each word of a request goes to Google with `<mark name="wN"/>` before it
(`nashra.engines.ssml.with_marks`), and v1beta1 answers with the second each mark is
reached. A word starts at its mark and ends at the next one's; the last word's end is
not reported, so it is given the request's pace (seconds a letter, from the words before
it). The answer is Google's, so it is checked as any answer: a mark nashra did not send,
a time that is not a finite number of seconds from 0 to an hour, or marks whose times go
back, and the request has no word timings (its audio is kept).
"""

from __future__ import annotations

import itertools
import logging
import math
import re
from collections.abc import Sequence

from nashra.core.model import WordTime

log = logging.getLogger(__name__)

_NAME = re.compile(r"w(\d{1,5})")
MAX_SECONDS = 3600.0
LONE_WORD_SECONDS = 0.08
"""Seconds a letter, for the last word of a request with no word before it."""


def word_times(words: Sequence[str], points: Sequence[tuple[str, float]]) -> tuple[WordTime, ...]:
    """The request's `words` (marks `w0`, `w1`, … in order) timed by Google's `points`."""
    at: dict[int, float] = {}
    for name, seconds in points:
        found = _NAME.fullmatch(name)
        if not found or int(found.group(1)) >= len(words):
            log.warning("Google Cloud reported a mark nashra did not send: %.40r", name)
            return ()
        if not (math.isfinite(seconds) and 0 <= seconds <= MAX_SECONDS):
            log.warning("Google Cloud reported a time of %r s for a mark", seconds)
            return ()
        at[int(found.group(1))] = seconds
    timed = sorted(at)
    if any(at[a] > at[b] for a, b in itertools.pairwise(timed)):
        log.warning("Google Cloud reported marks whose times go back")
        return ()
    out: list[WordTime] = []
    for index, (number, next_number) in enumerate(zip(timed, [*timed[1:], None], strict=True)):
        start = at[number]
        if next_number is not None:
            end = at[next_number]
        else:
            letters = sum(len(words[n]) for n in timed[:index]) or 1
            pace = (start - at[timed[0]]) / letters if index else LONE_WORD_SECONDS
            end = start + pace * len(words[number])
        out.append(WordTime(round(start, 3), round(end, 3), words[number]))
    return tuple(out)
