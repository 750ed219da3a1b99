"""The azure engine against a real local HTTP server standing in for Azure AI Speech."""

from __future__ import annotations

import logging
import pickle
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from nashra.config.settings import load_settings
from nashra.core.errors import EngineError, SettingsError
from nashra.core.model import Script, Utterance
from nashra.engines import create_engine
from nashra.engines.azure.engine import AzureEngine, AzureOptions
from tests.azure_server import KEY, SSML, FakeAzure, serving
from tests.gtts_mock import tiny_mp3
from tests.support import make_project, set_key

HOSTILE = 'قال <b>زيد</b> & عمرو ]]> </voice><voice name="en-US-X"> <!-- -->'


@pytest.fixture
def azure(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAzure]:
    with serving(monkeypatch) as fake:
        yield fake


def _engine(**options: object) -> AzureEngine:
    fast = {"backoff": 0.001, "request_rate": 1000.0}
    engine = create_engine("azure", AzureOptions(**{**fast, **options}))  # type: ignore[arg-type]
    assert isinstance(engine, AzureEngine)
    return engine


def _script(*utterances: tuple[str, int], chapter: int = 0) -> Script:
    return Script(
        utterances=tuple(Utterance(s, s, pause, chapter) for s, pause in utterances),
        chapters=("عنوان",),
    )


def _say(engine: AzureEngine, text: str) -> bytes:
    [request] = engine.plan(_script((text, 350))).utterances
    return engine.synthesizer()(request.speech).data


def test_a_request_is_ssml_for_the_voice_with_azures_headers(azure: FakeAzure) -> None:
    assert _say(_engine(), "مرحبا بكم") == tiny_mp3()
    [seen] = azure.posts
    assert seen.path == "/cognitiveservices/v1"
    assert seen.headers["Ocp-Apim-Subscription-Key"] == KEY
    assert seen.headers["Content-Type"] == "application/ssml+xml"
    assert seen.headers["X-Microsoft-OutputFormat"] == "audio-24khz-96kbitrate-mono-mp3"
    assert seen.headers["User-Agent"].startswith("nashra/")
    speak = seen.ssml()
    assert speak.tag == f"{SSML}speak"
    assert speak.get("{http://www.w3.org/XML/1998/namespace}lang") == "ar-EG"
    [voice] = speak.iter(f"{SSML}voice")
    assert voice.get("name") == "ar-EG-SalmaNeural"
    assert seen.text().strip() == "مرحبا بكم"


def test_hostile_article_text_is_escaped_and_said_as_written(azure: FakeAzure) -> None:
    _say(_engine(), HOSTILE)
    [seen] = azure.posts
    assert seen.text().strip() == HOSTILE
    assert [v.get("name") for v in seen.ssml().iter(f"{SSML}voice")] == ["ar-EG-SalmaNeural"]
    assert b"<b>" not in seen.body and b"]]>" not in seen.body


def test_a_request_not_planned_by_the_engine_is_refused_before_sending(azure: FakeAzure) -> None:
    with pytest.raises(EngineError, match="not a request"):
        _engine().synthesize('</voice><voice name="x">')
    assert azure.requests == []


def test_style_and_rate_are_said_in_ssml(azure: FakeAzure) -> None:
    _say(_engine(voice="en-US-AriaNeural", style="newscast", rate=1.25), "hello")
    speak = azure.posts[0].ssml()
    [express] = speak.iter("{https://www.w3.org/2001/mstts}express-as")
    assert express.get("style") == "newscast"
    [prosody] = speak.iter(f"{SSML}prosody")
    assert prosody.get("rate") == "1.25"
    assert speak.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-US"


def test_a_paragraph_is_one_request_its_pauses_inside() -> None:
    script = _script(("الجملة الأولى،", 200), ("والثانية.", 350), ("الثالثة.", 800), ("فقرة.", 800))
    requests = _engine().plan(script).utterances
    assert len(requests) == 2
    first = requests[0]
    assert first.speech == (
        'الجملة الأولى، <break time="200ms"/> والثانية. <break time="350ms"/> الثالثة.'
    )
    assert first.written == "الجملة الأولى، والثانية. الثالثة."
    assert first.pause_after_ms == 800
    assert requests[1].speech == "فقرة."


def test_requests_stay_within_max_chars_and_never_cross_a_chapter() -> None:
    sentence = "كلمة " * 30  # 150 characters
    script = Script(
        utterances=(
            Utterance(sentence, sentence, 350, 0),
            Utterance(sentence, sentence, 350, 0),
            Utterance(sentence, sentence, 350, 0),
            Utterance("فصل", "فصل", 350, 1),
        ),
        chapters=("أ", "ب"),
    )
    requests = _engine(max_chars=400).plan(script).utterances
    assert [u.chapter for u in requests] == [0, 0, 1]
    assert requests[0].speech.count("<break") == 1


def test_429_is_retried_after_the_wait_azure_asks_for(azure: FakeAzure) -> None:
    azure.answer(429, Retry_After="0")
    azure.answer(503)
    assert _say(_engine(), "مرحبا") == tiny_mp3()
    assert len(azure.posts) == 3


def test_a_refused_key_is_a_clear_error_without_the_key_and_is_not_tried_again(
    azure: FakeAzure,
) -> None:
    azure.answer(401, b"Access denied: " + KEY.encode())
    engine = _engine()
    synthesize = engine.synthesizer()
    [request] = engine.plan(_script(("مرحبا", 350))).utterances
    with pytest.raises(EngineError) as info:
        synthesize(request.speech)
    message = str(info.value)
    assert "401" in message and "AZURE_SPEECH_KEY" in message and "westeurope" in message
    assert KEY not in message
    with pytest.raises(EngineError, match="AZURE_SPEECH_KEY"):
        synthesize(request.speech)
    assert len(azure.posts) == 1


def test_an_unknown_voice_names_the_setting(azure: FakeAzure) -> None:
    azure.answer(400)
    with pytest.raises(EngineError, match=r"\[speech.azure\] voice.*ar-XX-NobodyNeural"):
        _say(_engine(voice="ar-XX-NobodyNeural"), "مرحبا")
    assert len(azure.posts) == 1


def test_an_unreachable_service_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("AZURE_SPEECH_ENDPOINT", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("AZURE_SPEECH_KEY", KEY)
    with pytest.raises(EngineError, match="could not reach Azure") as info:
        _say(_engine(retries=2), "مرحبا")
    assert KEY not in str(info.value)


def test_without_a_key_the_engine_cannot_run_and_says_which_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AZURE_SPEECH_KEY", raising=False)
    monkeypatch.delenv("AZURE_SPEECH_REGION", raising=False)
    available = _engine().availability()
    assert not available.ok and "AZURE_SPEECH_KEY" in available.reason
    with pytest.raises(EngineError, match="AZURE_SPEECH_KEY"):
        _engine().synthesize("مرحبا")


def test_without_a_region_the_engine_cannot_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_SPEECH_KEY", KEY)
    monkeypatch.delenv("AZURE_SPEECH_REGION", raising=False)
    monkeypatch.delenv("AZURE_SPEECH_ENDPOINT", raising=False)
    available = _engine().availability()
    assert not available.ok and "AZURE_SPEECH_REGION" in available.reason
    assert _engine(region="uaenorth").availability().ok


def test_the_key_is_sent_only_to_https_or_this_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_SPEECH_KEY", KEY)
    monkeypatch.setenv("AZURE_SPEECH_ENDPOINT", "http://speech.example.org")
    available = _engine().availability()
    assert not available.ok and "AZURE_SPEECH_ENDPOINT" in available.reason
    monkeypatch.setenv("AZURE_SPEECH_ENDPOINT", "https://speech.example.org/")
    assert _engine().availability().ok


def test_a_key_with_a_line_break_is_refused_without_showing_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AZURE_SPEECH_KEY", KEY + "\nX-Other: 1")
    monkeypatch.setenv("AZURE_SPEECH_REGION", "westeurope")
    available = _engine().availability()
    assert not available.ok and "AZURE_SPEECH_KEY" in available.reason
    assert KEY not in available.reason


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("voice", "ar EG<", "voice must"),
        ("region", "West Europe", "region must"),
        ("style", 'news"cast', "style must"),
        ("rate", 3.0, "rate must"),
        ("output_format", "ogg-24khz-16bit-mono-opus", "output_format must"),
        ("max_chars", 20000, "max_chars must"),
    ],
)
def test_bad_options_are_refused(key: str, value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        AzureEngine.check_options(AzureOptions(**{key: value}))  # type: ignore[arg-type]


def test_voice_id_names_what_changes_the_sound_and_never_the_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AZURE_SPEECH_KEY", KEY)
    ids = {
        _engine().voice_id(),
        _engine(voice="ar-SA-HamedNeural").voice_id(),
        _engine(rate=1.1).voice_id(),
        _engine(style="newscast").voice_id(),
        _engine(output_format="riff-24khz-16bit-mono-pcm").voice_id(),
    }
    assert len(ids) == 5 and not any(KEY in i for i in ids)
    assert _engine().voice_id() == _engine(region="uaenorth", retries=2).voice_id()
    assert KEY.encode() not in pickle.dumps(_engine())


def _project(root: Path, engine: str = "azure") -> Path:
    from tests.support import CORPUS

    return make_project(
        root,
        [CORPUS / "saudinewsnet" / "04-alweeam.txt"],
        engine=engine,
        options={"azure": {"backoff": 0.001, "request_rate": 1000.0}},
    )


def test_a_key_in_podcast_toml_is_refused_naming_the_variable(tmp_path: Path) -> None:
    project = _project(tmp_path / "p")
    toml = project / "podcast.toml"
    toml.write_text(set_key(toml.read_text(encoding="utf-8"), "speech.azure", "key", KEY))
    with pytest.raises(SettingsError, match="AZURE_SPEECH_KEY") as info:
        load_settings(project)
    assert KEY not in str(info.value)


def _everything_written(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def test_a_build_with_azure_makes_an_episode_and_the_key_is_nowhere(
    azure: FakeAzure, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.test_cli import run

    caplog.set_level(logging.DEBUG)
    project = _project(tmp_path / "p")
    code, out, err = run("build", "-v", "-p", str(project))
    assert code == 0, err
    episodes = list((project / "output" / "episodes").glob("*.mp3"))
    assert len(episodes) == 1
    assert azure.posts and all(p.headers["Ocp-Apim-Subscription-Key"] == KEY for p in azure.posts)
    # Requests are paragraphs: fewer than the script's sentences.
    assert all(p.ssml().tag == f"{SSML}speak" for p in azure.posts)
    for path in _everything_written(project):
        assert KEY.encode() not in path.read_bytes(), path
    assert KEY not in out + err + caplog.text
    assert b"podcast:chapters" in (project / "output" / "feed.xml").read_bytes()
    # A rebuild asks Azure nothing and changes nothing.
    before = {p: p.read_bytes() for p in _everything_written(project / "output")}
    posts = len(azure.posts)
    code, _, err = run("build", "-p", str(project))
    assert code == 0, err
    assert len(azure.posts) == posts
    assert {p: p.read_bytes() for p in _everything_written(project / "output")} == before


def test_a_build_with_a_refused_key_fails_clearly(
    azure: FakeAzure, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.support import CORPUS
    from tests.test_cli import run

    caplog.set_level(logging.DEBUG)
    project = _project(tmp_path / "p")
    assert run("build", "-p", str(project))[0] == 0
    published = {p.name: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()}
    shutil.copy(CORPUS / "saudinewsnet" / "01-alwatan.txt", project / "articles")
    azure.requests.clear()
    for _ in range(50):
        azure.answer(401)
    code, out, err = run("build", "-p", str(project))
    # A refused key is the project's configuration: exit 2, and nothing published changes.
    assert code == 2, err
    assert "AZURE_SPEECH_KEY" in err + caplog.text and "401" in err + caplog.text
    now = {p.name: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()}
    assert now == published
    # Only the requests already in flight when the first refusal came (concurrency 2).
    assert 1 <= len(azure.posts) <= AzureOptions.concurrency
    for path in _everything_written(project):
        assert KEY.encode() not in path.read_bytes(), path
    assert KEY not in out + err + caplog.text


def test_a_build_without_a_key_stops_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_cli import run

    monkeypatch.delenv("AZURE_SPEECH_KEY", raising=False)
    monkeypatch.setenv("AZURE_SPEECH_REGION", "westeurope")
    code, _, err = run("build", "-p", str(_project(tmp_path / "p")))
    assert code == 2 and "AZURE_SPEECH_KEY" in err


def test_nashra_engines_shows_whether_azure_can_run(
    azure: FakeAzure, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_cli import run

    _, out, _ = run("engines")
    [row] = [line for line in out.splitlines() if line.startswith("azure ")]
    assert "available" in row and "unavailable" not in row and "online" in row
    assert KEY not in out
    monkeypatch.delenv("AZURE_SPEECH_KEY")
    _, out, _ = run("engines")
    [row] = [line for line in out.splitlines() if line.startswith("azure ")]
    assert "unavailable" in row and "AZURE_SPEECH_KEY" in row


def test_voices_list_shows_azures_arabic_voices(azure: FakeAzure, tmp_path: Path) -> None:
    from tests.test_cli import run

    code, out, _ = run("voices", "list", "--engine", "azure", "-p", str(tmp_path))
    assert code == 0
    assert [line.split() for line in out.splitlines()] == [
        ["ar-EG-SalmaNeural", "ar-EG", "Female", "no", "styles"],
        ["ar-SA-HamedNeural", "ar-SA", "Male", "no", "styles"],
    ]
    [seen] = azure.requests
    assert (seen.method, seen.path) == ("GET", "/cognitiveservices/voices/list")
    assert seen.headers["Ocp-Apim-Subscription-Key"] == KEY


def test_voices_list_says_when_azure_cannot_be_reached(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tests.test_cli import run

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("AZURE_SPEECH_ENDPOINT", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("AZURE_SPEECH_KEY", KEY)
    code, out, err = run("voices", "list", "--engine", "azure", "-p", str(tmp_path))
    assert code == 1
    assert "cannot list Azure's voices: could not reach Azure" in err
    assert KEY not in out + err


def test_a_request_with_nothing_to_say_is_refused_before_sending(azure: FakeAzure) -> None:
    with pytest.raises(EngineError, match="says nothing"):
        _engine().synthesize('«» <break time="200ms"/> ...')
    assert azure.requests == []


def test_probe_asks_azure_for_a_word(azure: FakeAzure) -> None:
    assert _engine().probe().ok
    assert azure.posts[0].text() == "نشرة"
    azure.answer(403)
    refused = _engine().probe()
    assert not refused.ok and "403" in refused.reason and KEY not in refused.reason


def test_the_estimates_follow_the_rate() -> None:
    assert _engine(rate=1.5).speaking_rate() == 1.5 * _engine().speaking_rate()


def test_characters_xml_cannot_hold_are_said_as_spaces(azure: FakeAzure) -> None:
    _say(_engine(), "زيد\x0bعمرو\x1b\ufffeبكر")
    assert azure.posts[0].text().split() == ["زيد", "عمرو", "بكر"]
