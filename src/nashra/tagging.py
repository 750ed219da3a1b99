"""The one adapter for mutagen: ID3 tags on episodes, and reading MP3 facts back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from mutagen.id3 import APIC, COMM, ID3, TALB, TCON, TDRC, TIT2, TLAN, TPE1, TXXX
from mutagen.mp3 import MP3, HeaderNotFoundError

from nashra.errors import AudioError

ENGINE_TAG = "nashra:engine"
VOICE_TAG = "nashra:voice"


@dataclass(frozen=True)
class EpisodeTags:
    title: str
    artist: str
    album: str
    date: datetime
    engine: str
    voice_id: str
    comment: str = ""
    cover: bytes | None = None
    cover_mime: str = "image/png"


def write_tags(path: Path, tags: EpisodeTags) -> None:
    """Replace the file's ID3 tag with ours, saved as ID3v2.3 for the widest app support."""
    id3 = ID3()
    id3.add(TIT2(encoding=3, text=tags.title))
    id3.add(TPE1(encoding=3, text=tags.artist))
    id3.add(TALB(encoding=3, text=tags.album))
    id3.add(TDRC(encoding=3, text=tags.date.strftime("%Y-%m-%d")))
    id3.add(TCON(encoding=3, text="Podcast"))
    id3.add(TLAN(encoding=3, text="ara"))
    id3.add(TXXX(encoding=3, desc=ENGINE_TAG, text=tags.engine))
    id3.add(TXXX(encoding=3, desc=VOICE_TAG, text=tags.voice_id))
    if tags.comment:
        id3.add(COMM(encoding=3, lang="ara", desc="", text=tags.comment))
    if tags.cover:
        id3.add(APIC(encoding=3, mime=tags.cover_mime, type=3, desc="Cover", data=tags.cover))
    try:
        id3.save(str(path), v2_version=3)
    except Exception as exc:  # mutagen raises several unrelated types for a bad file
        raise AudioError(f"cannot tag {path.name}: {exc}") from exc


@dataclass(frozen=True)
class Mp3Facts:
    duration: float
    bitrate: int
    sample_rate: int
    channels: int


def mp3_facts(path: Path) -> Mp3Facts:
    try:
        info = MP3(str(path)).info
    except (HeaderNotFoundError, OSError) as exc:
        raise AudioError(f"{path} is not a readable MP3: {exc}") from exc
    if info is None:
        raise AudioError(f"{path} has no MPEG audio stream")
    return Mp3Facts(
        float(info.length), int(info.bitrate), int(info.sample_rate), int(info.channels)
    )


def read_engine(path: Path) -> str | None:
    """Which engine voiced an episode, as recorded in its tags."""
    frames = ID3(str(path)).getall(f"TXXX:{ENGINE_TAG}")
    return str(frames[0].text[0]) if frames else None
