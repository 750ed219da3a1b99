"""Packing a script into as few engine requests as the engine's limit allows.

The script cuts speech at sentences (and long sentences at clauses), so every
sentence gets its pause. For an engine where each call is a network request
(Google takes 100 characters a request), that leaves most requests half
empty. `pack_requests` joins a chapter's utterances into a stream and cuts it
again into requests of at most `limit` characters: as few requests as
possible; among those, cuts where the script already had a long pause
(paragraphs, then sentences), then at clause marks, then before و, then at any
space. Inside one request the voice makes its own pause at each full stop.

Two things are never crossed: a chapter start (chapters must begin on a clip)
and a word whose spoken form differs from the written one (a number read out
as words is never cut in two, and every request keeps its written text for
the transcript).

Rebuilds stay local: `known` tells which requests are already voiced (in the
clip cache), and those cost nothing, so after one sentence is edited the
packing keeps every request it can from the last build and only the text
around the edit is asked for again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from nashra.core.model import Script, Utterance
from nashra.text.sentences import SENTENCE_END, break_penalty

# Cost of a cut, lower is better. Cutting where the script had a pause keeps
# that pause exactly; the longer the pause, the more it is worth keeping.
_AT_PARAGRAPH, _AT_SENTENCE, _AT_CHUNK, _INSIDE = 0, 1, 2, 2
_LONG_PAUSE_MS = 700
"""Pauses at least this long (paragraphs and sections by default) are cut first."""
_STOPS = SENTENCE_END + '،,:؛;»)"”'
"""A piece ending with one of these already tells the voice to pause."""


@dataclass(frozen=True)
class _Atom:
    """Words that always travel together: the stream is cut only between atoms."""

    speech: str
    written: str
    utterance: int
    last: bool
    """Whether the atom ends its utterance."""
    cut_before: int
    """Cost of starting a request with this atom."""


def pack_requests(
    script: Script,
    limit: int,
    known: Callable[[str], bool] | None = None,
    *,
    across: bool = True,
) -> Script:
    """The same speech as `script` in as few utterances of at most `limit` characters.

    Chapters and their titles are unchanged; each new utterance carries the
    pause of the utterance it ends with (none when it ends mid-sentence) and
    the written text of what it says. `known(speech)` is true for requests
    already voiced: the packing uses as many of those as it can, then as few
    new ones as it can. With `across=False` no request spans two utterances:
    each utterance longer than `limit` is only cut up (a request per sentence).
    """
    utterances: list[Utterance] = []
    runs = _chapters(script.utterances) if across else [[u] for u in script.utterances]
    for run in runs:
        utterances.extend(_pack_run(run, limit, known or _nothing_known))
    return Script(utterances=tuple(utterances), chapters=script.chapters)


def _nothing_known(_: str) -> bool:
    return False


def _chapters(utterances: Sequence[Utterance]) -> list[list[Utterance]]:
    runs: list[list[Utterance]] = []
    for utterance in utterances:
        if runs and runs[-1][-1].chapter == utterance.chapter:
            runs[-1].append(utterance)
        else:
            runs.append([utterance])
    return runs


def _pack_run(run: list[Utterance], limit: int, known: Callable[[str], bool]) -> list[Utterance]:
    atoms: list[_Atom] = []
    for index, utterance in enumerate(run):
        before = run[index - 1].pause_after_ms if index else 0
        for atom in _atoms(utterance, index, before):
            atoms.extend(_fitting(atom, limit))
    texts = [_spoken(atom, run) for atom in atoms]
    reuse = known is not _nothing_known

    # Shortest path over atom positions: best[j] is the best way to say the
    # first j atoms, as (new requests, requests, cut cost, where its last
    # request begins). New requests come first, so voiced ones are reused.
    best: list[tuple[int, int, int, int]] = [(0, 0, 0, 0)]
    for end in range(1, len(atoms) + 1):
        candidate: tuple[int, int, int, int] | None = None
        length = -1
        for begin in range(end - 1, -1, -1):
            # Inside a request an atom carries its stop; the last one goes bare.
            piece = texts[begin] if begin < end - 1 else atoms[begin].speech
            length += len(piece) + 1
            if length > limit:
                break
            new, requests, cost, _ = best[begin]
            cut = atoms[begin].cut_before if begin else 0
            if not reuse or not known(_request_text(atoms, texts, begin, end)):
                new += 1
            option = (new, requests + 1, cost + cut, begin)
            if candidate is None or option[:3] < candidate[:3]:
                candidate = option
        if candidate is None:  # pragma: no cover - every utterance fits the limit
            raise ValueError(f"an utterance is longer than {limit} characters")
        best.append(candidate)

    bounds: list[tuple[int, int]] = []
    end = len(atoms)
    while end > 0:
        begin = best[end][3]
        bounds.append((begin, end))
        end = begin
    packed: list[Utterance] = []
    for begin, end in reversed(bounds):
        last = atoms[end - 1]
        owner = run[last.utterance]
        packed.append(
            Utterance(
                speech=_request_text(atoms, texts, begin, end),
                written=" ".join(a.written for a in atoms[begin:end] if a.written),
                pause_after_ms=owner.pause_after_ms if last.last else 0,
                chapter=owner.chapter,
                section=run[atoms[begin].utterance].section,
            )
        )
    return packed


def _fitting(atom: _Atom, limit: int) -> list[_Atom]:
    """`atom` cut into pieces of at most `limit` characters (a stop added inside a
    request included): at spaces, else anywhere. Only a word or a number read out
    longer than a whole request is ever cut; the written text goes with the first piece."""
    if len(atom.speech) < limit:
        return [atom]
    pieces: list[str] = []
    for word in atom.speech.split():
        if pieces and len(pieces[-1]) + 1 + len(word) < limit:
            pieces[-1] = f"{pieces[-1]} {word}"
            continue
        while len(word) >= limit:
            pieces.append(word[: limit - 1])
            word = word[limit - 1 :]
        if word:
            pieces.append(word)
    last = len(pieces) - 1
    return [
        replace(
            atom,
            speech=piece,
            written=atom.written if number == 0 else "",
            last=atom.last and number == last,
            cut_before=atom.cut_before if number == 0 else _INSIDE,
        )
        for number, piece in enumerate(pieces)
    ]


def _request_text(atoms: list[_Atom], texts: list[str], begin: int, end: int) -> str:
    return " ".join([*texts[begin : end - 1], atoms[end - 1].speech])


def _spoken(atom: _Atom, run: list[Utterance]) -> str:
    """The atom as said inside a request: an utterance ending in a pause but no
    punctuation (a title, a byline) gets a full stop, so the voice pauses there too."""
    if atom.last and run[atom.utterance].pause_after_ms and not atom.speech.endswith(tuple(_STOPS)):
        return f"{atom.speech}."
    return atom.speech


def _atoms(utterance: Utterance, index: int, pause_before: int) -> list[_Atom]:
    """An utterance cut at the word boundaries where its speech and written text agree."""
    speech = utterance.speech.split()
    written = utterance.written.split()
    if pause_before >= _LONG_PAUSE_MS:
        first_cut = _AT_PARAGRAPH
    elif pause_before > 0:
        first_cut = _AT_SENTENCE
    else:
        first_cut = _AT_CHUNK
    # Where each speech word boundary falls in the written text, when it does.
    cuts: dict[int, int] = {}
    matcher = SequenceMatcher(None, written, speech, autojunk=False)
    for block in matcher.get_matching_blocks():
        for offset in range(block.size + 1):
            cuts.setdefault(block.b + offset, block.a + offset)
    bounds = [
        position
        for position in range(1, len(speech))
        if position in cuts and any(c.isalnum() for c in speech[position])
    ]
    atoms: list[_Atom] = []
    starts = [0, *bounds]
    ends = [*bounds, len(speech)]
    for number, (start, stop) in enumerate(zip(starts, ends, strict=True)):
        w_start = cuts[start] if number else 0
        w_stop = cuts[stop] if stop < len(speech) else len(written)
        cost = (
            first_cut if number == 0 else _INSIDE + break_penalty(speech[start - 1], speech[start])
        )
        atoms.append(
            _Atom(
                speech=" ".join(speech[start:stop]),
                written=" ".join(written[w_start:w_stop]),
                utterance=index,
                last=stop == len(speech),
                cut_before=cost,
            )
        )
    return atoms
