from datetime import UTC, datetime
from pathlib import Path

from mutagen.id3 import ID3, CTOCFlags

from nashra import audio
from nashra.model import Clip
from nashra.tagging import EpisodeTags, TagChapter, read_chapters, read_engine, write_tags
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
