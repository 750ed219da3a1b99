"""An episode's companion files: JSON chapters, and WebVTT, SRT and JSON transcripts.

The article's text is the script, so the transcript is exact: one cue per speech
chunk, showing the written text (not the text prepared for the engine), timed by
where the assembler put each clip. Chapters are the intro and each titled
section, starting where their first chunk starts. When the engine said when each
word is said, the Podcasting 2.0 JSON transcript has a segment per word.

Everything here is pure: plain records in, the same bytes out for the same records.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence

from nashra.core.model import Chapter, Cue, Script, WordTime
from nashra.readers.sanitize import plain_text
from nashra.render import word_times
from nashra.render.media_types import media_type

CHAPTERS_VERSION = "1.2.0"
VTT_TYPE = media_type(".vtt")
SRT_TYPE = media_type(".srt")
JSON_TYPE = media_type(".json")
TRANSCRIPT_VERSION = "1.0.0"
LINE_WIDTH = 65
"""Characters per transcript line, as the Podcasting 2.0 transcript guidance asks."""


def chapters_for(script: Script, starts: Sequence[float]) -> tuple[Chapter, ...]:
    """One chapter per chapter title that has speech, starting at its first utterance.

    The first chapter starts at 0 so the lead-in silence belongs to it.
    """
    chapters: list[Chapter] = []
    seen: set[int] = set()
    for start, utterance in zip(starts, script.utterances, strict=True):
        if utterance.chapter in seen:
            continue
        seen.add(utterance.chapter)
        begin = 0.0 if not chapters else round(start, 3)
        chapters.append(Chapter(begin, script.chapters[utterance.chapter]))
    return tuple(chapters)


def cues_for(
    script: Script,
    starts: Sequence[float],
    ends: Sequence[float],
    words: Sequence[Sequence[WordTime]] = (),
) -> tuple[Cue, ...]:
    """One cue per utterance with its written text, timed from the assembled clips;
    with `words` (each clip's word timings, from its start), each written word timed."""
    said = words or [()] * len(starts)
    return tuple(
        Cue(
            round(start, 3),
            round(end, 3),
            " ".join(u.written.split()),
            word_times.placed(word_times.written_words(u.written, spoken), start, end),
        )
        for u, start, end, spoken in zip(script.utterances, starts, ends, said, strict=True)
        if u.written.strip()
    )


def chapters_json(chapters: Sequence[Chapter], *, title: str | None = None) -> bytes:
    """A Podcasting 2.0 JSON chapters file (`application/json+chapters`)."""
    data: dict[str, object] = {"version": CHAPTERS_VERSION}
    if title:
        data["title"] = title
    data["chapters"] = [{"startTime": c.start, "title": c.title} for c in chapters]
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def webvtt(cues: Sequence[Cue]) -> bytes:
    """A WebVTT transcript; cue text is freed of markup, escaped and wrapped to
    `LINE_WIDTH` characters."""
    blocks = ["WEBVTT\n"]
    for number, cue in enumerate(cues, 1):
        text = plain_text(cue.text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        blocks.append(
            f"{number}\n{_timestamp(cue.start, '.')} --> {_timestamp(cue.end, '.')}\n"
            f"{_lines(text)}\n"
        )
    return "\n".join(blocks).encode("utf-8")


def srt(cues: Sequence[Cue]) -> bytes:
    """A SubRip transcript of the same cues; SubRip has no escapes, and players render
    its tags (`<font>`, `<i>`), so the text carries none."""
    blocks = [
        f"{number}\n{_timestamp(cue.start, ',')} --> {_timestamp(cue.end, ',')}\n"
        f"{_lines(plain_text(cue.text))}\n"
        for number, cue in enumerate(cues, 1)
    ]
    return "\n".join(blocks).encode("utf-8")


def transcript_json(cues: Sequence[Cue]) -> bytes:
    """A Podcasting 2.0 JSON transcript (`application/json`): a segment per word where
    the cue has word timings, else one for the cue. One segment a line: compact, and
    a change shows as the lines it touches."""
    segments = [
        {"startTime": part.start, "endTime": part.end, "body": plain_text(part.text)}
        for cue in cues
        for part in (cue.words or (cue,))
    ]
    lines = ",\n".join(json.dumps(s, ensure_ascii=False, separators=(",", ":")) for s in segments)
    head = json.dumps({"version": TRANSCRIPT_VERSION}, separators=(",", ":"))[:-1]
    return f'{head},"segments":[\n{lines}\n]}}\n'.encode()


def _lines(text: str) -> str:
    # A cue may not hold a blank line or "-->" (WebVTT ends the cue there).
    text = text.replace("-->", "->")
    return "\n".join(textwrap.wrap(text, LINE_WIDTH, break_long_words=False)) or "…"


def _timestamp(seconds: float, decimal: str) -> str:
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{decimal}{millis:03d}"
