"""The gtts engine against a stand-in for Google's batchexecute endpoint (the only mock)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import imageio_ffmpeg
import pytest
import requests
import responses
from pydub import AudioSegment

from nashra.core.errors import EngineError
from nashra.engines import create_engine
from nashra.engines.gtts.engine import GttsEngine, GttsOptions, OnlineEngineError
from tests.gtts_mock import (
    BATCHEXECUTE,
    decode_request,
    mock_google,
    sent_timeouts,
    spoken_texts,
    tiny_mp3,
)

# Real chunks as the script maker packs them: at most 100 characters, ending on Arabic
# punctuation that gTTS's own tokenizer and pre-processors would treat differently.
CHUNKS = [
    "بعد الجدل الكبير الذي تسبب فيه التحديث الجديد لتطبيق واتساب،",
    "هل يستمر الجدل؟ نعم؛ يقول باسم قياتي: «لو بنتكلم مع شخص آخر فويس على واتساب!» وأضاف.",
    "ألمح البعض إلى إمكانية تسريب المحادثات التي تتم بين المستخدمين",
]


@pytest.fixture
def google() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock() as rsps:
        yield rsps


def _engine(**options: object) -> GttsEngine:
    engine = create_engine("gtts", GttsOptions(**options))  # type: ignore[arg-type]
    assert isinstance(engine, GttsEngine)
    return engine


def test_chunks_are_real_and_fit_googles_limit() -> None:
    assert all(len(chunk) <= GttsEngine.max_chars == 100 for chunk in CHUNKS)


def test_google_is_asked_for_exactly_our_chunk_in_arabic(google: responses.RequestsMock) -> None:
    mock_google(google, tiny_mp3())
    _engine().synthesize(CHUNKS[1])
    assert len(google.calls) == 1
    assert decode_request(google.calls[0].request.body) == (CHUNKS[1], "ar", False)


def test_one_chunk_is_one_request(google: responses.RequestsMock) -> None:
    mock_google(google, tiny_mp3())
    engine = _engine()
    for chunk in CHUNKS:
        engine.synthesize(chunk)
    assert spoken_texts(google) == CHUNKS


def test_a_full_100_character_chunk_is_still_one_request(google: responses.RequestsMock) -> None:
    chunk = ("واتساب، فيس بوك؟ " * 10)[:100]
    mock_google(google, tiny_mp3())
    _engine().synthesize(chunk)
    assert spoken_texts(google) == [chunk]


def test_longer_text_is_refused_before_any_request(google: responses.RequestsMock) -> None:
    with pytest.raises(EngineError, match="at most 100"):
        _engine().synthesize("ب" * 101)
    assert len(google.calls) == 0


def test_the_clip_is_the_mp3_google_sent_and_decodes(google: responses.RequestsMock) -> None:
    mock_google(google, tiny_mp3())
    clip = _engine().synthesize(CHUNKS[0])
    assert clip.format == "mp3"
    assert clip.data == tiny_mp3()
    AudioSegment.converter = imageio_ffmpeg.get_ffmpeg_exe()
    # The imageio-ffmpeg wheel has no ffprobe; naming the codec keeps pydub from asking it.
    audio = AudioSegment.from_file(io.BytesIO(clip.data), format="mp3", codec="mp3")
    assert 400 < len(audio) < 800
    assert audio.rms > 100


def test_every_request_has_the_configured_timeout(google: responses.RequestsMock) -> None:
    mock_google(google, tiny_mp3())
    _engine(timeout=7.5).synthesize(CHUNKS[0])
    assert sent_timeouts(google) == [7.5]


def test_tld_changes_the_host(google: responses.RequestsMock) -> None:
    url = "https://translate.google.com.eg/_/TranslateWebserverUi/data/batchexecute"
    mock_google(google, tiny_mp3(), host=url)
    _engine(tld="com.eg").synthesize(CHUNKS[0])
    assert google.calls[0].request.url == url


def test_voice_id_names_language_tld_and_gtts_major_version() -> None:
    base = _engine().voice_id()
    assert re.fullmatch(r"gtts2 lang=ar tld=com", base)
    assert _engine(tld="com.eg").voice_id() == "gtts2 lang=ar tld=com.eg"
    assert _engine(timeout=5, retries=2).voice_id() == base


@pytest.mark.parametrize(
    ("status", "words"),
    [(429, "rate-limiting"), (500, "try again later"), (503, "try again later"), (403, "refused")],
)
def test_http_errors_keep_their_status(
    google: responses.RequestsMock, status: int, words: str
) -> None:
    google.add(responses.POST, BATCHEXECUTE, status=status)
    with pytest.raises(OnlineEngineError) as info:
        _engine().synthesize(CHUNKS[0])
    assert info.value.status == status
    assert str(status) in str(info.value)
    assert words in str(info.value)
    assert isinstance(info.value, EngineError)


def test_unreachable_google_says_so(google: responses.RequestsMock) -> None:
    google.add(responses.POST, BATCHEXECUTE, body=requests.ConnectionError("name resolution"))
    with pytest.raises(OnlineEngineError, match=r"could not reach Google.*offline") as info:
        _engine().synthesize(CHUNKS[0])
    assert info.value.status is None


def test_a_silent_google_is_a_timeout(google: responses.RequestsMock) -> None:
    google.add(responses.POST, BATCHEXECUTE, body=requests.ReadTimeout("read timed out"))
    with pytest.raises(OnlineEngineError, match=r"did not answer within 7\.5 s") as info:
        _engine(timeout=7.5).synthesize(CHUNKS[0])
    assert info.value.status is None


def test_an_answer_without_audio_is_an_error(google: responses.RequestsMock) -> None:
    google.add(responses.POST, BATCHEXECUTE, body=")]}'\n\n[]\n")
    with pytest.raises(OnlineEngineError, match="without audio") as info:
        _engine().synthesize(CHUNKS[0])
    assert info.value.status == 200


def test_a_malformed_audio_answer_is_an_error(google: responses.RequestsMock) -> None:
    google.add(responses.POST, BATCHEXECUTE, body=')]}\'\n\n[["wrb.fr","jQ1olc",null]]\n')
    with pytest.raises(OnlineEngineError, match="200") as info:
        _engine().synthesize(CHUNKS[0])
    assert info.value.status == 200


@pytest.mark.parametrize("text", ["", "   ", "«»", "،"])
def test_nothing_to_speak_is_refused_before_any_request(
    google: responses.RequestsMock, text: str
) -> None:
    with pytest.raises(EngineError, match="nothing for Google to speak"):
        _engine().synthesize(text)
    assert len(google.calls) == 0


def test_availability_makes_no_request(google: responses.RequestsMock) -> None:
    available = _engine().availability()
    assert available.ok
    assert "online" in available.reason
    assert len(google.calls) == 0


def test_probe_asks_for_one_short_word(google: responses.RequestsMock) -> None:
    mock_google(google, tiny_mp3())
    available = _engine(timeout=60).probe()
    assert available.ok
    assert spoken_texts(google) == ["نشرة"]
    assert sent_timeouts(google) == [5.0]


def test_probe_says_why_google_cannot_be_used(google: responses.RequestsMock) -> None:
    google.add(responses.POST, BATCHEXECUTE, status=429)
    available = _engine().probe()
    assert not available.ok
    assert "429" in available.reason


def test_capabilities() -> None:
    assert GttsEngine.name == "gtts"
    assert GttsEngine.needs_network is True
    assert GttsEngine.parallelism == "threads"
