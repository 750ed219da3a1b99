"""A cached clip's word timings: a small JSON companion next to the clip's audio.

`<key>.words.json` holds `{"version": 1, "words": [[start, end, text], ...]}`, the
times in seconds from the clip's start, as the engine reported them. It is written
before the clip (so a clip is never found without the words it was made with) and
read as hostile input: anything that is not a short list of ordered, finite,
non-negative times with short texts is refused (`ValueError`), and the clip is
voiced again. A clip cached before word timings, or by an engine that reports
none, has no companion and no words.
"""

from __future__ import annotations

import json
import math

from nashra.core.model import WordTime

SUFFIX = ".words.json"
VERSION = 1
MAX_WORDS = 5000
"""More words than any clip holds (a request is a few thousand characters at most)."""
MAX_SECONDS = 6 * 3600.0
MAX_TEXT = 200
"""Characters of one word."""
MAX_BYTES = 1 << 20


def encode(words: tuple[WordTime, ...]) -> bytes:
    data = {"version": VERSION, "words": [[w.start, w.end, w.text] for w in words]}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode(data: bytes) -> tuple[WordTime, ...]:
    """The words of a companion file; ValueError says what is wrong with it."""
    if len(data) > MAX_BYTES:
        raise ValueError(f"it holds {len(data)} bytes, more than a clip's words take")
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"it is not JSON ({exc})") from exc
    if not isinstance(parsed, dict) or parsed.get("version") != VERSION:
        raise ValueError("it is not a word timings file of version 1")
    rows = parsed.get("words")
    if not isinstance(rows, list) or len(rows) > MAX_WORDS:
        raise ValueError("its `words` is not a list of at most 5000 words")
    words: list[WordTime] = []
    previous = 0.0
    for number, row in enumerate(rows, 1):
        if not (isinstance(row, list) and len(row) == 3):
            raise ValueError(f"word {number} is not [start, end, text]")
        start, end, text = row
        if not all(
            isinstance(t, int | float) and not isinstance(t, bool) and math.isfinite(t)
            for t in (start, end)
        ):
            raise ValueError(f"word {number} has a time that is not a number")
        if not 0 <= previous <= start <= end <= MAX_SECONDS:
            raise ValueError(f"word {number}'s times are out of order or out of range")
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
            raise ValueError(f"word {number}'s text is not a word")
        words.append(WordTime(float(start), float(end), text))
        previous = float(start)
    return tuple(words)
