import os
from pathlib import Path

import pytest

from nashra.core.model import Clip, WordTime
from nashra.engines.base import wav_clip
from nashra.storage import clip_words
from nashra.storage.cache import HEAD, ClipCache, clip_key, clip_problem
from tests.gtts_mock import tiny_mp3

WAV = wav_clip(b"\1\0" * 2000, 16_000)
MP3 = Clip(tiny_mp3(), "mp3")


def test_key_covers_engine_voice_and_exact_text() -> None:
    base = clip_key("espeak", "ar/150", "مرحبا")
    assert base == clip_key("espeak", "ar/150", "مرحبا")
    assert base != clip_key("gtts", "ar/150", "مرحبا")
    assert base != clip_key("espeak", "ar/160", "مرحبا")
    assert base != clip_key("espeak", "ar/150", "مرحبا.")


def test_put_then_get(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    key = clip_key("gtts", "v", "نص")
    assert cache.get(key) is None and key not in cache
    cache.put(key, MP3)
    assert key in cache
    assert cache.get(key) == MP3


def test_empty_clips_never_enter(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    with pytest.raises(ValueError):
        cache.put("k" * 64, Clip(b"", "mp3"))
    assert not any(tmp_path.rglob("*.mp3"))


def test_zero_byte_file_is_a_miss(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    key = clip_key("gtts", "v", "نص")
    path = tmp_path / key[:2] / f"{key}.mp3"
    path.parent.mkdir()
    path.write_bytes(b"")
    assert cache.get(key) is None


def test_whole_clips_pass_the_check() -> None:
    tagged = b"ID3\x04\x00\x00\x00\x00\x00\x05" + b"\0" * 5 + MP3.data
    for data, fmt in [(WAV.data, "wav"), (MP3.data, "mp3"), (tagged, "mp3")]:
        assert clip_problem(data[:HEAD], len(data), fmt) == ""


@pytest.mark.parametrize(
    ("data", "fmt", "problem"),
    [
        (WAV.data[:100], "wav", "header records 4044 bytes but the file has 100"),
        (WAV.data + b"\0" * 10, "wav", "the file has 4054"),
        (b"\0" * 100, "wav", "no RIFF/WAVE header"),
        (WAV.data[:40] + b"\xff\xff\0\0" + WAV.data[44:], "wav", "data chunk records"),
        (b"\0" * 100, "mp3", "neither an ID3 tag nor an MPEG frame"),
        (b"ID3\x04\x00\x00\x00\x00\x10\x00" + MP3.data[:100], "mp3", "ID3 tag records"),
        (b"ID3\x04\x00\x00\x00\x00\x00\x02" + b"ab" + b"cd" * 50, "mp3", "no MPEG frame"),
    ],
)
def test_damaged_clips_are_found(data: bytes, fmt: str, problem: str) -> None:
    assert problem in clip_problem(data[:HEAD], len(data), fmt)


@pytest.mark.parametrize("cut", [0, 20, 100, len(WAV.data) - 1])
def test_a_damaged_clip_is_a_miss_and_is_removed(
    tmp_path: Path, cut: int, caplog: pytest.LogCaptureFixture
) -> None:
    cache = ClipCache(tmp_path)
    key = clip_key("fake", "v", "نص")
    path = cache.put(key, WAV)
    with path.open("r+b") as handle:
        handle.truncate(cut)
    assert key not in cache
    assert cache.get(key) is None
    assert not path.exists()
    assert "damaged" in caplog.text or cut == 0


def test_damaged_clips_never_enter(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    with pytest.raises(ValueError, match="damaged"):
        cache.put("k" * 64, Clip(WAV.data[:100], "wav"))
    assert not any(tmp_path.rglob("*.wav"))


def test_clips_are_flushed_to_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    flushed: list[int] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        flushed.append(fd)
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    ClipCache(tmp_path).put(clip_key("fake", "v", "نص"), WAV)
    assert len(flushed) >= 2  # the clip, then its folder's entry


WORDS = (WordTime(0.05, 0.4, "قال"), WordTime(0.45, 0.9, "الوزير"))


def test_a_clip_keeps_its_word_timings(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    key = clip_key("espeak", "v", "قال الوزير")
    cache.put(key, Clip(WAV.data, "wav", WORDS))
    assert cache.get(key) == Clip(WAV.data, "wav", WORDS)
    assert cache.keys() == {key}  # the companion is no clip of its own
    assert {p.name for p in (tmp_path / key[:2]).iterdir()} == {f"{key}.wav", f"{key}.words.json"}
    cache.put(key, WAV)  # voiced again without words: the old words go
    assert cache.get(key) == WAV


def test_a_clip_cached_before_word_timings_has_none(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    key = clip_key("espeak", "v", "نص")
    cache.put(key, WAV)
    assert cache.get(key) == WAV and cache.get(key).words == ()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("companion", "problem"),
    [
        (b"\xff\xfe", "not JSON"),
        (b"[]", "not a word timings file"),
        (b'{"version": 2, "words": []}', "not a word timings file"),
        (b'{"version": 1, "words": {}}', "not a list"),
        (b'{"version": 1, "words": [[0, 1]]}', "word 1 is not"),
        (b'{"version": 1, "words": [[0, "1", "a"]]}', "not a number"),
        (b'{"version": 1, "words": [[0, 1e999, "a"]]}', "not a number"),
        (b'{"version": 1, "words": [[true, 1, "a"]]}', "not a number"),
        (b'{"version": 1, "words": [[1, 0.5, "a"]]}', "out of order"),
        (b'{"version": 1, "words": [[-1, 0.5, "a"]]}', "out of order"),
        (b'{"version": 1, "words": [[0.5, 0.6, "a"], [0.1, 0.2, "b"]]}', "word 2"),
        (b'{"version": 1, "words": [[0, 1, " "]]}', "not a word"),
        (b'{"version": 1, "words": [[0, 1, 7]]}', "not a word"),
    ],
)
def test_damaged_word_timings_are_refused(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, companion: bytes, problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        clip_words.decode(companion)
    # In the cache, the clip is then voiced again, words and all.
    cache = ClipCache(tmp_path)
    key = clip_key("espeak", "v", "قال الوزير")
    cache.put(key, Clip(WAV.data, "wav", WORDS))
    (tmp_path / key[:2] / f"{key}.words.json").write_bytes(companion)
    assert key not in cache and cache.get(key) is None
    assert not list((tmp_path / key[:2]).iterdir())
    assert "word timings" in caplog.text and problem in caplog.text


def test_word_timings_round_trip() -> None:
    assert clip_words.decode(clip_words.encode(WORDS)) == WORDS
    assert clip_words.decode(clip_words.encode(())) == ()


def test_shared_storage_keeps_word_timings(tmp_path: Path) -> None:
    pytest.importorskip("fsspec")
    from nashra.stages.cluster.storage import SharedClips, SharedStore

    clips = SharedClips(SharedStore(tmp_path.as_uri()))
    key = clip_key("espeak", "v", "قال الوزير")
    clips.put(key, Clip(WAV.data, "wav", WORDS))
    assert clips.get(key) == Clip(WAV.data, "wav", WORDS) and clips.keys() == {key}
    # Laid out as the local cache: a local cache over the same folder reads them.
    assert ClipCache(tmp_path / "clips").get(key) == Clip(WAV.data, "wav", WORDS)
    (tmp_path / "clips" / key[:2] / f"{key}.words.json").write_bytes(b"{")
    assert clips.get(key) == WAV  # damaged words are left out, the clip is still used
    clips.put(key, WAV)
    assert not (tmp_path / "clips" / key[:2] / f"{key}.words.json").exists()
