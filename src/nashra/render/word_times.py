"""When each written word is said: the engine's word timings put on the writer's words.

An engine reports the words of the text it was given (`Utterance.speech`):
diacritized, respelled, its numbers read out ("2024" is three words), its
punctuation apart. The transcript shows the writer's words (`Utterance.written`).
So the written and the spoken words are aligned by their letters, marks and
hamza forms aside: a written word that matches a spoken one takes its times; a
run of written words between two matches takes the time of the spoken run between
them, shared by length (a number and the words it was read as); a written token
with no letters (a dash, a lone comma) is said at no time, where the word before
it ends. Every whitespace-separated token of the written text gets one time, in
order, so a page can split a cue's text the same way and light its words.

Pure: plain values in, plain values out.
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher

from nashra.core.model import WordTime
from nashra.text.letters import fold_alefs, without_marks


def _key(word: str) -> str:
    """A word as its letters (digits kept), marks, hamza forms and punctuation aside."""
    folded = fold_alefs(without_marks(word), madda=True)
    return "".join(c for c in folded if c.isalnum())


def written_words(written: str, spoken: Sequence[WordTime]) -> tuple[WordTime, ...]:
    """One time per whitespace-separated token of `written`, from the `spoken` words'
    times (seconds from the clip's start); empty when nothing was reported."""
    tokens = written.split()
    said = [w for w in spoken if _key(w.text)]
    if not tokens or not said:
        return ()
    keyed = [(n, _key(t)) for n, t in enumerate(tokens)]
    wordlike = [(n, k) for n, k in keyed if k]
    times: dict[int, tuple[float, float]] = {}
    matcher = SequenceMatcher(
        None, [k for _, k in wordlike], [_key(w.text) for w in said], autojunk=False
    )
    for _tag, i1, i2, j1, j2 in matcher.get_opcodes():
        # Written words not heard (j1 == j2) are timed by `_in_order`, after the word
        # before; spoken words not written (i1 == i2) lengthen nothing.
        _share([n for n, _ in wordlike[i1:i2]], tokens, said[j1:j2], times)
    return _in_order(tokens, times, said[0].start)


def _share(
    numbers: list[int],
    tokens: list[str],
    run: Sequence[WordTime],
    times: dict[int, tuple[float, float]],
) -> None:
    """Time the written tokens `numbers` by the spoken `run`: one to one when they are
    as many, else the run's span shared by the written words' lengths."""
    if not numbers or not run:
        return
    if len(numbers) == len(run):
        times.update({n: (w.start, w.end) for n, w in zip(numbers, run, strict=True)})
        return
    begin, end = run[0].start, max(w.end for w in run)
    lengths = [max(1, len(_key(tokens[n]))) for n in numbers]
    total = sum(lengths)
    at = begin
    for n, length in zip(numbers, lengths, strict=True):
        step = (end - begin) * length / total
        times[n] = (at, at + step)
        at += step


def _in_order(
    tokens: list[str], times: dict[int, tuple[float, float]], first: float
) -> tuple[WordTime, ...]:
    """Each token with its time; an untimed one at the end of the one before (or at the
    first word's start); never earlier than the token before."""
    out: list[WordTime] = []
    previous_end = first
    previous_start = first
    for n, token in enumerate(tokens):
        start, end = times.get(n, (previous_end, previous_end))
        start = max(start, previous_start)
        end = max(end, start)
        out.append(WordTime(round(start, 3), round(end, 3), token))
        previous_start, previous_end = start, end
    return tuple(out)


def placed(
    words: Sequence[WordTime], offset: float, until: float = float("inf")
) -> tuple[WordTime, ...]:
    """Clip times as episode times, for a clip that starts `offset` seconds in and ends
    at `until`: an engine's word reported past its clip's end is held at that end."""
    return tuple(
        WordTime(
            round(min(w.start + offset, until), 3), round(min(w.end + offset, until), 3), w.text
        )
        for w in words
    )
