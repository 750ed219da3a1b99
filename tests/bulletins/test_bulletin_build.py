"""End to end: articles dated over three days make three bulletins from their own clips."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import feedparser
import numpy as np
import podcastparser
import pytest

from nashra.config.settings import load_settings
from nashra.core.model import EpisodeRecord
from nashra.render import audio
from nashra.stages.article_cache import ScriptReader
from nashra.stages.builder import build
from nashra.storage import paths
from nashra.storage.state import BuildState, Details
from tests.fake_engine import FakeEngine
from tests.support import CORPUS, make_project, set_key

DAYS = ("2025-02-27", "2025-02-28", "2025-03-01")
NAMES = ("01-alwatan", "02-alyaum", "03-sabq", "04-alweeam", "05-alriyadh", "06-okaz")
NOW = "1741500000"  # 9 March 2025: every period is closed


def dated_copies(folder: Path) -> list[Path]:
    """Markdown copies of corpus articles, two a day, dated in the morning and afternoon."""
    folder.mkdir()
    made = []
    sources = sorted((CORPUS / "saudinewsnet").glob("*.txt"))[: len(NAMES)]
    for index, source in enumerate(sources):
        title, _, body = source.read_text(encoding="utf-8").strip().partition("\n")
        hour = 9 if index % 2 == 0 else 15
        when = f"{DAYS[index // 2]}T{hour:02d}:00:00+03:00"
        path = folder / f"{source.stem}.md"
        path.write_text(
            f'---\ndate: "{when}"\n---\n# {title.strip()}\n\n{body.strip()}\n', encoding="utf-8"
        )
        made.append(path)
    return made


def pcm(path: Path) -> np.ndarray:
    out = subprocess.run(
        [audio.ffmpeg_path(), "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1", "-"],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(out, dtype=np.int16).astype(np.float64)


def enable(project: Path, **keys: object) -> None:
    toml = project / "podcast.toml"
    text = toml.read_text(encoding="utf-8")
    for key, value in keys.items():
        text = set_key(text, "bulletin", key, value)
    toml.write_text(text, encoding="utf-8")


@pytest.mark.slow
def test_three_days_make_three_bulletins_from_the_articles_clips(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOW)
    project = make_project(tmp_path / "p", dated_copies(tmp_path / "src"))
    enable(project, enabled=False)
    first = build(load_settings(project), jobs=1)
    assert first.ok and len(first.built) == 6 and first.bulletins is None

    enable(
        project,
        enabled=True,
        timezone="Asia/Riyadh",
        hijri=True,
        intro="مرحبا بكم.",
        outro="إلى اللقاء.",
    )
    settings = load_settings(project)
    FakeEngine.calls.clear()
    report = build(settings, jobs=1)
    assert report.ok, report.failed
    assert report.bulletins is not None
    assert sorted(report.bulletins.built) == list(DAYS)
    # Nothing of the articles' text was voiced again: only the bulletins' own words.
    reader = ScriptReader(settings)
    said = set(FakeEngine.calls)
    assert said
    assert any("مرحبا" in call for call in said) and any("اللقاء" in call for call in said)
    for path in sorted((project / "articles").glob("*.md")):
        _, script, _ = reader.read(path)
        body = {u.speech for u in script.utterances if u.section >= 0}
        assert not body & said
    records = {r.slug: r for r in report.bulletins.records}
    state = BuildState.load(paths.state_file(project / ".nashra"))
    titles = {r.title for r in state.episodes.values()}

    for day in DAYS:
        record = records[f"bulletin-{day}"]
        names = [c.title for c in record.chapters]
        assert names[:2] == ["افتتاح النشرة", "أبرز العناوين"]
        assert names[-1] == "الختام"
        assert len(names) == 2 + 2 + 1
        assert set(names[2:4]) <= titles

    # Each article chapter sounds exactly as the article's own episode body.
    record = records["bulletin-2025-02-28"]
    whole = pcm(project / "output" / record.file)
    rate = settings.audio.sample_rate
    by_title = {r.title: r for r in state.episodes.values()}
    for chapter, following in zip(record.chapters[2:4], record.chapters[3:], strict=True):
        episode = by_title[chapter.title]
        own = pcm(project / "output" / episode.file)[int(0.3 * rate) :]
        cues = Details(project / ".nashra" / "state.sqlite").cues(episode)
        speech = own[: int((cues[-1].end - 0.3) * rate)]
        start = int(chapter.start * rate)
        best = min(
            range(-1200, 1201, 1),
            key=lambda shift: float(
                np.abs(whole[start + shift : start + shift + 4000] - speech[:4000]).mean()
            ),
        )
        span = whole[start + best : start + best + len(speech)]
        assert following.start * rate >= start + len(speech) - 1200
        noise = np.sqrt(np.mean((span - speech) ** 2))
        signal = np.sqrt(np.mean(speech**2))
        assert abs(best) <= 1  # the decoder drops the encoder delay of both alike
        assert 20 * np.log10(signal / noise) > 40  # MP3 noise of a second encoding only

    feed = (project / "output" / "bulletin.xml").read_bytes()
    parsed = podcastparser.parse("https://x/bulletin.xml", io.BytesIO(feed))
    assert parsed["title"] == f"{settings.title} — النشرة"
    assert len(parsed["episodes"]) == 3
    assert not feedparser.parse(feed).bozo
    assert report.check_errors == 0, [str(f) for f in report.findings]
    assert (project / "output" / "bulletins" / "bulletin-2025-03-01.html").is_file()
    assert (project / "output" / "bulletins" / "index.html").is_file()

    # A rebuild with nothing changed changes no byte of either feed.
    before = {p: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()}
    FakeEngine.calls.clear()
    again = build(settings, jobs=1)
    assert again.ok and again.bulletins and not again.bulletins.built
    assert FakeEngine.calls == []
    after = {p: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()}
    assert after == before


@pytest.mark.slow
@pytest.mark.parametrize("late_mode", ["next", "amend"])
def test_edits_and_late_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, late_mode: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOW)
    sources = dated_copies(tmp_path / "src")
    project = make_project(tmp_path / "p", sources[:4])
    enable(
        project,
        enabled=True,
        timezone="Asia/Riyadh",
        articles_in_main_feed=False,
        late=late_mode,
    )
    settings = load_settings(project)
    first = build(settings, jobs=1)
    assert first.ok and first.bulletins is not None
    before = {r.slug: r for r in first.bulletins.records}
    assert sorted(before) == ["bulletin-2025-02-27", "bulletin-2025-02-28"]
    # Articles heard in a bulletin are left out of the main feed, if asked.
    main = podcastparser.parse("https://x/feed.xml", io.BytesIO(read(project, "feed.xml")))
    assert main["episodes"] == []
    chapters = json.loads(read(project, paths_of(before["bulletin-2025-02-27"])))
    article = chapters["chapters"][2]
    assert article["img"].startswith(settings.base_url) and article["url"].endswith(".html")

    # An article edited after its bulletin went out: a new file, the same GUID.
    edited = project / "articles" / sources[0].name
    edited.write_text(edited.read_text(encoding="utf-8") + "\nفقرة أضيفت لاحقا.\n", "utf-8")
    # A late article dated on the 27th, whose bulletin is out: it goes into the next one.
    late = project / "articles" / "late.md"
    late.write_text(
        '---\ndate: "2025-02-27T20:00:00+03:00"\n---\n# خبر متأخر\n\nنص الخبر المتأخر.\n',
        encoding="utf-8",
    )
    second = build(settings, jobs=1)
    assert second.ok and second.bulletins is not None
    after = {r.slug: r for r in second.bulletins.records}
    old, new = before["bulletin-2025-02-27"], after["bulletin-2025-02-27"]
    assert new.guid == old.guid and new.file != old.file
    assert new.file == "bulletins/bulletin-2025-02-27-v2.mp3"
    assert not (project / "output" / old.file).exists()
    assert after["bulletin-2025-02-28"] == before["bulletin-2025-02-28"]
    members = second.bulletins.members
    if late_mode == "next":
        assert members["bulletin-2025-03-01"] == ("late",)
    else:  # it amends its own day's bulletin, already rebuilt for the edit
        assert members["bulletin-2025-02-27"][-1] == "late"
        assert "bulletin-2025-03-01" not in members
    # Every article is in a bulletin, so the main feed is empty, which the check reports.
    errors = [str(f) for f in second.findings if f.severity == "error"]
    assert errors == [
        "error: [items] channel: the feed has no episodes (Spotify needs at least one)"
    ]


def read(project: Path, relative: str) -> bytes:
    return (project / "output" / relative).read_bytes()


def paths_of(record: EpisodeRecord) -> str:
    return record.file.removesuffix(".mp3") + ".chapters.json"


@pytest.mark.slow
def test_a_bulletin_carries_its_articles_word_timings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each article's words sit in the bulletin where they sit in the article's episode,
    moved by where its chapter starts; the bulletin has its JSON transcript too."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOW)
    project = make_project(
        tmp_path / "p", dated_copies(tmp_path / "src")[:2], options={"fake": {"words": True}}
    )
    enable(project, enabled=True, timezone="Asia/Riyadh")
    settings = load_settings(project)
    report = build(settings, jobs=1)
    assert report.ok and report.bulletins is not None
    (record,) = report.bulletins.records
    assert record.has_words
    stem = record.file.removesuffix(".mp3")
    assert (project / "output" / f"{stem}.transcript.json").is_file()
    state = BuildState.load(paths.state_file(project / ".nashra"))
    with Details(paths.state_file(project / ".nashra")) as details:
        for episode in state.episodes.values():
            own = [c for c in details.cues(episode) if c.words]
            assert own
            texts = [c.text for c in own]
            at = next(
                i
                for i in range(len(record.cues))
                if [c.text for c in record.cues[i : i + len(own)]] == texts
            )
            mixed = record.cues[at : at + len(own)]
            shifts = [
                b.start - a.start
                for x, y in zip(own, mixed, strict=True)
                for a, b in zip(x.words, y.words, strict=True)
            ]
            assert len(shifts) == sum(len(c.words) for c in own)
            assert max(shifts) - min(shifts) <= 0.002  # one shift per article, to rounding
