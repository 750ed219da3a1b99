"""Figures 3b, 4a and 4b: a build voiced by Google, against a fake Google on 127.0.0.1.

Plain gTTS, the baseline of figure 4a, is given the same speech as nashra: per
episode, its script's speech (after the lexicon, with numbers in words), with
a line end wherever nashra pauses, so that gTTS may cut there as nashra does.
Both are counted where they arrive, at the fake Google (benchmarks/fake_google.py).
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path

from fake_google import fake_google
from harness import Figure, edit_one_sentence, make_project, planned_chunks
from targets import Verdict

MAX_CHARS = 100
"""Google's limit per request (gTTS cuts there too)."""
DELAY = 0.15
"""Seconds the fake Google takes to answer, about what the real one takes."""
REQUESTS_RATIO = 0.6
"""Requests against plain gTTS given the same speech."""
WALL_RATIO = 1.2


@dataclass
class Speech:
    texts: list[str]
    """Per article, the speech nashra sends Google, as one text for plain gTTS."""
    requests: set[str]
    """The requests nashra packs that speech into."""
    bound: int
    """Requests if each were full to the last character, chapter by chapter."""


def spoken(project: Path) -> Speech:
    """What a build of `project` will say through Google, and how nashra packs it."""
    from nashra.engines import create_engine
    from nashra.settings import load_settings
    from nashra.stages.read import ScriptReader

    settings = load_settings(project)
    engine = create_engine("gtts", settings.speech.options_for("gtts"))
    reader = ScriptReader(settings)
    speech = Speech([], set(), 0)
    for path in sorted((project / "articles").iterdir()):
        _, script, _ = reader.read(path)
        text = ""
        chapters: dict[int, int] = {}
        for utterance, after in zip(script.utterances, (*script.utterances[1:], None), strict=True):
            # A line end wherever nashra pauses (after a sentence, a title, a
            # paragraph, a chapter), where gTTS then cuts and pauses too.
            chapter_ends = after is None or after.chapter != utterance.chapter
            pause = utterance.pause_after_ms > 0 or chapter_ends
            text += utterance.speech + ("\n" if pause else " ")
            chapters[utterance.chapter] = (
                chapters.get(utterance.chapter, -1) + 1 + len(utterance.speech)
            )
        speech.texts.append(text.rstrip("\n"))
        speech.requests |= {request.speech for request in engine.plan(script).utterances}
        speech.bound += sum(math.ceil(size / MAX_CHARS) for size in chapters.values())
    return speech


def gtts_requests(
    work: Path, articles: list[Path], concurrency: int, packing: str = "fill"
) -> list[Figure]:
    from gtts import gTTS

    from nashra.builder import build
    from nashra.settings import load_settings

    project = make_project(
        work / "google",
        articles,
        gtts_rate=1000.0,
        gtts_concurrency=concurrency,
        gtts_packing=packing,
    )
    text = (project / "podcast.toml").read_text(encoding="utf-8")
    (project / "podcast.toml").write_text(
        text.replace('engine = "espeak"', 'engine = "gtts"'), encoding="utf-8"
    )
    speech = spoken(project)
    with fake_google(DELAY) as google:
        report = build(load_settings(project), jobs=concurrency)
        wall = report.voicing_seconds
        ours = google.requests
        sent = set(google.texts)
        # Figure 3 again, voiced by Google: requests are packed across sentences,
        # so an edit must not reflow the requests that follow it.
        before = set(planned_chunks(project))
        edited_words = edit_one_sentence(sorted((project / "articles").iterdir())[0])
        spans = len(set(planned_chunks(project)) - before)
        again = build(load_settings(project), jobs=concurrency)
        asked = google.requests - ours
        # Plain gTTS, the same speech to the same server, which need not wait now.
        google.delay = 0.0
        counted = google.requests
        for text in speech.texts:
            gTTS(text, lang="ar").write_to_fp(io.BytesIO())
        plain = google.requests - counted
    assert report.ok, report.failed
    assert again.ok, again.failed
    # What nashra sent is the speech plain gTTS was given, in the requests planned.
    assert sent == speech.requests, sorted(sent ^ speech.requests)[:5]
    # No packing can beat every request full to the brim: the bound beside the target.
    bound = speech.bound
    ideal = ours * DELAY / concurrency
    name_3b = "3b. one sentence edited in one article, voiced by Google"
    name_4a = "4a. Google requests for the corpus" + (
        f" (packing = {packing!r})" if packing != "fill" else ""
    )
    name_4b = f"4b. voicing wall time against a 150 ms server, {concurrency} at once"
    return [
        Figure(
            name_3b,
            f"{asked} requests, {len(again.built)} episode re-encoded",
            f"{spans} chunk(s) of the edited sentence ({edited_words} words) changed",
            None,
            (
                Verdict(
                    name_3b,
                    "only requests holding the change (≤ changed chunks + 1), only that episode",
                    0 < asked <= spans + 1 and len(again.built) == 1,
                ),
            ),
        ),
        Figure(
            name_4a,
            f"{ours} requests",
            f"plain gTTS given the same speech: {plain} (every request full: {bound}, "
            f"{bound / plain:.2f} ×)",
            ours / plain,
            (Verdict(name_4a, f"≤ {REQUESTS_RATIO} ×", ours / plain <= REQUESTS_RATIO),),
            f"Figure 4a's bound: no packing that starts each chapter on a request of its own "
            f"can send fewer than {bound} requests ({bound / plain:.3f} × plain gTTS), and "
            "that is every request full to its 100th character, which whole words seldom "
            "allow; a number said in words is never cut in two (Google would pause inside "
            "it), which leaves more room. Plain gTTS is given the same speech with a line end "
            "wherever nashra pauses. The target of 0.6 × stands as it was set, when plain gTTS "
            "was given the written text (432 requests of 721 for it then, 0.599 ×).",
        ),
        Figure(
            name_4b,
            f"{wall:.2f} s",
            f"requests × 150 ms ÷ {concurrency} = {ideal:.2f} s",
            wall / ideal,
            (Verdict(name_4b, f"≤ {WALL_RATIO} ×", wall / ideal <= WALL_RATIO, timing=True),),
            "Figure 4b: gTTS opens a new HTTPS connection for every request, and urllib3 "
            "loads the system's CA certificates for each (verifying or not): tens of "
            "milliseconds of CPU per request, which the baseline leaves out. The fake Google "
            "speaks TLS as Google does, so that cost is in the figure.",
        ),
    ]
