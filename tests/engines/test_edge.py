"""The edge engine against a real local server speaking Edge's read-aloud protocol
(tests/edge_server.py), reached through the public `connector` door of edge-tts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from nashra.core.errors import EngineError
from nashra.core.model import Script, Utterance, WordTime
from nashra.engines import create_engine
from nashra.engines.edge.engine import EdgeEngine, EdgeOptions
from tests.edge_server import (
    BASE,
    FIRST_TICKS,
    STEP_TICKS,
    TOKEN,
    WORD_TICKS,
    FakeEdge,
    boundary,
    expected_words,
    serving,
)
from tests.gtts_mock import tiny_mp3
from tests.support import CORPUS, make_project

HOSTILE = "قال <b>زيد</b> & عمرو ]]> </voice><voice name='en-US-X'> \"اقتباس\""
SALMA = "Microsoft Server Speech Text to Speech Voice (ar-EG, SalmaNeural)"


@pytest.fixture
def edge(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeEdge]:
    with serving(monkeypatch) as fake:
        yield fake


def _engine(**options: object) -> EdgeEngine:
    fast = {"backoff": 0.001, "request_rate": 1000.0}
    engine = create_engine("edge", EdgeOptions(**{**fast, **options}))  # type: ignore[arg-type]
    assert isinstance(engine, EdgeEngine)
    return engine


def _script(*utterances: tuple[str, int], chapter: int = 0) -> Script:
    return Script(
        utterances=tuple(Utterance(s, s, pause, chapter) for s, pause in utterances),
        chapters=("عنوان",),
    )


def _request(engine: EdgeEngine, text: str) -> str:
    [request] = engine.plan(_script((text, 350))).utterances
    return request.speech


def test_a_request_is_the_text_in_the_voice_with_its_prosody(edge: FakeEdge) -> None:
    engine = _engine(rate="+10%", pitch="-5Hz", volume="+20%")
    clip = engine.synthesizer()(_request(engine, "مرحبا بكم في النشرة"))
    assert (clip.data, clip.format) == (tiny_mp3(), "mp3")
    [seen] = edge.connections
    assert seen.path == f"{BASE}/edge/v1"
    assert seen.query["TrustedClientToken"] == TOKEN and seen.query["Sec-MS-GEC"]
    _, body = seen.message("speech.config")
    audio = json.loads(body)["context"]["synthesis"]["audio"]
    assert audio["outputFormat"] == "audio-24khz-48kbitrate-mono-mp3"
    assert audio["metadataoptions"]["wordBoundaryEnabled"] == "true"
    assert seen.voice == SALMA
    assert seen.prosody == {"rate": "+10%", "pitch": "-5Hz", "volume": "+20%"}
    assert seen.text == "مرحبا بكم في النشرة"
    assert edge.voice_lists == 0  # the build checks the voice, once, before voicing


def test_word_timings_are_the_boundaries_edge_sent_in_seconds(edge: FakeEdge) -> None:
    engine = _engine()
    clip = engine.synthesize(_request(engine, "قال الوزير إن الاجتماع ناجح"))
    expected = expected_words("قال الوزير إن الاجتماع ناجح")
    assert [w.text for w in clip.words] == [text for _, _, text in expected]
    assert [w.start for w in clip.words] == pytest.approx([start for start, _, _ in expected])
    assert [w.end for w in clip.words] == pytest.approx([end for _, end, _ in expected])
    # 500,000 ticks of 100 ns are 50 ms; each word 250 ms long, 300 ms apart.
    assert clip.words[0] == WordTime(0.05, 0.3, "قال")
    assert clip.words[4].start == pytest.approx((FIRST_TICKS + 4 * STEP_TICKS) / 1e7)


def test_boundaries_that_are_not_timed_words_are_dropped(edge: FakeEdge) -> None:
    edge.answer(
        metadata=[
            boundary(1_000_000, WORD_TICKS, "أول"),
            boundary(-5, WORD_TICKS, "سالب"),
            boundary(2_000_000, float("nan"), "مجهول"),
            boundary(3_000_000, WORD_TICKS, "   "),
            boundary(500_000, WORD_TICKS, "متأخر"),
            boundary(4_000_000, WORD_TICKS, "ثان"),
        ]
    )
    engine = _engine()
    clip = engine.synthesize(_request(engine, "أول ثان"))
    assert [w.text for w in clip.words] == ["أول", "ثان"]
    assert clip.words[1] == WordTime(0.4, 0.65, "ثان")


def test_metadata_edge_tts_cannot_read_is_one_clear_error(edge: FakeEdge) -> None:
    edge.answer(metadata=[boundary("soon", WORD_TICKS, "أول")])
    engine = _engine()
    with pytest.raises(EngineError, match=r"cannot read.*upgrade edge-tts") as info:
        engine.synthesizer()(_request(engine, "أول"))
    assert not info.value.transient and len(edge.connections) == 1


def test_a_stream_of_audio_that_goes_on_is_refused(edge: FakeEdge) -> None:
    edge.answer(audio_bytes=17_000_000)
    engine = _engine()
    with pytest.raises(EngineError, match="more than 16,000,000 bytes of audio") as info:
        engine.synthesizer()(_request(engine, "مرحبا"))
    assert not info.value.transient and len(edge.connections) == 1


def test_hostile_article_text_is_said_as_written(edge: FakeEdge) -> None:
    engine = _engine()
    engine.synthesize(_request(engine, HOSTILE))
    [seen] = edge.connections
    assert seen.text == HOSTILE
    assert seen.voice == SALMA
    assert "<b>" not in seen.message("ssml")[1]


def test_a_paragraph_is_one_request_sent_without_its_inner_pauses(edge: FakeEdge) -> None:
    engine = _engine()
    script = _script(("الجملة الأولى،", 200), ("والثانية.", 350), ("فقرة.", 800), ("أخرى.", 800))
    requests = engine.plan(script).utterances
    assert len(requests) == 2
    assert (
        requests[0].speech
        == 'الجملة الأولى، <break time="200ms"/> والثانية. <break time="350ms"/> فقرة.'
    )
    engine.synthesize(requests[0].speech)
    assert edge.connections[0].text == "الجملة الأولى، والثانية. فقرة."


def test_requests_stay_within_max_bytes_and_a_longer_one_is_refused_unsent(
    edge: FakeEdge,
) -> None:
    sentence = "كلمة " * 30  # 150 characters, 270 bytes
    script = _script(*[(sentence, 350)] * 4)
    requests = _engine(max_bytes=600).plan(script).utterances
    assert len(requests) == 2
    assert all(len(r.speech.encode()) <= 600 for r in requests)
    huge = _request(_engine(), "كلمة " * 500)  # one sentence of 4,500 bytes
    with pytest.raises(EngineError, match="4096"):
        _engine().synthesize(huge)
    assert edge.connections == []


def test_429_and_503_are_retried(edge: FakeEdge) -> None:
    edge.answer(status=429, headers={"Retry-After": "0"})
    edge.answer(status=503)
    engine = _engine()
    assert engine.synthesizer()(_request(engine, "مرحبا")).data == tiny_mp3()
    assert len(edge.connections) == 3


def test_a_refused_handshake_says_to_upgrade_edge_tts_and_is_not_retried(
    edge: FakeEdge,
) -> None:
    edge.answer(status=403)
    edge.answer(status=403)
    engine = _engine()
    with pytest.raises(EngineError, match=r"403.*upgrade edge-tts") as info:
        engine.synthesizer()(_request(engine, "مرحبا"))
    assert not info.value.transient and not info.value.refused
    # edge-tts's own second try after a 403 cannot reuse the socket's connector, which its
    # first session closed (against Edge itself it tries once more, its clock set by the Date).
    assert len(edge.connections) == 1


def test_a_service_that_does_not_answer_times_out(edge: FakeEdge) -> None:
    edge.answer(hang=True)
    edge.answer(hang=True)
    engine = _engine(timeout=0.5, retries=2)
    with pytest.raises(EngineError, match=r"did not answer within 0.5 s.*gave up after 2"):
        engine.synthesizer()(_request(engine, "مرحبا"))
    assert len(edge.connections) == 2


def test_an_unreachable_service_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NASHRA_EDGE_SOCKET", str(tmp_path / "nobody.sock"))
    engine = _engine(retries=2)
    with pytest.raises(EngineError, match="could not reach the local socket"):
        engine.synthesizer()(_request(engine, "مرحبا"))


def test_a_voice_edge_does_not_have_is_named_from_its_list_without_speech(edge: FakeEdge) -> None:
    engine = _engine()
    missing = engine.unknown_voices(["ar-XX-NobodyNeural", "ar-EG-SalmaNeural"])
    assert list(missing) == ["ar-XX-NobodyNeural"]
    assert "Edge has no voice called 'ar-XX-NobodyNeural'" in missing["ar-XX-NobodyNeural"]
    assert edge.connections == [] and edge.voice_lists == 1
    assert engine.voice_locale() == "ar-EG"


def test_a_voice_list_out_of_reach_is_an_error_for_the_build_to_report(edge: FakeEdge) -> None:
    edge.voices_status = 500
    with pytest.raises(EngineError):
        _engine().unknown_voices(["ar-XX-NobodyNeural"])
    assert edge.connections == []


def test_without_the_voice_list_an_unknown_voice_is_said_by_its_missing_audio(
    edge: FakeEdge,
) -> None:
    edge.voices_status = 500
    engine = _engine(voice="ar-XX-NobodyNeural", retries=2)
    with pytest.raises(EngineError, match=r"sent no audio.*\[speech.edge\] voice.*after 2 tries"):
        engine.synthesizer()(_request(engine, "مرحبا"))
    assert len(edge.connections) == 2


def test_an_answer_without_audio_is_tried_again(edge: FakeEdge) -> None:
    # Edge does this now and then for a voice it has (edge-tts's issues #140, #473).
    edge.answer(audio=False)
    engine = _engine()
    assert engine.synthesizer()(_request(engine, "مرحبا")).data == tiny_mp3()
    assert len(edge.connections) == 2


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("voice", "ar-EG-Salma'/><x", "voice must"),
        ("voice", "ar-EG-Salma", "voice must"),
        ("rate", "+150%", "rate must"),
        ("rate", "1.2", "rate must"),
        ("pitch", "+5%", "pitch must"),
        ("volume", "-100%", "volume must"),
        ("max_bytes", 5000, "max_bytes must"),
        ("request_rate", 0.0, "request_rate must"),
    ],
)
def test_bad_options_are_refused(key: str, value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        EdgeEngine.check_options(EdgeOptions(**{key: value}))  # type: ignore[arg-type]


def test_voice_id_names_what_changes_the_sound() -> None:
    ids = {
        _engine().voice_id(),
        _engine(voice="ar-SA-HamedNeural").voice_id(),
        _engine(rate="+10%").voice_id(),
        _engine(pitch="+2Hz").voice_id(),
        _engine(volume="-10%").voice_id(),
    }
    assert len(ids) == 5
    assert _engine().voice_id() == _engine(timeout=5, retries=2, max_bytes=900).voice_id()


def test_the_socket_must_be_an_absolute_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NASHRA_EDGE_SOCKET", "edge.sock")
    available = _engine().availability()
    assert not available.ok and "NASHRA_EDGE_SOCKET" in available.reason
    monkeypatch.delenv("NASHRA_EDGE_SOCKET")
    available = _engine().availability()
    assert available.ok and "unofficial" in available.reason


def test_the_estimates_follow_the_rate() -> None:
    assert _engine(rate="+50%").speaking_rate() == 1.5 * _engine().speaking_rate()


def test_probe_checks_the_voice_and_asks_for_a_word(edge: FakeEdge) -> None:
    assert _engine().probe().ok
    assert edge.connections[0].text == "نشرة"
    refused = _engine(voice="ar-XX-NobodyNeural").probe()
    assert not refused.ok and "ar-XX-NobodyNeural" in refused.reason


def test_voices_list_shows_edges_arabic_voices(edge: FakeEdge, tmp_path: Path) -> None:
    from tests.test_cli import run

    code, out, _ = run("voices", "list", "--engine", "edge", "-p", str(tmp_path))
    assert code == 0
    assert [line.split() for line in out.splitlines()] == [
        ["ar-EG-SalmaNeural", "ar-EG", "Female", "General,", "Friendly"],
        ["ar-SA-HamedNeural", "ar-SA", "Male", "News"],
    ]


def test_a_voice_list_entry_that_is_not_a_voice_is_left_out(edge: FakeEdge) -> None:
    from nashra.engines.edge import service

    edge.voices = [
        *edge.voices,
        {"ShortName": "ar-EG-X'/>Neural", "Locale": "ar-EG"},
        {"ShortName": "ar-JO-SanaNeural", "Locale": "ar-JO", "Gender": "<b>"},
        {"ShortName": "ar-LB-LaylaNeural", "Locale": "ar LB <i>"},
    ]
    names = [(v.name, v.gender) for v in service.arabic_voices()]
    assert names == [
        ("ar-EG-SalmaNeural", "Female"),
        ("ar-JO-SanaNeural", "?"),
        ("ar-SA-HamedNeural", "Male"),
    ]


def test_a_voice_list_that_is_no_list_is_one_clear_error(edge: FakeEdge) -> None:
    from nashra.engines.edge import service

    edge.voices = {"voices": "none"}  # type: ignore[assignment]
    with pytest.raises(EngineError, match="cannot read"):
        service.arabic_voices()


def test_voices_list_says_when_edge_cannot_be_reached(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tests.test_cli import run

    monkeypatch.setenv("NASHRA_EDGE_SOCKET", str(tmp_path / "nobody.sock"))
    code, out, err = run("voices", "list", "--engine", "edge", "-p", str(tmp_path))
    assert code == 1 and out == ""
    assert "cannot list Edge's voices: could not reach the local socket" in err


def test_nashra_engines_shows_edge(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_cli import run

    monkeypatch.delenv("NASHRA_EDGE_SOCKET", raising=False)
    _, out, _ = run("engines")
    [row] = [line for line in out.splitlines() if line.startswith("edge ")]
    assert "available" in row and "unavailable" not in row and "unofficial" in row


def _project(root: Path, **options: object) -> Path:
    return make_project(
        root,
        [CORPUS / "saudinewsnet" / "04-alweeam.txt"],
        engine="edge",
        options={"edge": {"backoff": 0.001, "request_rate": 1000.0, **options}},
    )


def _published(project: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(project)): p.read_bytes()
        for p in (project / "output").rglob("*")
        if p.is_file()
    }


@pytest.mark.slow
def test_a_build_with_edge_makes_an_episode_and_a_rebuild_asks_nothing(
    edge: FakeEdge, tmp_path: Path
) -> None:
    from tests.test_cli import run

    project = _project(tmp_path / "p")
    code, _, err = run("build", "-p", str(project))
    assert code == 0, err
    assert len(list((project / "output" / "episodes").glob("*.mp3"))) == 1
    assert (project / "output" / "feed.xml").is_file()
    asked = len(edge.connections)
    assert asked and all(c.voice == SALMA for c in edge.connections)
    # Edge's word boundaries reach the episode: a JSON transcript a word a segment, in
    # order, within the episode, named by the feed beside the chapters.
    [transcript] = (project / "output" / "episodes").glob("*.transcript.json")
    segments = json.loads(transcript.read_bytes())["segments"]
    assert len(segments) > 20
    starts = [s["startTime"] for s in segments]
    assert starts == sorted(starts) and all(s["endTime"] >= s["startTime"] for s in segments)
    assert all(len(s["body"].split()) == 1 for s in segments)
    feed_xml = (project / "output" / "feed.xml").read_bytes()
    assert b'type="application/json"' in feed_xml and b"podcast:chapters" in feed_xml
    published = _published(project)
    code, _, err = run("build", "-p", str(project))
    assert code == 0, err
    assert len(edge.connections) == asked
    assert _published(project) == published


def test_a_build_with_a_voice_edge_lacks_stops_with_status_2(
    edge: FakeEdge, tmp_path: Path
) -> None:
    from tests.test_cli import run

    project = _project(tmp_path / "p", voice="ar-XX-NobodyNeural")
    code, _, err = run("build", "-p", str(project))
    assert code == 2
    assert "[speech.edge] voice" in err and "ar-XX-NobodyNeural" in err
    assert edge.connections == []
    assert not list((project / "output").rglob("*.mp3"))


@pytest.mark.slow
def test_episodes_edge_fails_are_voiced_by_the_fallback(edge: FakeEdge, tmp_path: Path) -> None:
    from tests.support import set_key
    from tests.test_cli import run

    for _ in range(100):
        edge.answer(status=503)
    project = _project(tmp_path / "p", retries=2, breaker=3)
    toml = project / "podcast.toml"
    toml.write_text(set_key(toml.read_text(encoding="utf-8"), "speech", "fallback", "espeak"))
    code, _, err = run("build", "-p", str(project))
    assert code == 0, err
    assert "Edge" in err and "espeak" in err
    assert len(list((project / "output" / "episodes").glob("*.mp3"))) == 1
    assert 3 <= len(edge.connections) <= 3 + EdgeOptions.concurrency
