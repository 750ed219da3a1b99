"""The google-cloud engine against a real local HTTP server standing in for Google Cloud
Text-to-Speech (and Google's token endpoint, for a service account's credentials)."""

from __future__ import annotations

import base64
import json
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
from nashra.engines.google_cloud.engine import GoogleCloudEngine, GoogleCloudOptions
from nashra.engines.ssml import with_marks
from tests.google_cloud_server import (
    KEY,
    TOKEN,
    WORD_SECONDS,
    FakeGoogle,
    service_account,
    serving,
)
from tests.gtts_mock import tiny_mp3
from tests.support import make_project, set_key

HOSTILE = 'قال <b>زيد</b> & عمرو ]]> </speak><speak><audio src="x"/> <!-- -->'
VARIABLES = ("GOOGLE_CLOUD_API_KEY", "GOOGLE_APPLICATION_CREDENTIALS")


@pytest.fixture
def google(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGoogle]:
    with serving(monkeypatch) as fake:
        yield fake


def _engine(**options: object) -> GoogleCloudEngine:
    fast = {"backoff": 0.001, "request_rate": 1000.0}
    engine = create_engine("google-cloud", GoogleCloudOptions(**{**fast, **options}))  # type: ignore[arg-type]
    assert isinstance(engine, GoogleCloudEngine)
    return engine


def _script(*utterances: tuple[str, int], chapter: int = 0) -> Script:
    return Script(
        utterances=tuple(Utterance(s, s, pause, chapter) for s, pause in utterances),
        chapters=("عنوان",),
    )


def _say(engine: GoogleCloudEngine, text: str) -> bytes:
    [request] = engine.plan(_script((text, 350))).utterances
    return engine.synthesizer()(request.speech).data


def test_a_request_is_ssml_json_with_the_key_in_a_header(google: FakeGoogle) -> None:
    assert _say(_engine(speaking_rate=1.1, pitch=-2.0, word_timings=False), "مرحبا بكم") == (
        tiny_mp3()
    )
    [seen] = google.posts
    assert seen.path == "/v1/text:synthesize" and KEY not in seen.path
    assert seen.header("X-Goog-Api-Key") == KEY
    assert seen.header("Authorization") is None
    assert seen.header(
        "Content-Type",
    ).startswith("application/json")  # type: ignore[union-attr]
    body = seen.json()
    assert body["voice"] == {"languageCode": "ar-XA", "name": "ar-XA-Wavenet-B"}
    assert body["audioConfig"] == {"audioEncoding": "MP3", "speakingRate": 1.1, "pitch": -2.0}
    assert seen.ssml().tag == "speak"
    assert seen.text().strip() == "مرحبا بكم"


def test_hostile_article_text_is_escaped_and_said_as_written(google: FakeGoogle) -> None:
    _say(_engine(), HOSTILE)
    [seen] = google.posts
    assert seen.text().strip() == HOSTILE
    assert {e.tag for e in seen.ssml().iter()} == {"speak", "mark"}  # marks: word timings
    assert "<b>" not in seen.json()["input"]["ssml"]


def test_a_request_not_planned_by_the_engine_is_refused_before_sending(
    google: FakeGoogle,
) -> None:
    with pytest.raises(EngineError, match="not a request"):
        _engine().synthesize('</speak><speak><audio src="x"/>')
    with pytest.raises(EngineError, match="says nothing"):
        _engine().synthesize('«» <break time="200ms"/> ...')
    assert google.requests == []


def test_a_request_over_googles_5000_bytes_is_refused_before_sending(google: FakeGoogle) -> None:
    with pytest.raises(EngineError, match=r"5000.*max_bytes"):
        _engine().synthesize("كلمة " * 600)  # 6000 bytes
    assert google.requests == []


def test_a_chirp_voice_is_sent_plain_text_without_pitch(google: FakeGoogle) -> None:
    engine = _engine(voice="ar-XA-Chirp3-HD-Achernar", speaking_rate=1.2)
    [request] = engine.plan(_script(("زيد & عمرو،", 200), ("وبكر.", 350))).utterances
    engine.synthesizer()(request.speech)
    body = google.posts[0].json()
    assert body["input"] == {"text": "زيد & عمرو، وبكر."}
    assert body["audioConfig"] == {"audioEncoding": "MP3", "speakingRate": 1.2}
    assert body["voice"]["name"] == "ar-XA-Chirp3-HD-Achernar"


def test_a_paragraph_is_one_request_its_pauses_inside_within_max_bytes() -> None:
    script = _script(("الجملة الأولى،", 200), ("والثانية.", 350), ("الثالثة.", 800), ("فقرة.", 800))
    requests = _engine().plan(script).utterances
    assert [r.speech for r in requests] == [
        'الجملة الأولى، <break time="200ms"/> والثانية. <break time="350ms"/> الثالثة.',
        "فقرة.",
    ]
    sentence = "كلمة " * 30  # 150 characters, 270 bytes
    long = _script(*[(sentence, 350)] * 10)
    packed = _engine(max_bytes=1000, word_timings=False).plan(long).utterances
    assert len(packed) == 4
    assert all(len(r.speech.encode()) <= 1000 for r in packed)
    # With word timings, the marks sent before each word count too.
    marked = _engine(max_bytes=1000).plan(long).utterances
    assert len(marked) == 10
    assert all(len(with_marks(r.speech)[0].encode()) <= 1000 for r in marked)


def test_429_then_200_is_retried(google: FakeGoogle) -> None:
    google.answer(429, Retry_After="0")
    google.answer(503)
    assert _say(_engine(), "مرحبا") == tiny_mp3()
    assert len(google.posts) == 3


def _error(status: int, message: str, reason: str = "") -> bytes:
    details = [{"reason": reason}] if reason else []
    return json.dumps({"error": {"code": status, "message": message, "details": details}}).encode()


def test_403_is_a_clear_error_without_the_key_and_is_not_tried_again(google: FakeGoogle) -> None:
    google.answer(403, _error(403, f"Cloud Text-to-Speech API has not been used ({KEY})"))
    engine = _engine()
    synthesize = engine.synthesizer()
    [request] = engine.plan(_script(("مرحبا", 350))).utterances
    with pytest.raises(EngineError) as info:
        synthesize(request.speech)
    message = str(info.value)
    assert "403" in message and "API" in message and "enabled" in message
    assert KEY not in message
    with pytest.raises(EngineError, match="403"):
        synthesize(request.speech)
    assert len(google.posts) == 1


def test_an_invalid_key_is_refused_naming_the_variables(google: FakeGoogle) -> None:
    google.answer(
        400, _error(400, "API key not valid. Please pass a valid API key.", "API_KEY_INVALID")
    )
    with pytest.raises(EngineError) as info:
        _say(_engine(), "مرحبا")
    assert all(v in str(info.value) for v in VARIABLES) and KEY not in str(info.value)
    assert "voice" not in str(info.value)


def test_an_unknown_voice_names_the_setting(google: FakeGoogle) -> None:
    google.answer(400, _error(400, "Voice 'ar-XA-Nobody-Z' does not exist."))
    with pytest.raises(EngineError, match=r"\[speech.google-cloud\] voice.*ar-XA-Nobody-Z"):
        _say(_engine(voice="ar-XA-Nobody-Z"), "مرحبا")
    assert len(google.posts) == 1


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_an_unreachable_service_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_CLOUD_TTS_ENDPOINT", f"http://127.0.0.1:{_closed_port()}")
    monkeypatch.setenv("GOOGLE_CLOUD_API_KEY", KEY)
    with pytest.raises(EngineError, match="could not reach Google Cloud") as info:
        _say(_engine(retries=2), "مرحبا")
    assert KEY not in str(info.value)


def test_without_credentials_the_engine_says_which_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for variable in VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    available = _engine().availability()
    assert not available.ok and all(v in available.reason for v in VARIABLES)
    with pytest.raises(EngineError) as info:
        _engine().synthesize("مرحبا")
    assert all(v in str(info.value) for v in VARIABLES)


def test_credentials_are_sent_only_to_https_or_this_machine(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GOOGLE_CLOUD_API_KEY", KEY)
    monkeypatch.setenv("GOOGLE_CLOUD_TTS_ENDPOINT", "http://tts.example.org")
    available = _engine().availability()
    assert not available.ok and "GOOGLE_CLOUD_TTS_ENDPOINT" in available.reason
    monkeypatch.setenv("GOOGLE_CLOUD_TTS_ENDPOINT", "https://eu-texttospeech.googleapis.com/")
    assert _engine().availability().ok


def test_a_key_with_a_line_break_is_refused_without_showing_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GOOGLE_CLOUD_API_KEY", KEY + "\nX-Other: 1")
    available = _engine().availability()
    assert not available.ok and "GOOGLE_CLOUD_API_KEY" in available.reason
    assert KEY not in available.reason


def test_a_service_accounts_token_is_sent_as_bearer_and_asked_for_once(
    google: FakeGoogle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, pem = service_account(tmp_path, google.url + "/token")
    monkeypatch.delenv("GOOGLE_CLOUD_API_KEY")
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(path))
    assert "GOOGLE_APPLICATION_CREDENTIALS" in _engine().availability().reason
    engine = _engine()
    _say(engine, "مرحبا")
    _say(engine, "بكم")
    [token] = google.tokens
    grant = dict(part.split("=", 1) for part in token.body.decode().split("&"))
    assert grant["grant_type"] == "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"
    header, payload, signature = grant["assertion"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    assert claims["scope"] == "https://www.googleapis.com/auth/cloud-platform"
    assert claims["iss"] == "nashra@nashra-test.iam.gserviceaccount.com"
    _verify(pem, f"{header}.{payload}", signature)  # signed with the file's private key
    assert [p.header("Authorization") for p in google.posts] == [f"Bearer {TOKEN}"] * 2
    assert all(p.header("X-Goog-Api-Key") is None for p in google.posts)


def _verify(pem: str, signed: str, signature: str) -> None:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    key = serialization.load_pem_private_key(pem.encode(), password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
    key.public_key().verify(raw, signed.encode(), padding.PKCS1v15(), hashes.SHA256())


def test_a_broken_credentials_file_is_said_without_its_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "sa.json"
    path.write_text('{"type": "service_account", "private_key": "SECRET-PEM"}')
    monkeypatch.delenv("GOOGLE_CLOUD_API_KEY", raising=False)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(path))
    with pytest.raises(EngineError, match="GOOGLE_APPLICATION_CREDENTIALS") as info:
        _engine().synthesize("مرحبا")
    assert "SECRET-PEM" not in str(info.value)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("voice", "ar XA<", "voice must"),
        ("speaking_rate", 5.0, "speaking_rate must"),
        ("pitch", 21.0, "pitch must"),
        ("max_bytes", 6000, "max_bytes must"),
        ("price_per_million", 0.0, "price_per_million must"),
        ("request_rate", 0.0, "request_rate must"),
    ],
)
def test_bad_options_are_refused(key: str, value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        GoogleCloudEngine.check_options(GoogleCloudOptions(**{key: value}))  # type: ignore[arg-type]


def test_a_chirp_voice_refuses_a_pitch() -> None:
    with pytest.raises(ValueError, match="pitch must be 0"):
        GoogleCloudEngine.check_options(
            GoogleCloudOptions(voice="ar-XA-Chirp3-HD-Achernar", pitch=2.0)
        )


def test_voice_id_names_what_changes_the_sound_and_never_the_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GOOGLE_CLOUD_API_KEY", KEY)
    ids = {
        _engine().voice_id(),
        _engine(voice="ar-XA-Wavenet-A").voice_id(),
        _engine(speaking_rate=1.1).voice_id(),
        _engine(pitch=1.0).voice_id(),
    }
    assert len(ids) == 4 and not any(KEY in i for i in ids)
    assert _engine().voice_id() == _engine(max_bytes=1000, retries=2).voice_id()
    assert KEY.encode() not in pickle.dumps(_engine())


def test_the_price_is_the_setting_and_billing_counts_the_ssml_sent() -> None:
    assert GoogleCloudEngine.paid is True
    assert _engine().price_per_million() is None
    assert _engine(price_per_million=16.0).price_per_million() == 16.0
    request = 'زيد &amp; عمرو، <break time="200ms"/> وبكر.'
    # Every character of the SSML input, tags and escapes included: <speak> and </speak> too.
    assert _engine().billed_characters(request) == len(request) + len("<speak></speak>")
    # A Chirp voice is sent the plain text alone.
    chirp = _engine(voice="ar-XA-Chirp3-HD-Achernar")
    assert chirp.billed_characters(request) == len("زيد & عمرو، وبكر.")


def _project(root: Path) -> Path:
    from tests.support import CORPUS

    return make_project(
        root,
        [CORPUS / "saudinewsnet" / "04-alweeam.txt"],
        engine="google-cloud",
        options={"google-cloud": {"backoff": 0.001, "request_rate": 1000.0}},
    )


def test_a_key_in_podcast_toml_is_refused_naming_the_variables(tmp_path: Path) -> None:
    project = _project(tmp_path / "p")
    toml = project / "podcast.toml"
    toml.write_text(
        set_key(toml.read_text(encoding="utf-8"), "speech.google-cloud", "api_key", KEY)
    )
    with pytest.raises(SettingsError) as info:
        load_settings(project)
    assert all(v in str(info.value) for v in VARIABLES) and KEY not in str(info.value)


def _everything_written(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def test_a_build_with_google_cloud_makes_an_episode_and_the_key_is_nowhere(
    google: FakeGoogle, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.test_cli import run

    caplog.set_level(logging.DEBUG)
    project = _project(tmp_path / "p")
    code, out, err = run("build", "-v", "-p", str(project))
    assert code == 0, err
    assert len(list((project / "output" / "episodes").glob("*.mp3"))) == 1
    assert google.posts and all(p.header("X-Goog-Api-Key") == KEY for p in google.posts)
    assert all(p.ssml().tag == "speak" for p in google.posts)
    assert any("<break" in p.json()["input"]["ssml"] for p in google.posts)
    for path in _everything_written(project):
        assert KEY.encode() not in path.read_bytes(), path
    assert KEY not in out + err + caplog.text
    # Google's timepoints reach the episode: a JSON transcript, a word a segment, in order;
    # the feed names it beside the chapters.
    [transcript] = (project / "output" / "episodes").glob("*.transcript.json")
    segments = json.loads(transcript.read_bytes())["segments"]
    starts = [s["startTime"] for s in segments]
    assert len(segments) > 20 and starts == sorted(starts)
    feed_xml = (project / "output" / "feed.xml").read_bytes()
    assert b'type="application/json"' in feed_xml and b"podcast:chapters" in feed_xml
    # A rebuild asks Google nothing and changes nothing.
    before = {p: p.read_bytes() for p in _everything_written(project / "output")}
    posts = len(google.posts)
    code, _, err = run("build", "-p", str(project))
    assert code == 0, err
    assert len(google.posts) == posts
    assert {p: p.read_bytes() for p in _everything_written(project / "output")} == before


def test_a_build_with_a_service_account_leaves_no_token_or_private_key(
    google: FakeGoogle,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from tests.test_cli import run

    caplog.set_level(logging.DEBUG)
    path, pem = service_account(tmp_path, google.url + "/token")
    monkeypatch.delenv("GOOGLE_CLOUD_API_KEY")
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(path))
    project = _project(tmp_path / "p")
    code, out, err = run("build", "-v", "-p", str(project))
    assert code == 0, err
    assert google.tokens and all(
        p.header("Authorization") == f"Bearer {TOKEN}" for p in google.posts
    )
    secret_line = pem.splitlines()[1]
    for written in _everything_written(project):
        data = written.read_bytes()
        assert TOKEN.encode() not in data and secret_line.encode() not in data, written
    assert TOKEN not in out + err + caplog.text and secret_line not in out + err + caplog.text


def test_a_build_refused_with_403_fails_clearly(
    google: FakeGoogle, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.support import CORPUS
    from tests.test_cli import run

    caplog.set_level(logging.DEBUG)
    project = _project(tmp_path / "p")
    assert run("build", "-p", str(project))[0] == 0
    published = {p.name: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()}
    shutil.copy(CORPUS / "saudinewsnet" / "01-alwatan.txt", project / "articles")
    google.requests.clear()
    for _ in range(50):
        google.answer(403, _error(403, "The caller does not have permission"))
    code, out, err = run("build", "-p", str(project))
    # Refused credentials are the project's configuration: exit 2, nothing published changes.
    assert code == 2, err
    assert "403" in err + caplog.text and "Text-to-Speech API" in err + caplog.text
    now = {p.name: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()}
    assert now == published
    assert 1 <= len(google.posts) <= GoogleCloudOptions.concurrency
    assert KEY not in out + err + caplog.text


def test_a_build_without_credentials_stops_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_cli import run

    for variable in VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    code, _, err = run("build", "-p", str(_project(tmp_path / "p")))
    assert code == 2 and all(v in err for v in VARIABLES)


def test_nashra_engines_shows_whether_google_cloud_can_run(
    google: FakeGoogle, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_cli import run

    _, out, _ = run("engines")
    [row] = [line for line in out.splitlines() if line.startswith("google-cloud ")]
    assert "available" in row and "unavailable" not in row and "online" in row
    assert KEY not in out
    monkeypatch.delenv("GOOGLE_CLOUD_API_KEY")
    _, out, _ = run("engines")
    [row] = [line for line in out.splitlines() if line.startswith("google-cloud ")]
    assert "unavailable" in row and "GOOGLE_CLOUD_API_KEY" in row


def test_voices_list_shows_googles_arabic_voices(google: FakeGoogle, tmp_path: Path) -> None:
    from tests.test_cli import run

    code, out, _ = run("voices", "list", "--engine", "google-cloud", "-p", str(tmp_path))
    assert code == 0
    assert [line.split() for line in out.splitlines()] == [
        ["ar-XA-Chirp3-HD-Achernar", "ar-XA", "FEMALE", "24000", "Hz"],
        ["ar-XA-Wavenet-B", "ar-XA", "MALE", "24000", "Hz"],
    ]
    [seen] = google.requests
    assert (seen.method, seen.path) == ("GET", "/v1/voices?languageCode=ar-XA")
    assert seen.header("X-Goog-Api-Key") == KEY


def test_voices_list_says_when_google_cannot_be_reached(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tests.test_cli import run

    monkeypatch.setenv("GOOGLE_CLOUD_TTS_ENDPOINT", f"http://127.0.0.1:{_closed_port()}")
    monkeypatch.setenv("GOOGLE_CLOUD_API_KEY", KEY)
    code, out, err = run("voices", "list", "--engine", "google-cloud", "-p", str(tmp_path))
    assert code == 1
    assert "cannot list Google Cloud's voices: could not reach Google Cloud" in err
    assert KEY not in out + err


def test_probe_asks_google_for_a_word(google: FakeGoogle) -> None:
    assert _engine().probe().ok
    assert google.posts[0].text() == "نشرة"
    google.answer(403)
    refused = _engine().probe()
    assert not refused.ok and "403" in refused.reason and KEY not in refused.reason


def test_each_word_is_marked_and_timed_by_googles_timepoints(google: FakeGoogle) -> None:
    engine = _engine()
    [request] = engine.plan(
        _script(("قال الوزير، إن <الاجتماع> انتهى", 200), ("نعم.", 350))
    ).utterances
    clip = engine.synthesizer()(request.speech)
    [seen] = google.posts
    assert seen.path == "/v1beta1/text:synthesize"
    assert seen.json()["enableTimePointing"] == ["SSML_MARK"]
    assert seen.json()["input"]["ssml"] == (
        '<speak><mark name="w0"/>قال <mark name="w1"/>الوزير، <mark name="w2"/>إن '
        '<mark name="w3"/>&lt;الاجتماع&gt; <mark name="w4"/>انتهى <break time="200ms"/> '
        '<mark name="w5"/>نعم.</speak>'
    )
    words = ["قال", "الوزير،", "إن", "<الاجتماع>", "انتهى", "نعم."]
    assert [w.text for w in clip.words] == words
    assert [w.start for w in clip.words] == [n * WORD_SECONDS for n in range(6)]
    assert [w.end for w in clip.words[:-1]] == [w.start for w in clip.words[1:]]
    # The last word's end is not reported: it is given the pace of the words before it.
    last = clip.words[-1]
    assert last.end == pytest.approx(last.start + 1.25 / 27 * 4, abs=0.001)
    # The marks are not billed, and a voice without SSML has none.
    assert engine.billed_characters(request.speech) == len(request.speech) + 15
    assert "words" in engine.voice_id()
    assert "words" not in _engine(voice="ar-XA-Chirp3-HD-Achernar").voice_id()


@pytest.mark.parametrize(
    "points",
    [
        [{"markName": "w0", "timeSeconds": 0.5}, {"markName": "w1", "timeSeconds": 0.2}],
        [{"markName": "w9", "timeSeconds": 0.5}],
        [{"markName": "x", "timeSeconds": 0.5}],
        [{"markName": "w0", "timeSeconds": 1e300 * 1e300}],
        [{"markName": "w0", "timeSeconds": -1}],
    ],
)
def test_timepoints_that_cannot_be_are_no_word_timings(
    google: FakeGoogle, points: list[dict[str, object]]
) -> None:
    answer = {"audioContent": base64.b64encode(tiny_mp3()).decode(), "timepoints": points}
    google.answer(200, json.dumps(answer).encode(), Content_Type="application/json")
    engine = _engine()
    [request] = engine.plan(_script(("قال الوزير", 350))).utterances
    clip = engine.synthesizer()(request.speech)
    assert clip.data == tiny_mp3() and clip.words == ()


@pytest.mark.parametrize(
    ("request_text", "marked", "words"),
    [
        (
            'قال &amp; زيد، <break time="200ms"/> نعم',
            '<mark name="w0"/>قال &amp; <mark name="w1"/>زيد، <break time="200ms"/> '
            '<mark name="w2"/>نعم',
            ("قال", "زيد،", "نعم"),
        ),
        # An element the lexicon adds is one word: its mark before it, never inside.
        (
            'قالت <sub alias="منظمة الصحة العالمية">WHO</sub> اليوم',
            '<mark name="w0"/>قالت <mark name="w1"/><sub alias="منظمة الصحة العالمية">WHO</sub> '
            '<mark name="w2"/>اليوم',
            ("قالت", "WHO", "اليوم"),
        ),
    ],
)
def test_marks_go_before_each_word_and_never_inside_an_element(
    request_text: str, marked: str, words: tuple[str, ...]
) -> None:
    assert with_marks(request_text) == (marked, words)
