"""mutagen's reading of an MP3, typed (mutagen declares `FileType.info` as None)."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from mutagen.mp3 import MP3, MPEGInfo


def mp3_info(path: Path | str) -> MPEGInfo:
    """The stream facts of the MP3 at `path` (length, sample rate, bitrate), read by mutagen."""
    return cast(MPEGInfo, MP3(str(path)).info)
