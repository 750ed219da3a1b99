"""mutagen's reading of an MP3, typed: mutagen declares `FileType.info` as None and sets
most of `MPEGInfo`'s attributes by copying them from a parsed frame."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, cast

from mutagen.mp3 import MP3


class StreamFacts(Protocol):
    """The attributes mutagen documents for `MPEGInfo`, as far as the tests read them."""

    length: float
    sample_rate: int
    bitrate: int
    channels: int


def mp3_info(path: Path | str) -> StreamFacts:
    """The stream facts of the MP3 at `path` (length, sample rate, bitrate), read by mutagen."""
    return cast(StreamFacts, MP3(str(path)).info)
