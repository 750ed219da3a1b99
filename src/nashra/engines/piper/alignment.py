"""When a Piper voice says each word: the phoneme durations its model computes.

A Piper (VITS) model decides how many frames each phoneme id lasts (a `Ceil` of
the predicted durations) and makes that many frames of audio, `hop_length`
samples each. Stock voices do not output those durations, so a copy of the
model with its `Ceil` tensor marked as an output, by Piper's own
`add_alignment_output` (which needs the `onnx` package), is made once and kept
in the user's cache folder (`timed_model`), named by the SHA-256 of the model
it came from; the voice folder is never written. Loading that copy costs what
loading the voice costs; making it in memory in each process would cost each
worker about 85 MB more (measured). The audio is the same, sample for sample
(measured), so a voice without word timings makes the same clips.

With the durations, each id's samples are summed into phonemes (Piper's
`phonemes_to_ids`: BOS and a pad, each phoneme's ids and a pad, EOS). espeak-ng
separates a sentence's words by a space phoneme; a word starts with its first
phoneme and ends with its last sound, punctuation (the pause it makes) aside.
The engine reports the words of the text it was given (its tokens with letters or
digits), one to one with the spoken words when they are as many, else found among
them by their sounds (`word_times`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from difflib import SequenceMatcher
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from nashra.core.model import WordTime
from nashra.engines.piper.phonemes import MAX_PHONEMES, split_phonemes

log = logging.getLogger(__name__)

BOS, EOS, PAD, SPACE = "^", "$", "_", " "

Span = tuple[int, int, str]
"""(first sample, sample after the last, its sounds) of one spoken word; samples from the
clip's start."""

_warned: set[str] = set()


NO_ONNX = (
    "Piper word timings need the onnx package (pip install 'nashra[piper]'); going on without them"
)


def can_align() -> bool:
    """Whether the `onnx` package, which exposes a model's durations, is installed."""
    try:
        return find_spec("onnx") is not None
    except ValueError:  # imported and then taken out of sys.modules
        return False


def warn_once(message: str) -> None:
    """Log `message` once in this process (a voice is loaded once per process)."""
    if message not in _warned:
        _warned.add(message)
        log.warning("%s", message)


def cache_dir() -> Path:
    """Where the timed copies of voice models are kept: `$XDG_CACHE_HOME/nashra/piper`
    (`~/.cache/nashra/piper`). Deleting it costs only the time to make them again."""
    cache_home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache_home).expanduser() / "nashra" / "piper"


def timed_model(model: Path, digest: str) -> str | bytes | None:
    """What onnxruntime loads for `model` (whose SHA-256 is `digest`) with its phoneme
    durations: the cached copy's path, made now if it is not there; the model's bytes
    when the cache cannot be written; None when the model itself will do (it outputs
    them already) or cannot be timed (said once)."""
    cached = cache_dir() / f"{digest}.onnx"
    if cached.is_file():
        return str(cached)
    data = model_with_alignments(model)
    if data is None:
        return None
    part = cached.with_name(f".{digest}.{os.getpid()}.part")
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        part.write_bytes(data)
        os.replace(part, cached)  # whole or not at all: another process may race us
    except OSError as exc:
        with contextlib.suppress(OSError):
            part.unlink()
        warn_once(f"cannot keep a timed copy of {model.name} in {cached.parent} ({exc})")
        return data
    log.info("piper voice %s: timed copy made in %s", model.name, cached.parent)
    return str(cached)


def model_with_alignments(model: Path) -> bytes | None:
    """The voice model `model` with its phoneme durations as a second output, serialized
    for onnxruntime; None (said once) when onnx is missing or the model has no `Ceil`."""
    try:
        import onnx
    except ImportError:
        warn_once(NO_ONNX)
        return None
    try:
        from piper.patch_voice_with_alignment import add_alignment_output
    except ImportError:
        warn_once("this piper-tts cannot expose a voice's phoneme durations; no word timings")
        return None
    try:
        proto = onnx.load(str(model))
    except Exception as exc:  # onnx raises its own unrelated types for a broken file
        warn_once(f"{model}: onnx cannot read this voice model ({exc}); no word timings")
        return None
    try:
        tensor = add_alignment_output(proto)
    except ValueError as exc:
        if "already marked" in str(exc):
            return None  # the file already outputs its durations: load it as it is
        warn_once(f"{model}: no phoneme durations to expose ({exc}); no word timings")
        return None
    log.debug("piper voice %s: phoneme durations from %s", model.name, tensor)
    data: bytes = proto.SerializeToString()
    return data


def say(
    voice: Any, sentence: Sequence[str], syn: Any, timed: bool, at: int
) -> tuple[list[Any], list[Span] | None]:
    """The float audio of a sentence's pieces (`split_phonemes`), and, when `timed` (the
    model outputs its durations), its words' spans in samples from `at`; else None."""
    pieces: list[Any] = []
    spans: list[Span] | None = [] if timed else None
    for piece in split_phonemes(sentence, MAX_PHONEMES):
        out = voice.phoneme_ids_to_audio(voice.phonemes_to_ids(piece), syn, timed)
        samples, durations = out if timed else (out, None)
        counts = None
        if durations is not None:
            counts = phoneme_samples(piece, voice.config.phoneme_id_map, durations)
        if spans is not None and counts is not None:
            spans.extend(word_spans(piece, *counts, at))
        else:
            spans = None  # a piece untimed: no word times for the sentence
        pieces.append(samples)
        at += len(samples)
    return pieces, spans


# ------------------------------------------------------------------------- pure steps


def is_sound(phoneme: str) -> bool:
    """Whether a phoneme is said (not punctuation, which makes a pause, nor a space)."""
    return any(not unicodedata.category(c).startswith(("P", "S", "Z")) for c in phoneme)


def phoneme_samples(
    phonemes: Sequence[str], id_map: Mapping[str, Sequence[int]], id_samples: Sequence[int]
) -> tuple[int, list[int]] | None:
    """(samples before the first phoneme, samples of each phoneme with its pad), from the
    samples of each phoneme id; None when the ids are not the ones `phonemes` make."""
    pad = len(id_map.get(PAD, ()))
    at = len(id_map.get(BOS, ())) + pad
    lead = sum(id_samples[:at])
    counts: list[int] = []
    for phoneme in phonemes:
        ids = id_map.get(phoneme)
        width = len(ids) + pad if ids else 0  # Piper drops a phoneme its map lacks
        counts.append(int(sum(id_samples[at : at + width])))
        at += width
    if at + len(id_map.get(EOS, ())) != len(id_samples):
        return None
    return int(lead), counts


def word_spans(
    phonemes: Sequence[str], lead: int, counts: Sequence[int], offset: int
) -> list[Span]:
    """Each spoken word of a piece of a sentence, in samples from the clip's start (the
    piece starting at `offset`): from its first phoneme to the end of its last sound,
    with its sounds as its key."""
    spans: list[Span] = []
    at = offset + lead
    start: int | None = None
    end = at
    sounds: list[str] = []
    for phoneme, count in zip(phonemes, counts, strict=True):
        if phoneme == SPACE:
            if start is not None:
                spans.append((start, end, _key(sounds)))
            start, sounds = None, []
        elif is_sound(phoneme):
            if start is None:
                start = at
            end = at + count
            sounds.append(phoneme)
        at += count
    if start is not None:
        spans.append((start, end, _key(sounds)))
    return spans


def _key(sounds: Sequence[str]) -> str:
    """A word's sounds, its stress marks aside (they move with the words around it)."""
    return "".join(sounds).replace("ˈ", "").replace("ˌ", "")


def spoken_words(phonemes: Sequence[Sequence[str]]) -> list[str]:
    """The keys of the words in phoneme sentences (runs of phonemes with a sound)."""
    words: list[str] = []
    for sentence in phonemes:
        sounds: list[str] = []
        for phoneme in [*sentence, SPACE]:
            if phoneme == SPACE:
                if sounds:
                    words.append(_key(sounds))
                sounds = []
            elif is_sound(phoneme):
                sounds.append(phoneme)
    return words


def word_times(
    text: str,
    spans: Sequence[Span],
    rate: int,
    phonemize: Callable[[str], Any],
) -> tuple[WordTime, ...]:
    """The words of the request `text` timed by the spoken `spans` (samples at `rate`).

    One to one when the text's tokens (those with letters or digits) and the spoken
    words are as many. Else each token is phonemized alone (`phonemize(token)` gives
    its phoneme sentences) and its words are found among the spoken ones by their
    sounds: a token takes the spoken words it matches; a run of tokens and spoken
    words that differ (espeak-ng joins فِ and the word after it) shares the run's time
    by the tokens' lengths; a token not heard is said at no time, after the one before."""
    tokens = [token for token in text.split() if any(c.isalnum() for c in token)]
    if not tokens or not spans:
        return ()
    groups: list[list[tuple[int, int]]] = [[] for _ in tokens]
    if len(tokens) == len(spans):
        for group, (start, end, _) in zip(groups, spans, strict=True):
            group.append((start, end))
    else:
        expected = [(n, key) for n, t in enumerate(tokens) for key in spoken_words(phonemize(t))]
        if len(expected) == len(spans):
            for (n, _), (start, end, _) in zip(expected, spans, strict=True):
                groups[n].append((start, end))
        else:
            _match(tokens, expected, spans, groups)
    words: list[WordTime] = []
    previous = last_end = 0
    for token, group in zip(tokens, groups, strict=True):
        start = max(min((g[0] for g in group), default=last_end), previous)
        end = max(max((g[1] for g in group), default=start), start)
        words.append(WordTime(round(start / rate, 3), round(end / rate, 3), token))
        previous, last_end = start, end
    return tuple(words)


def _match(
    tokens: Sequence[str],
    expected: Sequence[tuple[int, str]],
    spans: Sequence[Span],
    groups: list[list[tuple[int, int]]],
) -> None:
    """Put the spoken `spans` on the tokens whose `expected` words they match by sound."""
    matcher = SequenceMatcher(
        None, [key for _, key in expected], [key for *_, key in spans], autojunk=False
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if j1 == j2:
            continue  # tokens not heard: timed after the one before
        heard = spans[j1:j2]
        if tag == "equal":
            for (n, _), (start, end, _) in zip(expected[i1:i2], heard, strict=True):
                groups[n].append((start, end))
            continue
        # Spoken words no token expects belong to the token before (or the first).
        owners = list(dict.fromkeys(n for n, _ in expected[i1:i2])) or [
            expected[i1 - 1][0] if i1 else 0
        ]
        begin, finish = heard[0][0], max(end for _, end, _ in heard)
        lengths = [max(1, sum(c.isalnum() for c in tokens[n])) for n in owners]
        at = float(begin)
        for n, length in zip(owners, lengths, strict=True):
            step = (finish - begin) * length / sum(lengths)
            groups[n].append((round(at), round(at + step)))
            at += step
