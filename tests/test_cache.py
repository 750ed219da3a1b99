from pathlib import Path

import pytest

from nashra.cache import ClipCache, clip_key
from nashra.model import Clip


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
    cache.put(key, Clip(b"ID3...", "mp3"))
    assert key in cache
    assert cache.get(key) == Clip(b"ID3...", "mp3")


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
