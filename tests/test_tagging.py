import io
import re
import subprocess
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from mutagen.id3 import CHAP, ID3, TIT2, CTOCFlags

from nashra.core.errors import AudioError
from nashra.core.model import Clip
from nashra.render import audio
from nashra.render.tagging import (
    EpisodeTags,
    TagChapter,
    chapters_in_time_order,
    mp3_facts,
    read_chapters,
    read_engine,
    stored_chapter_starts,
    write_tags,
)
from tests.test_audio import tone_wav


def test_tags_read_back_with_arabic(tmp_path: Path) -> None:
    out = tmp_path / "ep.mp3"
    with audio.assembled([(Clip(tone_wav(1.0), "wav"), 0)]) as result:
        audio.export_mp3(result, out, bitrate="96k", sample_rate=44100)
    cover = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    write_tags(
        out,
        EpisodeTags(
            title="خبير تسويق إلكتروني",
            artist="أحمد ماهر أبوالنصر",
            album="نشرة",
            date=datetime(2026, 11, 1, tzinfo=UTC),
            engine="espeak",
            voice_id="espeak-ng 1.52 ar 150",
            comment="وصف الحلقة",
            cover=cover,
        ),
    )
    tags = ID3(str(out))
    assert tags.version[:2] == (2, 3)
    assert str(tags["TIT2"]) == "خبير تسويق إلكتروني"
    assert str(tags["TPE1"]) == "أحمد ماهر أبوالنصر"
    assert str(tags["TALB"]) == "نشرة"
    assert str(tags.getall("TDRC")[0]).startswith("2026")
    assert tags.getall("APIC")[0].data == cover
    assert read_engine(out) == "espeak"


def test_chapters_read_back_in_table_of_contents_order(tmp_path: Path) -> None:
    out = tmp_path / "chapters.mp3"
    with audio.assembled([(Clip(tone_wav(2.5), "wav"), 0)]) as result:
        audio.export_mp3(result, out, bitrate="96k", sample_rate=44100)
    chapters = (TagChapter(0, 1.5, "المقدمة"), TagChapter(1.5, 2.25, "القسم الثاني"))
    tags = EpisodeTags(
        title="حلقة",
        artist="نشرة",
        album="نشرة",
        date=datetime(2026, 11, 1, tzinfo=UTC),
        engine="espeak",
        voice_id="v",
        chapters=chapters,
    )
    write_tags(out, tags)
    assert read_chapters(out) == list(chapters)
    id3 = ID3(str(out))
    (toc,) = id3.getall("CTOC")
    assert toc.flags == CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED
    assert list(toc.child_element_ids) == ["chp0", "chp1"]
    assert id3.version[:2] == (2, 3)


# Section titles as long-to-short as news articles have them: mutagen, storing frames
# by size, would put the last chapter first.
SECTIONS = (
    "مقدمة: أسواق الأسهم الخليجية تتعافى بعد استقرار برنت",
    "أولاً: الأسعار في الأسواق المحلية",
    "ثانياً: الإنتاج والتصدير",
    "ثالثاً: التوقعات",
    "خاتمة",
)


def five_chapter_episode(path: Path) -> EpisodeTags:
    with audio.assembled([(Clip(tone_wav(5.0), "wav"), 0)]) as result:
        audio.export_mp3(result, path, bitrate="96k", sample_rate=44100)
    chapters = tuple(TagChapter(i, i + 1, title) for i, title in enumerate(SECTIONS))
    return EpisodeTags(
        title="حلقة",
        artist="نشرة",
        album="نشرة",
        date=datetime(2026, 11, 1, tzinfo=UTC),
        engine="espeak",
        voice_id="v",
        chapters=chapters,
    )


def ffmpeg_chapters(path: Path) -> list[tuple[float, str]]:
    done = subprocess.run(
        [audio.ffmpeg_path(), "-hide_banner", "-i", str(path), "-f", "ffmetadata", "-"],
        capture_output=True,
        check=True,
    )
    blocks = done.stdout.decode("utf-8").split("[CHAPTER]")[1:]
    return [
        (
            int(re.search(r"START=(\d+)", block).group(1)) / 1000,  # type: ignore[union-attr]
            re.search(r"title=(.*)", block).group(1),  # type: ignore[union-attr]
        )
        for block in blocks
    ]


@pytest.mark.parametrize("tagged_before", [False, True])
def test_chapter_frames_are_stored_in_time_order(tmp_path: Path, tagged_before: bool) -> None:
    out = tmp_path / "five.mp3"
    tags = five_chapter_episode(out)
    if tagged_before:  # a file that already has a tag is re-tagged in place
        write_tags(out, replace(tags, chapters=()))
    write_tags(out, tags)

    stored = ID3(str(out)).getall("CHAP")  # mutagen lists frames as the file stores them
    assert [c.element_id for c in stored] == ["chp0", "chp1", "chp2", "chp3", "chp4"]
    assert [c.start_time for c in stored] == [0, 1000, 2000, 3000, 4000]
    assert stored_chapter_starts(out) == [0, 1, 2, 3, 4]
    assert read_chapters(out) == list(tags.chapters)
    # ffmpeg lists CHAP frames in stored order; it shifts all but the first by the
    # encoder delay it skips (25 ms at 44.1 kHz).
    listed = ffmpeg_chapters(out)
    assert [title for _, title in listed] == list(SECTIONS)
    assert [round(start) for start, _ in listed] == [0, 1, 2, 3, 4]


def test_reordering_keeps_the_tag_and_its_length() -> None:
    id3 = ID3()
    id3.add(TIT2(encoding=3, text="حلقة"))
    for i, title in enumerate(SECTIONS):
        id3.add(
            CHAP(
                element_id=f"chp{i}",
                start_time=i * 1000,
                end_time=i * 1000 + 1000,
                sub_frames=[TIT2(encoding=3, text=title)],
            )
        )
    raw = io.BytesIO()
    id3.save(raw, v2_version=3)
    tag = raw.getvalue()

    ordered = chapters_in_time_order(tag)
    assert len(ordered) == len(tag)
    assert chapters_in_time_order(ordered) == ordered
    reread = ID3(io.BytesIO(ordered))
    assert [c.start_time for c in reread.getall("CHAP")] == [0, 1000, 2000, 3000, 4000]
    assert str(reread["TIT2"]) == "حلقة"


@pytest.mark.parametrize("seconds", [0.15, 0.2, 0.3, 0.45, 0.6, 1.0, 1.3])
def test_a_short_constant_bitrate_episode_reports_its_frames_bitrate(
    tmp_path: Path, seconds: float
) -> None:
    # mutagen measures a CBR file's bitrate from its byte count, which frame padding
    # puts a kbps off for a short episode (95999 for a 0.8 s one): `check` said 95 kbps.
    out = tmp_path / "short.mp3"
    with audio.assembled([(Clip(tone_wav(seconds), "wav"), 300)]) as result:
        audio.export_mp3(result, out, bitrate="96k", sample_rate=44100, loudness=-16.0)
    assert mp3_facts(out).bitrate == 96_000


@pytest.mark.parametrize(
    "content",
    [
        b"ID3\x09\x00\x00\x00\x00\x00\x10" + b"garbage" * 10,  # an ID3 version mutagen refuses
        b"ID3\x04\x00\x00\x7f\x7f\x7f\x7f" + b"\x00" * 64,  # a tag longer than the file
        b"\x00" * 4096,  # zeros: no frame at all
        b"",
    ],
    ids=["id3-version", "id3-size", "zeros", "empty"],
)
def test_a_damaged_mp3_is_an_audio_error_naming_the_file(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "bad.mp3"
    bad.write_bytes(content)
    with pytest.raises(AudioError, match=r"bad\.mp3"):
        mp3_facts(bad)
