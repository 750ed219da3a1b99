import os
from pathlib import Path

import pytest

from nashra.core.model import Clip
from nashra.engines.base import wav_clip
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
