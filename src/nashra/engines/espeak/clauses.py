"""A sentence's comma clauses said in one espeak-ng request, the comma pause inside it.

The script cuts a sentence at its commas, each comma followed by the comma pause
(`[audio] comma_pause_ms`), and most engines say each clause as a clip of its own.
Each clip costs a call into a library loaded afresh (`fresh`), a file in the clip
cache and a part to join. espeak-ng can make the pause itself: read as SSML
(`espeakSSML`), a `<break time="200ms"/>` after the comma is an empty clause whose
pause makes up the comma's own pause to that length (TranslateClause in
translate.c: "don't add this pause, just make up the previous pause to this
value"). The pause heard is then the configured one, or the voice's own when
that is longer (under 100 ms at news pace); a break's time is kept constant
whatever the rate (ssml.c). So a sentence's clauses go to espeak-ng as one
request, up to `UTTERANCE_LIMIT` characters of the script's speech, as long as
the script's own longest utterance: a transcript cue and a clip stay as long as
a sentence's were before comma pauses.

Every request is SSML, so article text is escaped in it: `&`, `<` and `>` as
character references, which espeak-ng reads back as those characters (a
literal `&lt;` it would not: that entity becomes a private character).
Nothing an article says is ever read as a tag.
"""

from __future__ import annotations

from collections.abc import Sequence

from nashra.core.model import Script, Utterance
from nashra.engines.espeak.spelling import ends_clause
from nashra.text.sentences import UTTERANCE_LIMIT

VERSION = 1
"""Part of espeak-ng's voice id: raise it when requests change how espeak-ng reads them."""

_ESCAPES = str.maketrans({"&": "&#38;", "<": "&#60;", ">": "&#62;"})


def escaped(text: str) -> str:
    """`text` as SSML text that espeak-ng reads exactly as it reads `text` plain."""
    return text.translate(_ESCAPES)


def pause(ms: int) -> str:
    """The SSML for a silence of `ms` milliseconds inside a request."""
    return f'<break time="{ms}ms"/>'


def joined(
    script: Script, prepared: Script, *, limit: int = UTTERANCE_LIMIT, longest: int = 3000
) -> Script:
    """`prepared` (the script as espeak-ng reads it, utterance for utterance) as
    espeak-ng's requests: every text escaped, and the clauses of a sentence joined
    with their comma pauses inside while their speech in `script` stays within
    `limit` characters and the request within `longest`.

    A clause is joined to the next in its chapter when it ends with a comma and
    has a pause after it (`spelling.ends_clause`); a long clause the script cut
    with no pause stays apart, as the sentences are.
    """
    said = script.utterances
    if len(said) != len(prepared.utterances):
        raise ValueError("`prepared` must hold an utterance for each of the script's")
    runs: list[list[Utterance]] = []
    requests: list[str] = []
    size = 0
    for index, utterance in enumerate(prepared.utterances):
        text = escaped(utterance.speech)
        if runs and _joins(said[index - 1], said[index]):
            request = f"{requests[-1]} {pause(runs[-1][-1].pause_after_ms)} {text}"
            if size + 1 + len(said[index].speech) <= limit and len(request) <= longest:
                runs[-1].append(utterance)
                requests[-1] = request
                size += 1 + len(said[index].speech)
                continue
        runs.append([utterance])
        requests.append(text)
        size = len(said[index].speech)
    return Script(
        utterances=tuple(
            _utterance(run, request) for run, request in zip(runs, requests, strict=True)
        ),
        chapters=prepared.chapters,
    )


def _joins(before: Utterance, after: Utterance) -> bool:
    return (
        ends_clause(before)
        and before.pause_after_ms > 0
        and (before.chapter, before.section) == (after.chapter, after.section)
    )


def _utterance(parts: Sequence[Utterance], request: str) -> Utterance:
    return Utterance(
        speech=request,
        written=" ".join(u.written for u in parts if u.written),
        pause_after_ms=parts[-1].pause_after_ms,
        chapter=parts[0].chapter,
        section=parts[0].section,
    )
