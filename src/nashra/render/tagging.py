"""The one adapter for mutagen: ID3 tags on episodes, and reading MP3 facts back."""

from __future__ import annotations

import io
import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from mutagen import MutagenError
from mutagen.id3 import (
    APIC,
    CHAP,
    COMM,
    CTOC,
    ID3,
    TALB,
    TCON,
    TDRC,
    TIT2,
    TLAN,
    TPE1,
    TXXX,
    CTOCFlags,
)
from mutagen.mp3 import MP3, BitrateMode

from nashra.core.errors import AudioError

ENGINE_TAG = "nashra:engine"
VOICE_TAG = "nashra:voice"
TOC_ID = "toc"


@dataclass(frozen=True)
class TagChapter:
    start: float
    end: float
    """Seconds."""
    title: str


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
    chapters: tuple[TagChapter, ...] = field(default=())


def write_tags(path: Path, tags: EpisodeTags) -> None:
    """Replace the file's ID3 tag with ours, saved as ID3v2.3 for the widest app support.

    Chapters become one `CHAP` frame each (ID3v2 Chapter Frame Addendum) under one
    top-level, ordered `CTOC`, which is what Apple, Overcast, AntennaPod and ffmpeg read.
    """
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
    if tags.chapters:
        ids = [f"chp{i}" for i in range(len(tags.chapters))]
        id3.add(
            CTOC(
                element_id=TOC_ID,
                flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                child_element_ids=ids,
                sub_frames=[TIT2(encoding=3, text=tags.title)],
            )
        )
        for element_id, chapter in zip(ids, tags.chapters, strict=True):
            id3.add(
                CHAP(
                    element_id=element_id,
                    start_time=round(chapter.start * 1000),
                    end_time=round(chapter.end * 1000),
                    sub_frames=[TIT2(encoding=3, text=chapter.title)],
                )
            )
    try:
        with open(path, "rb") as handle:
            tagged_already = handle.read(3) == b"ID3"
        if tagged_already:
            id3.save(str(path), v2_version=3)
            _order_chapters_in_place(path)
        else:
            _prepend_tag(path, id3)
    except AudioError:
        raise
    except Exception as exc:  # mutagen raises several unrelated types for a bad file
        raise AudioError(f"cannot tag {path.name}: {exc}") from exc


def chapters_in_time_order(tag: bytes) -> bytes:
    """An ID3v2.3 tag as mutagen writes it, with its CHAP frames stored in time order.

    mutagen stores frames by size, so chapters came out as chp4, chp3, chp1, chp2,
    chp0, and ffmpeg and every reader that lists CHAP frames as stored showed them
    jumbled, whatever the CTOC says. The frames keep their places in the tag; only
    which chapter fills each CHAP place changes, so the tag keeps its length.
    """
    if tag[:3] != b"ID3" or tag[3] != 3 or tag[5] & 0xC0:
        raise AudioError("not an ID3v2.3 tag without unsynchronisation or extended header")
    end = 10 + _syncsafe(tag[6:10])
    frames: list[bytes] = []
    position = 10
    while position + 10 <= end and tag[position] != 0:  # a zero byte starts the padding
        stop = position + 10 + int.from_bytes(tag[position + 4 : position + 8], "big")
        frames.append(tag[position:stop])
        position = stop
    chapters = iter(sorted((f for f in frames if f[:4] == b"CHAP"), key=_chap_start))
    body = b"".join(next(chapters) if f[:4] == b"CHAP" else f for f in frames)
    return tag[:10] + body + tag[position:]


def _chap_start(frame: bytes) -> int:
    """A CHAP frame's start time in ms: after the header and the element id's terminator."""
    at = frame.index(b"\0", 10) + 1
    return int.from_bytes(frame[at : at + 4], "big")


def _syncsafe(data: bytes) -> int:
    return sum((byte & 0x7F) << (7 * (len(data) - 1 - i)) for i, byte in enumerate(data))


def _order_chapters_in_place(path: Path) -> None:
    with open(path, "r+b") as handle:
        head = handle.read(10)
        tag = head + handle.read(_syncsafe(head[6:10]))
        ordered = chapters_in_time_order(tag)
        if ordered != tag:
            handle.seek(0)
            handle.write(ordered)


def _prepend_tag(path: Path, id3: ID3) -> None:
    """Put the tag in front of an untagged MP3 by copying the audio after it.

    mutagen inserting a tag moves the whole file through a memory map, which for a
    four-hour episode put 176 MB more in memory; copying in 1 MB pieces keeps it flat.
    """
    tag = io.BytesIO()
    id3.save(tag, v2_version=3)
    ordered = chapters_in_time_order(tag.getvalue())
    # Named like a temporary file, so a killed build's leftover is swept up.
    audio = path.with_name(path.name + ".untagged.part")
    os.replace(path, audio)
    try:
        with open(path, "wb") as out, open(audio, "rb") as source:
            out.write(ordered)
            shutil.copyfileobj(source, out, 1 << 20)
    finally:
        audio.unlink(missing_ok=True)


@dataclass(frozen=True)
class Mp3Facts:
    duration: float
    bitrate: int
    """Bits per second: for a constant-bitrate file its frames' bitrate."""
    sample_rate: int
    channels: int


def mp3_facts(path: Path) -> Mp3Facts:
    try:
        info = MP3(str(path)).info
    except (MutagenError, OSError) as exc:  # a damaged tag raises mutagen's own errors
        raise AudioError(f"{path} is not a readable MP3: {exc}") from exc
    if info is None:
        raise AudioError(f"{path} has no MPEG audio stream")
    bitrate = int(info.bitrate)
    if info.bitrate_mode == BitrateMode.CBR:
        # mutagen measures it from the Info header's byte count, which frame padding
        # puts a kbps off in a short episode (95999 for 96k); every frame says 96000.
        bitrate = round(bitrate, -3)
    return Mp3Facts(float(info.length), bitrate, int(info.sample_rate), int(info.channels))


def read_engine(path: Path) -> str | None:
    """Which engine voiced an episode, as recorded in its tags."""
    frames = ID3(str(path)).getall(f"TXXX:{ENGINE_TAG}")
    return str(frames[0].text[0]) if frames else None


def stored_chapter_starts(path: Path) -> list[float]:
    """The start, in seconds, of each CHAP frame in the order the MP3 stores them."""
    try:
        id3 = ID3(str(path))
    except Exception as exc:  # mutagen raises several unrelated types for a bad file
        raise AudioError(f"cannot read the tags of {path.name}: {exc}") from exc
    # mutagen keeps frames in the order it read them.
    return [chap.start_time / 1000 for chap in id3.getall("CHAP")]


def read_chapters(path: Path) -> list[TagChapter]:
    """The chapters of an MP3 in the order its top-level table of contents gives."""
    try:
        id3 = ID3(str(path))
    except Exception as exc:  # mutagen raises several unrelated types for a bad file
        raise AudioError(f"cannot read the tags of {path.name}: {exc}") from exc
    tocs = [t for t in id3.getall("CTOC") if t.flags & CTOCFlags.TOP_LEVEL]
    chaps = {c.element_id: c for c in id3.getall("CHAP")}
    order = list(tocs[0].child_element_ids) if tocs else sorted(chaps)
    result = []
    for element_id in order:
        chap = chaps.get(element_id)
        if chap is None:
            continue
        titles = chap.sub_frames.getall("TIT2")
        title = str(titles[0].text[0]) if titles else ""
        result.append(TagChapter(chap.start_time / 1000, chap.end_time / 1000, title))
    return result


def read_voice(path: Path) -> tuple[str, str] | None:
    """The engine and voice id an episode's tags record, if it records both."""
    try:
        id3 = ID3(str(path))
    except Exception as exc:  # mutagen raises several unrelated types for a bad file
        raise AudioError(f"cannot read the tags of {path.name}: {exc}") from exc
    engine, voice = id3.getall(f"TXXX:{ENGINE_TAG}"), id3.getall(f"TXXX:{VOICE_TAG}")
    if not engine or not voice:
        return None
    return str(engine[0].text[0]), str(voice[0].text[0])
