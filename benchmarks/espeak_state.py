"""What it costs to speak every espeak-ng clip from a freshly loaded library.

    python benchmarks/espeak_state.py [--chunks N] [--rounds R] [--check] [--write]

The corpus's speech chunks, prepared beforehand as `plan` prepares them, are voiced
in this one process three ways, in alternating rounds so that load on the machine
falls on all three alike:

- shared: one library speaks them all in turn (nashra before this change; a clip
  then depends on what the library said before it);
- flutter 0: the same, with a voice file that sets `flutter 0`;
- fresh: `EspeakEngine.synthesize` as nashra does it now (the library unloaded and
  loaded again before each clip, its noise seeded).

A fourth way times the reloading alone. Prints the synthesis CPU time per clip for each
(best round: the machines this runs on
are shared, and CPU time is the steadier figure), the ratio fresh ÷ shared,
the time `plan` takes to prepare a chunk (the diacritizer) for scale, and how many
clips of the shared and flutter-0 runs differ from the fresh clip of the same text.
`--write` puts the result in benchmarks/RESULTS.md.

Target (a correctness figure, checked by `--check`, which exits 1 when it is missed):
each clip nashra makes depends on its text alone, so the chunks voiced again in
reverse order give every clip as before.
"""

from __future__ import annotations

import argparse
import ctypes
import datetime
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
# Its neighbours come after the standard library and the installed packages, so that none
# shadows one of them; targets and results_file are found there.
_HERE = str(ROOT / "benchmarks")
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(_HERE)] + [_HERE]
from targets import Verdict, add_check_argument, exit_status  # noqa: E402

if TYPE_CHECKING:
    from nashra.engines.espeak import engine as espeak
    from nashra.engines.espeak.backend import Backend
    from nashra.engines.espeak.engine import EspeakEngine

CORPUS = ROOT / "tests" / "data" / "corpus"
ARTICLES = [
    *sorted((CORPUS / "saudinewsnet").glob("*.txt")),
    CORPUS / "seed" / "whatsapp-privacy.txt",
]


def corpus_chunks(limit: int) -> tuple[list[str], float]:
    """The first `limit` speech chunks of the corpus as espeak-ng is given them, and the
    seconds `plan` took per chunk to prepare them."""
    from nashra.config.settings import Audio
    from nashra.engines import create_engine
    from nashra.readers import read_article
    from nashra.stages.script import make_script

    engine = create_engine("espeak")
    chunks: list[str] = []
    engine.prepare("بدأ")  # load the diacritizer's model before timing
    started = time.process_time()
    for path in ARTICLES:
        script = engine.plan(make_script(read_article(path), Audio()))
        chunks += [u.speech for u in script.utterances]
        if len(chunks) >= limit:
            break
    spent = time.process_time() - started
    return chunks[:limit], spent / len(chunks)


def library_of_its_own(
    backend: Backend, engine: EspeakEngine, voice_file: Path | None = None
) -> espeak._Library:
    """A library that speaks every clip given it, as nashra's did before it loaded one afresh
    per clip (with `voice_file`, that voice). The engine's is unloaded first, or they would
    share one."""
    from nashra.engines.espeak import engine as espeak
    from nashra.engines.espeak import fresh as espeak_fresh

    with espeak._LOCK:
        if espeak._library is not None:
            espeak_fresh.unload(espeak._library._lib)
            espeak._library = None
    library = espeak._Library(backend)
    if voice_file is not None:
        library._lib.espeak_SetVoiceByFile.argtypes = [ctypes.c_char_p]
        assert library._lib.espeak_SetVoiceByFile(str(voice_file).encode()) == 0
        library._voice = "ar"
    library.use_voice("ar", engine.rate, engine.pitch)
    return library


def said_alike(voice: Callable[[str], bytes], chunks: list[str], clips: list[bytes]) -> bool:
    """Whether `voice`, given `chunks` again in reverse order, says each as `clips` has it
    (the same chunks voiced in order): a clip that depends on its text alone does."""
    return [voice(text) for text in reversed(chunks)][::-1] == clips


def verdicts(result: dict[str, object]) -> list[Verdict]:
    return [
        Verdict(
            "clips nashra voices, said again in reverse order",
            "every clip the same (each depends on its text alone)",
            result["fresh_again_same"] is True,
        )
    ]


def run(limit: int, rounds: int) -> dict[str, object]:
    from nashra.engines.espeak import engine as espeak
    from nashra.engines.espeak import fresh as espeak_fresh
    from nashra.engines.espeak.backend import Backend
    from nashra.engines.espeak.engine import EspeakEngine

    chunks, prepare = corpus_chunks(limit)
    backend = espeak._require_backend()
    assert isinstance(backend, Backend) and backend.data_path
    engine = EspeakEngine()
    # A short path: espeak-ng takes a voice file's name in 60 bytes.
    voice_file = Path(tempfile.mkdtemp(prefix="nfl-", dir="/tmp")) / "ar"
    base = (Path(backend.data_path) / "lang" / "sem" / "ar").read_text(encoding="utf-8")
    voice_file.write_text(base + "\nflutter 0\n", encoding="utf-8")

    def load(flutter: bool) -> espeak._Library:
        return library_of_its_own(backend, engine, None if flutter else voice_file)

    def shared(flutter: bool) -> Callable[[], list[bytes]]:
        def voice_all() -> list[bytes]:
            library = load(flutter)
            clips = [library.synthesize(text) for text in chunks]
            espeak_fresh.unload(library._lib)
            return clips

        return voice_all

    def voice(text: str) -> bytes:
        return engine.synthesize(text).data[44:]

    def fresh() -> list[bytes]:
        return [voice(text) for text in chunks]

    def fresh_without_flutter() -> list[bytes]:
        clips = []
        for text in chunks:
            library = load(False)
            clips.append(library.synthesize(text))
            espeak_fresh.unload(library._lib)
        return clips

    def reload() -> list[bytes]:
        """What loading afresh adds to a clip, alone: unload, load, initialise, voice."""
        for _ in chunks:
            with espeak._LOCK:
                library = espeak._fresh_library(backend, "ar", engine.rate, engine.pitch)
                library.fresh = False
        return []

    ways: dict[str, Callable[[], list[bytes]]] = {
        "shared": shared(True),
        "flutter 0": shared(False),
        "fresh": fresh,
        "reload": reload,
    }
    best = dict.fromkeys(ways, float("inf"))
    best_wall = dict.fromkeys(ways, float("inf"))
    clips: dict[str, list[bytes]] = {}
    for _ in range(rounds):
        for name, way in ways.items():
            started, started_wall = time.process_time(), time.perf_counter()
            clips[name] = way()
            best[name] = min(best[name], (time.process_time() - started) / len(chunks))
            wall = (time.perf_counter() - started_wall) / len(chunks)
            best_wall[name] = min(best_wall[name], wall)
    seconds = sum(len(c) for c in clips["fresh"]) / 2 / 22050
    reference = {"shared": clips["fresh"], "flutter 0": fresh_without_flutter()}
    shutil.rmtree(voice_file.parent)

    def differ(name: str) -> tuple[int, int]:
        """How many clips differ from the reference, and the largest difference in length
        (samples) among them."""
        pairs = zip(clips[name], reference[name], strict=True)
        lengths = [abs(len(mine) - len(theirs)) // 2 for mine, theirs in pairs if mine != theirs]
        return len(lengths), max(lengths, default=0)

    return {
        "chunks": len(chunks),
        "audio_s": seconds,
        "prepare_ms": prepare * 1000,
        "ms": {name: value * 1000 for name, value in best.items()},
        "reload_wall_ms": best_wall["reload"] * 1000,
        "differ": {name: differ(name) for name in ("shared", "flutter 0")},
        "fresh_again_same": said_alike(voice, chunks, clips["fresh"]),
    }


def section(result: dict[str, object], command: str) -> str:
    ms = result["ms"]
    differ = result["differ"]
    assert isinstance(ms, dict) and isinstance(differ, dict)
    ratio = (ms["shared"] + ms["reload"]) / ms["shared"]
    today = datetime.date.today().isoformat()

    def apart(samples: int) -> str:
        return f"lengths up to {samples} samples apart" if samples else "the same lengths"

    rows = [
        f"| shared library (before) | {ms['shared']:.2f} ms | 1.00 × "
        f"| {differ['shared'][0]} of {result['chunks']} "
        f"({apart(differ['shared'][1])}) |",
        f"| shared, voice with `flutter 0` | {ms['flutter 0']:.2f} ms "
        f"| {ms['flutter 0'] / ms['shared']:.2f} × "
        f"| {differ['flutter 0'][0]} of {result['chunks']} "
        f"({apart(differ['flutter 0'][1])}) |",
        f"| loaded afresh per clip (now) | {ms['fresh']:.2f} ms "
        f"| {ms['fresh'] / ms['shared']:.2f} × | 0 (the reference) |",
        f"| of which loading afresh alone | {ms['reload']:.2f} ms | – | – |",
    ]
    added = ms["reload"]
    audio_ms = 1000 * result["audio_s"] / result["chunks"]  # type: ignore[operator]
    rtf_fresh, rtf_shared = audio_ms / (ms["shared"] + added), audio_ms / ms["shared"]
    share = added / (ms["shared"] + result["prepare_ms"])
    return f"""## espeak-ng clips that depend on their text alone

Measured by `{command}` on {today},
{os.cpu_count()} CPU(s) shared with other work, in one process, best of the rounds.
The first {result["chunks"]} speech chunks of the corpus ({result["audio_s"]:.0f} s of audio),
prepared beforehand as `plan` prepares them, are voiced in turn three ways.
"Differ" counts the clips that are not byte for byte the clip of the same text
spoken by a freshly loaded library with the same voice (with flutter, or with
`flutter 0` for the second row).

| how | synthesis per clip (CPU) | ratio | clips that differ |
| --- | --- | --- | --- |
{chr(10).join(rows)}

Loading the library afresh costs {added:.1f} ms of CPU a clip, timed alone
({result["reload_wall_ms"]:.1f} ms of wall time; the difference of the first and third
rows is within the noise of a shared machine): {ratio:.2f} × espeak-ng's synthesis
time. Preparing a chunk (the diacritizer, which every clip goes
through first) takes {result["prepare_ms"]:.0f} ms, so a clip's whole cost grows by
{100 * share:.0f} %. espeak-ng now makes {rtf_fresh:,.0f} × real time per core on this
sample, from {rtf_shared:,.0f} ×. A voice without flutter is not a way out: the wave's
phase and gain still carry over. The listener loses nothing: the flutter (a pitch
wobble of at most ±2 Hz, cycling every 1.07 s) is kept, each clip now starting it
at the same point. Voiced again afresh in reverse order, every clip was the same:
{result["fresh_again_same"]}.
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="update benchmarks/RESULTS.md")
    add_check_argument(parser)
    args = parser.parse_args()
    result = run(args.chunks, args.rounds)
    command = f"python benchmarks/espeak_state.py --chunks {args.chunks} --rounds {args.rounds}"
    text = section(result, command)
    print(text)
    if args.write:
        from results_file import replace_section

        replace_section(
            ROOT / "benchmarks" / "RESULTS.md", "## espeak-ng clips that depend on", text
        )
    # No time is a target here: the one target is a correctness figure, checked in every run.
    return exit_status(verdicts(result), check=args.check, quick=False)


if __name__ == "__main__":
    sys.exit(main())
