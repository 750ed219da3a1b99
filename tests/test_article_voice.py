"""An article's own voice (front matter `voice:`), through the plugin door: a fake engine
with voices (`tests/fake_engine.VoicedEngine`) reads each article with the voice it names,
an unknown or hostile voice fails its article alone before any clip is made, and
`nashra check` warns about a voice that does not speak Arabic."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from nashra.check.voices import voice_warnings
from nashra.config.settings import load_settings
from nashra.core.errors import ArticleError, UsageError
from nashra.engines import register, unregister
from nashra.engines.base import with_voice
from nashra.readers.markdown import read_markdown
from nashra.stages.builder import build
from nashra.storage import paths
from nashra.storage.state import BuildState
from tests.fake_engine import FakeEngine, VoicedEngine, VoicedOptions
from tests.support import make_project

BODY = "# {title}\n\nقال المتحدث إن الاجتماع سيعقد غدا في الرياض.\n"


@pytest.fixture
def voiced() -> Iterator[type[VoicedEngine]]:
    register(VoicedEngine)
    VoicedEngine.said.clear()
    VoicedEngine.lists.clear()
    yield VoicedEngine
    unregister(VoicedEngine.name)
    VoicedEngine.said.clear()
    VoicedEngine.lists.clear()


def _article(folder: Path, name: str, title: str, voice: str | None = None) -> Path:
    head = f"---\nvoice: {voice}\n---\n" if voice is not None else ""
    path = folder / name
    path.write_text(head + BODY.format(title=title), encoding="utf-8")
    return path


def _project(tmp_path: Path, voice: str = "ar-one") -> Path:
    project = make_project(
        tmp_path / "p", [], engine="voiced", options={"voiced": {"voice": voice}}
    )
    _article(project / "articles", "a.md", "الأول")
    _article(project / "articles", "b.md", "الثاني", voice="ar-two")
    return project


def _voices_said() -> dict[str, set[str]]:
    """Per voice, the titles of the articles it said."""
    said: dict[str, set[str]] = {}
    for voice, text in VoicedEngine.said:
        for title in ("الأول", "الثاني"):
            if title in text:
                said.setdefault(voice, set()).add(title)
    return said


# ---------------------------------------------------------------------------- the reader


def test_front_matter_voice_is_read(tmp_path: Path) -> None:
    article = read_markdown(_article(tmp_path, "x.md", "عنوان", voice="ar-EG-SalmaNeural"))
    assert article.voice == "ar-EG-SalmaNeural"
    assert read_markdown(_article(tmp_path, "y.md", "عنوان")).voice is None


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("[ar-one, ar-two]", "not list"),
        ("{name: x}", "not dict"),
        ("42", "not int"),
        ("true", "not bool"),
        ("../../etc/passwd", "not a voice's name"),
        ("/tmp/evil.onnx", "not a voice's name"),
        ("evil.onnx", "not a voice's name"),
        ("~/voices/x", "not a voice's name"),
        ("'a b'", "not a voice's name"),
        ("'ar-one\\x00'", "not a voice's name"),
        ("x" * 5000, "at most 100"),
    ],
)
def test_a_hostile_voice_fails_the_article_naming_the_file_and_key(
    tmp_path: Path, value: str, problem: str
) -> None:
    path = tmp_path / "hostile.md"
    path.write_text(f"---\nvoice: {value}\n---\n" + BODY.format(title="ع"), encoding="utf-8")
    with pytest.raises(ArticleError) as info:
        read_markdown(path)
    message = str(info.value)
    assert "hostile.md" in message and "`voice`" in message and problem in message
    assert len(message) < 400  # a huge value is not repeated whole


def test_with_voice_checks_the_engines_options_and_refuses_paths() -> None:
    engine = VoicedEngine(VoicedOptions())
    assert with_voice(engine, "ar-two").options.voice == "ar-two"
    assert with_voice(engine, "ar-one") is engine
    with pytest.raises(ValueError, match="voice must be a name"):
        with_voice(engine, "AR_TWO")
    with pytest.raises(ValueError, match="not a voice's name"):
        with_voice(engine, "../ar-two")
    with pytest.raises(ValueError, match="one voice only"):
        with_voice(FakeEngine(), "ar-two")


# ---------------------------------------------------------------------------- the build


def test_each_article_is_read_with_its_own_voice_and_a_rebuild_does_nothing(
    voiced: type[VoicedEngine], tmp_path: Path
) -> None:
    settings = load_settings(_project(tmp_path))
    report = build(settings, jobs=2)
    assert report.ok, report.failed
    assert _voices_said() == {"ar-one": {"الأول"}, "ar-two": {"الثاني"}}
    records = BuildState.load(paths.state_file(settings.work_dir)).episodes
    assert {r.source: r.voice_id for r in records.values()} == {
        "articles/a.md": "voiced voice=ar-one",
        "articles/b.md": "voiced voice=ar-two",
    }
    # Every voice asked about once, before any clip: the project's and the article's.
    assert voiced.lists == [("ar-one", "ar-two")]

    voiced.said.clear()
    again = build(settings, jobs=2)
    assert again.ok and again.built == [] and voiced.said == []

    # A new voice for one article: that article alone is voiced again, with it.
    _article(settings.articles_dir, "b.md", "الثاني", voice="en-three")
    third = build(settings, jobs=2)
    assert third.built == ["b"]
    assert _voices_said() == {"en-three": {"الثاني"}}


def test_an_unknown_or_refused_article_voice_fails_that_article_alone_before_any_clip(
    voiced: type[VoicedEngine], tmp_path: Path
) -> None:
    project = _project(tmp_path)
    _article(project / "articles", "c.md", "الثالث", voice="ar-nobody")
    _article(project / "articles", "d.md", "الرابع", voice="Not-A-Name")
    report = build(load_settings(project), jobs=1)
    failed = {f.source.name: f.reason for f in report.failed}
    assert set(failed) == {"c.md", "d.md"}
    assert "`voice`" in failed["c.md"] and "ar-nobody" in failed["c.md"]
    assert "`voice`" in failed["d.md"] and "voice must be a name" in failed["d.md"]
    assert sorted(report.built) == ["a", "b"]
    said = " ".join(text for _, text in voiced.said)
    assert "الثالث" not in said and "الرابع" not in said


def test_a_project_voice_the_engine_lacks_stops_the_build_before_any_clip(
    voiced: type[VoicedEngine], tmp_path: Path
) -> None:
    settings = load_settings(_project(tmp_path, voice="ar-nobody"))
    with pytest.raises(UsageError, match=r"\[speech.voiced\] voice: no voice 'ar-nobody'"):
        build(settings, jobs=1)
    assert voiced.said == []
    assert not (settings.output_dir / "feed.xml").exists()


# ---------------------------------------------------------------------------- the check


def test_check_warns_about_a_voice_that_is_not_arabic(
    voiced: type[VoicedEngine], tmp_path: Path
) -> None:
    project = _project(tmp_path, voice="en-three")
    _article(project / "articles", "c.md", "الثالث", voice="en-three")
    _article(project / "articles", "d.md", "الرابع", voice="ar-two")
    found = voice_warnings(load_settings(project))
    assert {(f.rule, f.item) for f in found} == {
        ("voice-language", "channel"),
        ("voice-language", "articles/c.md"),
    }
    channel = next(f for f in found if f.item == "channel")
    assert "[speech.voiced] voice" in channel.message and "en-three speaks en" in channel.message


def test_check_is_quiet_about_arabic_voices_and_says_when_a_voice_is_not_used(
    voiced: type[VoicedEngine], tmp_path: Path
) -> None:
    project = _project(tmp_path)
    assert voice_warnings(load_settings(project)) == []
    toml = project / "podcast.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('engine = "voiced"', 'engine = "fake"'),
        encoding="utf-8",
    )
    [finding] = voice_warnings(load_settings(project))
    assert finding.item == "articles/b.md" and "one voice" in finding.message


def test_a_build_warns_about_the_voices_it_reads_with(
    voiced: type[VoicedEngine], tmp_path: Path
) -> None:
    project = _project(tmp_path, voice="en-three")
    _article(project / "articles", "c.md", "الثالث", voice="en-three")
    _article(project / "articles", "d.md", "الرابع", voice="ar-two")
    report = build(load_settings(project), jobs=1)
    assert report.ok
    assert any(f.rule == "voice-language" and f.item == "channel" for f in report.findings)
    # The check that ends a build does not open every article; the build says it instead,
    # for the article it voiced with a voice of its own (c.md's is the project's own).
    assert not any(f.item.startswith("articles/") for f in report.findings)
    project2 = _project(tmp_path / "two")
    _article(project2 / "articles", "e.md", "الخامس", voice="en-three")
    second = build(load_settings(project2), jobs=1)
    [warning] = [w for w in second.warnings if "`voice`" in w.reason]
    assert warning.source.name == "e.md" and "en-three speaks en, not Arabic" in warning.reason


# ---------------------------------------------------------------------------- a cluster


def test_a_cluster_task_carries_the_articles_voice_to_its_worker(
    voiced: type[VoicedEngine], tmp_path: Path
) -> None:
    """The coordinator's task for an article with a voice of its own names that voice in
    its first engine (the fallback keeps its own), and the worker voices with it."""
    from nashra import __version__
    from nashra.core.clock import now_utc
    from nashra.stages.article_cache import ScriptReader
    from nashra.stages.assemble import assembly_of
    from nashra.stages.cluster.tasks import EpisodeTask, make_episode
    from nashra.stages.distribute import _voiced, cluster_engines
    from nashra.stages.read import read_articles, taken_up
    from nashra.stages.types import Job, Voice

    project = make_project(tmp_path / "p", [], engine="voiced", fallback="fake")
    _article(project / "articles", "b.md", "الثاني", voice="ar-two")
    settings = load_settings(project)
    (aside,) = read_articles(settings, {}, now_utc()).jobs
    assert aside.article.voice == "ar-two"  # kept while the job is set aside
    (job,) = taken_up([aside], ScriptReader(settings))
    assert isinstance(job, Job)
    choices, _ = cluster_engines(settings.speech)
    engines = _voiced(choices, job.article)
    assert [c.name for c in engines] == ["voiced", "fake"]
    assert dict(engines[0].options or ())["voice"] == "ar-two"
    assert engines[1] == choices[1]
    work = assembly_of(
        settings, job, Voice("", "", job.script), "5f0b2a2e-0000-4000-8000-0000000000aa"
    )
    outcome = make_episode(
        EpisodeTask(work, engines, None, (tmp_path / "shared").as_uri(), __version__)
    )
    assert outcome.record is not None and outcome.record.voice_id == "voiced voice=ar-two"
    assert {voice for voice, _ in voiced.said} == {"ar-two"}


@pytest.mark.slow
def test_espeak_reads_an_article_with_its_own_voice_in_the_same_workers(tmp_path: Path) -> None:
    """A process engine: the article's voice is voiced by the build's worker processes,
    each call naming its options, and a voice espeak-ng lacks fails its article alone."""
    project = make_project(tmp_path / "p", [], engine="espeak")
    _article(project / "articles", "a.md", "الأول")
    _article(project / "articles", "b.md", "الثاني", voice="ar+f3")
    _article(project / "articles", "c.md", "الثالث", voice="zz-nothing")
    settings = load_settings(project)
    report = build(settings, jobs=2)
    assert [(f.source.name, "`voice`" in f.reason) for f in report.failed] == [("c.md", True)]
    assert sorted(report.built) == ["a", "b"]
    records = BuildState.load(paths.state_file(settings.work_dir)).episodes
    ids = {r.source: r.voice_id for r in records.values()}
    assert " voice=ar " in ids["articles/a.md"] and " voice=ar+f3 " in ids["articles/b.md"]
    again = build(settings, jobs=2)
    assert again.built == [] and again.voicing.synthesized == 0
