"""`nashra check` on a real build: a clean one passes; each rule catches a feed broken on purpose.

The project is built once per module with the real espeak-ng engine (two short
articles: the loudness and silence checks measure speech, not test tones); each test
copies it and breaks one thing. The same build is judged by independent readers:
ffmpeg and mutagen for chapters and loudness, webvtt-py for transcripts,
podcastparser and feedparser for the feed.
"""

from __future__ import annotations

import calendar
import io
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import podcastparser
import pytest
import webvtt
from click.testing import CliRunner
from mutagen.id3 import ID3, CTOCFlags
from PIL import Image

from nashra.check import ERROR, Finding, check_project
from nashra.cli import cli
from nashra.config.settings import load_settings
from nashra.render.audio import ffmpeg_path
from nashra.render.tagging import mp3_facts
from nashra.stages.builder import build
from nashra.storage.state import BuildState
from tests.support import CORPUS, make_project

pytestmark = pytest.mark.slow

NOW = datetime(2100, 1, 1, tzinfo=UTC)
SLUG = "04-alweeam"
TWO_SECTIONS = """\
---
title: "حلقة بفصلين"
author: فريق التحرير
---

فقرة أولى من المقالة، تقرأ في الحلقة.

## القسم الثاني

فقرة ثانية في القسم الثاني، وهي أطول قليلا من الأولى.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("built") / "podcast"
    make_project(root, [CORPUS / "saudinewsnet" / "04-alweeam.txt"], engine="espeak")
    (root / "articles" / "sections.md").write_text(TWO_SECTIONS, encoding="utf-8")
    report = build(load_settings(root), jobs=2)
    assert report.ok, report.failed
    return root


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    """A private copy of the built project, to break."""
    return Path(shutil.copytree(built, tmp_path / "podcast"))


def findings(project: Path) -> list[Finding]:
    return check_project(load_settings(project), now=NOW)


def errors(project: Path) -> list[Finding]:
    return [f for f in findings(project) if f.severity == ERROR]


def feed_path(project: Path) -> Path:
    return project / "output" / "feed.xml"


def edit_feed(project: Path, change: Callable[[str], str]) -> None:
    path = feed_path(project)
    before = path.read_text(encoding="utf-8")
    after = change(before)
    assert after != before, "the edit must change the feed"
    path.write_text(after, encoding="utf-8")


def sub(pattern: str, replacement: str, count: int = 1) -> Callable[[str], str]:
    return lambda text: re.sub(pattern, replacement, text, count=count)


def ffmpeg(*args: str) -> str:
    done = subprocess.run(
        [ffmpeg_path(), "-hide_banner", "-nostats", *args], capture_output=True, check=True
    )
    return done.stdout.decode("utf-8") + done.stderr.decode("utf-8")


# ---------------------------------------------------------------- a clean build


def test_a_clean_build_has_no_findings(built: Path) -> None:
    assert findings(built) == []


def test_the_cli_check_exits_0_on_a_clean_build(built: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "-p", str(built)])
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s)" in result.output


def test_episodes_are_normalized_to_the_podcast_loudness(built: Path) -> None:
    for mp3 in (built / "output" / "episodes").glob("*.mp3"):
        out = ffmpeg("-i", str(mp3), "-af", "ebur128=peak=true", "-f", "null", "-")
        summary = out[out.rfind("Summary:") :]
        integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))  # type: ignore[union-attr]
        peak = float(re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary).group(1))  # type: ignore[union-attr]
        assert -20.0 <= integrated <= -18.0, (mp3.name, integrated)  # mono: -19 LUFS ± 1 LU
        assert peak <= -1.0, (mp3.name, peak)


def test_ffmpeg_and_mutagen_read_the_chapters_with_arabic_titles(built: Path) -> None:
    mp3 = built / "output" / "episodes" / "sections.mp3"
    state = BuildState.load(built / ".nashra" / "state.sqlite").episodes["sections"]
    assert [c.title for c in state.chapters] == ["حلقة بفصلين", "القسم الثاني"]

    metadata = ffmpeg("-i", str(mp3), "-f", "ffmetadata", "-")
    blocks = metadata.split("[CHAPTER]")[1:]
    assert len(blocks) == 2
    starts = [int(re.search(r"START=(\d+)", b).group(1)) / 1000 for b in blocks]  # type: ignore[union-attr]
    titles = [re.search(r"title=(.*)", b).group(1) for b in blocks]  # type: ignore[union-attr]
    assert titles == ["حلقة بفصلين", "القسم الثاني"]
    assert starts[0] == 0
    # ffmpeg shifts ID3 chapter times by the MP3 stream's start time (the encoder delay
    # it skips: 1105 samples, 25 ms at 44.1 kHz); the ID3 frame holds our exact value.
    assert abs(starts[1] - state.chapters[1].start) < 0.03

    tags = ID3(str(mp3))
    (toc,) = tags.getall("CTOC")
    assert toc.flags & CTOCFlags.TOP_LEVEL and toc.flags & CTOCFlags.ORDERED
    chaps = {c.element_id: c for c in tags.getall("CHAP")}
    assert list(toc.child_element_ids) == sorted(chaps)
    ordered = [chaps[i] for i in toc.child_element_ids]
    assert [c.sub_frames.getall("TIT2")[0].text[0] for c in ordered] == titles
    assert ordered[0].end_time == ordered[1].start_time
    assert ordered[-1].end_time <= mp3_facts(mp3).duration * 1000 + 1


def test_chapter_starts_fall_in_the_silence_before_their_section(built: Path) -> None:
    """The MP3's audio at a chapter start: quiet just before, speech soon after."""
    state = BuildState.load(built / ".nashra" / "state.sqlite").episodes["sections"]
    start = state.chapters[1].start
    mp3 = built / "output" / "episodes" / "sections.mp3"
    raw = subprocess.run(
        [ffmpeg_path(), "-v", "error", "-i", str(mp3), "-f", "s16le", "-ac", "1", "-"],
        capture_output=True,
        check=True,
    ).stdout
    rate = mp3_facts(mp3).sample_rate

    def loudest(begin: float, end: float) -> int:
        window = memoryview(raw)[int(begin * rate) * 2 : int(end * rate) * 2].cast("h")
        return max(abs(v) for v in window)

    assert loudest(start - 0.5, start - 0.02) < 300
    assert loudest(start, start + 0.5) > 3000


def test_transcripts_parse_and_hold_the_written_text(built: Path) -> None:
    episodes = built / "output" / "episodes"
    vtt = webvtt.read(str(episodes / f"{SLUG}.vtt"))
    srt = webvtt.from_srt(str(episodes / f"{SLUG}.srt"))
    assert len(vtt.captions) == len(srt.captions) > 3
    duration = mp3_facts(episodes / f"{SLUG}.mp3").duration
    previous_end = 0.0
    for cue in vtt.captions:
        assert previous_end <= cue.start_in_seconds < cue.end_in_seconds <= duration
        previous_end = cue.end_in_seconds
    text = " ".join(c.text.replace("\n", " ") for c in vtt.captions)
    article = (CORPUS / "saudinewsnet" / f"{SLUG}.txt").read_text(encoding="utf-8")
    # The written text, punctuation and all, not the text prepared for the engine.
    assert "وستتخذ الإجراءات الأمنية اللازمة من قبل التحالف." in text
    assert "وستتخذ الإجراءات الأمنية اللازمة من قبل التحالف." in article
    assert [c.text for c in vtt.captions] == [c.text for c in srt.captions]


def test_parsers_see_chapters_and_transcripts_in_the_feed(built: Path) -> None:
    settings = load_settings(built)
    xml = feed_path(built).read_bytes()
    parsed = podcastparser.parse(settings.feed_url, io.BytesIO(xml))
    by_title = {e["title"]: e for e in parsed["episodes"]}
    chapters = by_title["حلقة بفصلين"]["chapters"]
    assert [c["title"] for c in chapters] == ["حلقة بفصلين", "القسم الثاني"]
    assert chapters[0]["start"] == 0

    feed = feedparser.parse(
        xml, response_headers={"content-type": "application/rss+xml; charset=utf-8"}
    )
    assert feed.bozo == 0
    for entry in feed.entries:
        assert entry.image.href.startswith(settings.base_url + "/episodes/")
    raw = xml.decode("utf-8")
    assert raw.count('type="text/vtt"') == raw.count('rel="captions"') == 2
    assert raw.count('type="application/x-subrip"') == 2
    assert raw.count('type="application/json+chapters"') == 2

    chapters_file = built / "output" / "episodes" / "sections.chapters.json"
    data = json.loads(chapters_file.read_text(encoding="utf-8"))
    assert isinstance(data["version"], str)
    assert [c["title"] for c in data["chapters"]] == ["حلقة بفصلين", "القسم الثاني"]


def test_episodes_first_published_together_have_distinct_dates_in_file_order(
    built: Path,
) -> None:
    """04-alweeam.txt and sections.md, first published by one build: sections.md, the later
    file name, is the newest, a second after the other."""
    settings = load_settings(built)
    title = BuildState.load(settings.work_dir / "state.sqlite").episodes[SLUG].title
    xml = feed_path(built).read_bytes()
    episodes = podcastparser.parse(settings.feed_url, io.BytesIO(xml))["episodes"]
    by_title = {e["title"]: e["published"] for e in episodes}
    assert by_title["حلقة بفصلين"] - by_title[title] == 1

    feed = feedparser.parse(
        xml, response_headers={"content-type": "application/rss+xml; charset=utf-8"}
    )
    assert feed.bozo == 0
    assert [e.title for e in feed.entries] == ["حلقة بفصلين", title]
    stamps = [calendar.timegm(e.published_parsed) for e in feed.entries]
    assert stamps[0] - stamps[1] == 1
    assert stamps == [by_title["حلقة بفصلين"], by_title[title]]


def test_each_item_links_to_its_episode_page(built: Path) -> None:
    settings = load_settings(built)
    xml = feed_path(built).read_bytes()
    pages = {slug: f"{settings.base_url}/episodes/{slug}.html" for slug in (SLUG, "sections")}
    episodes = podcastparser.parse(settings.feed_url, io.BytesIO(xml))["episodes"]
    assert {e["link"] for e in episodes} == set(pages.values())
    feed = feedparser.parse(
        xml, response_headers={"content-type": "application/rss+xml; charset=utf-8"}
    )
    for entry in feed.entries:
        slug = Path(entry.enclosures[0].href).stem
        assert entry.link == pages[slug]
        assert (built / "output" / "episodes" / f"{slug}.html").is_file()


def test_episode_art_is_embedded_and_square(built: Path) -> None:
    art = built / "output" / "episodes" / f"{SLUG}.png"
    with Image.open(art) as image:
        assert image.size == (1400, 1400) and image.mode == "RGB"
    apic = ID3(str(built / "output" / "episodes" / f"{SLUG}.mp3")).getall("APIC")
    assert apic[0].data == art.read_bytes()


def test_a_rebuild_with_nothing_changed_keeps_every_file(project: Path) -> None:
    output = project / "output"
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    report = build(load_settings(project), jobs=1)
    assert report.built == [] and report.findings == []
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before


# ---------------------------------------------------------------- each rule, broken on purpose


def rules(project: Path) -> set[str]:
    return {f.rule for f in errors(project)}


@pytest.mark.parametrize(
    ("rule", "change"),
    [
        ("feed-parse", sub(r"</channel>", "")),
        ("namespaces", sub(r'xmlns:podcast="[^"]+"', 'xmlns:podcast="https://example.org/p"')),
        ("namespaces", lambda t: t.replace("xmlns:psc=", "xmlns:ns7=").replace("psc:", "ns7:")),
        ("channel-required", sub(r"<language>[^<]*</language>", "")),
        (
            "channel-required",
            lambda t: re.sub(r"<itunes:category.*</itunes:category>", "", t, flags=re.S),
        ),
        ("owner-email", sub(r"<itunes:email>[^<]*</itunes:email>", "")),
        ("ai-content", sub(r'<podcast:txt purpose="ai-content">true</podcast:txt>', "")),
        ("explicit", sub(r"<itunes:explicit>false", "<itunes:explicit>no")),
        ("description-bytes", sub(r"<description>", "<description>" + "ع" * 2001)),
        ("item-required", sub(r"<item>\s*<title>[^<]*</title>", "<item><title> </title>")),
        ("guid", sub(r"<guid[^>]*>[^<]*</guid>", "")),
        ("guid", lambda t: re.sub(r"<guid([^>]*)>[^<]*</guid>", r"<guid\1>same</guid>", t)),
        ("enclosure-length", sub(r'length="\d+"', 'length="1234"')),
        ("enclosure-type", sub(r'type="audio/mpeg"', 'type="audio/mp4"')),
        ("url", sub(r'url="https://', 'url="http://')),
        ("url", sub(r"episodes/04-alweeam\.mp3", "episodes/الحلقة 4.mp3")),
        ("media-missing", sub(r"episodes/04-alweeam\.mp3", "episodes/gone.mp3")),
        (
            "pubdate",
            sub(r"<pubDate>[^<]*</pubDate>", "<pubDate>Fri, 01 Jan 2300 00:00:00 +0000</pubDate>"),
        ),
        ("pubdate", sub(r"<pubDate>[^<]*</pubDate>", "<pubDate>yesterday</pubDate>")),
        ("duration", sub(r"<itunes:duration>\d+", "<itunes:duration>9999")),
        (
            "image",
            sub(
                r'(<itunes:image href=")[^"]+',
                r"\1https://nashra.example.org/podcast/episodes/04-alweeam.mp3",
            ),
        ),
        ("item-link", sub(r"episodes/04-alweeam\.html", "episodes/gone.html")),
        ("item-link", sub(r"episodes/04-alweeam\.html", "episodes/")),
        ("url", sub(r"<link>https://([^<]*)\.html</link>", r"<link>http://\1.html</link>")),
        ("chapters", sub(r'type="application/json\+chapters"', 'type="application/json"')),
        ("transcript", sub(r'type="text/vtt"', 'type="text/markdown"')),
    ],
)
def test_a_broken_feed_is_caught(project: Path, rule: str, change: Callable[[str], str]) -> None:
    edit_feed(project, change)
    assert rule in rules(project)


def test_same_title_on_the_same_day_is_caught(project: Path) -> None:
    titles = re.findall(r"<item>\s*<title>([^<]*)</title>", feed_path(project).read_text("utf-8"))
    edit_feed(project, lambda t: t.replace(titles[1], titles[0]))
    edit_feed(
        project,
        lambda t: re.sub(
            r"<pubDate>[^<]*</pubDate>", "<pubDate>Mon, 01 Jan 2024 10:00:00 +0000</pubDate>", t
        ),
    )
    assert "title-unique" in rules(project)


def warnings(project: Path, rule: str) -> list[str]:
    return [f.message for f in findings(project) if f.rule == rule and f.severity != ERROR]


def test_episodes_sharing_a_date_are_caught(project: Path) -> None:
    one_date = "<pubDate>Mon, 01 Jan 2024 10:00:00 +0000</pubDate>"
    edit_feed(project, lambda t: re.sub(r"<pubDate>[^<]*</pubDate>", one_date, t))
    assert warnings(project, "pubdate-order") == [
        "2 episodes share the <pubDate> Mon, 01 Jan 2024 10:00:00 +0000: apps cannot tell "
        "which is newest; give the articles their own `date` (Markdown front matter)"
    ]


def test_items_out_of_date_order_are_caught(project: Path) -> None:
    dates = iter(["Mon, 01 Jan 2024 10:00:00 +0000", "Tue, 02 Jan 2024 10:00:00 +0000"])
    edit_feed(
        project,
        lambda t: re.sub(
            r"<pubDate>[^<]*</pubDate>", lambda _: f"<pubDate>{next(dates)}</pubDate>", t
        ),
    )
    assert warnings(project, "pubdate-order") == [
        "is newer than sections.mp3, listed before it: items go newest first"
    ]


def test_generated_prefixes_and_declarations_below_rss_are_caught(project: Path) -> None:
    psc = ' xmlns:psc="http://podlove.org/simple-chapters"'
    edit_feed(
        project,
        lambda t: (
            t.replace(psc, "")
            .replace("<psc:chapters ", "<ns7:chapters " + psc[1:] + " ")
            .replace("</psc:chapters>", "</ns7:chapters>")
            .replace("psc:chapter ", "ns7:chapter ")
            .replace("xmlns:psc=", "xmlns:ns7=")
        ),
    )
    assert [(f.severity, f.message) for f in findings(project) if f.rule == "namespaces"] == [
        (
            ERROR,
            "http://podlove.org/simple-chapters has the prefix ns7:; "
            "apps that match prefixes look for psc:",
        ),
        (
            "warning",
            "http://podlove.org/simple-chapters is declared on 2 element(s) below <rss>, "
            "such as <chapters>; declare it once, on <rss>",
        ),
    ]


def test_an_item_may_link_to_the_site_or_elsewhere(project: Path) -> None:
    edit_feed(
        project,
        sub(
            r"<link>[^<]*04-alweeam\.html</link>",
            "<link>https://nashra.example.org/podcast/</link>",
        ),
    )
    edit_feed(
        project,
        sub(r"<link>[^<]*sections\.html</link>", "<link>https://example.org/article</link>"),
    )
    assert [f for f in findings(project) if f.rule in ("item-link", "url")] == []


def test_an_item_without_a_link_is_caught(project: Path) -> None:
    edit_feed(project, sub(r"<link>[^<]*\.html</link>", ""))
    assert warnings(project, "item-link") == [
        "<link> is missing: apps have no web page to show for the episode"
    ]


def test_a_changed_guid_is_caught(project: Path) -> None:
    edit_feed(project, lambda t: re.sub(r"(<guid[^>]*>)[0-9a-f]", r"\1x", t, count=1))
    assert "guid-stable" in rules(project)


def test_a_small_or_non_square_image_is_caught(project: Path) -> None:
    Image.new("RGB", (1400, 1000), (1, 2, 3)).save(project / "output" / "cover.png")
    assert "image" in rules(project)


def test_a_resized_mp3_is_caught(project: Path) -> None:
    with open(project / "output" / "episodes" / f"{SLUG}.mp3", "ab") as handle:
        handle.write(b"\x00" * 100)
    assert "enclosure-length" in rules(project)


def test_broken_chapters_file_is_caught(project: Path) -> None:
    (project / "output" / "episodes" / "sections.chapters.json").write_text("{", "utf-8")
    assert "chapters" in rules(project)


def test_chapters_that_disagree_with_the_mp3_are_caught(project: Path) -> None:
    path = project / "output" / "episodes" / "sections.chapters.json"
    data = json.loads(path.read_text("utf-8"))
    data["chapters"][1]["startTime"] += 5
    path.write_text(json.dumps(data), "utf-8")
    assert "chapters" in rules(project)


def test_chapter_frames_stored_out_of_time_order_are_caught(project: Path) -> None:
    mp3 = project / "output" / "episodes" / "sections.mp3"
    tags = ID3(str(mp3))
    tags["CHAP:chp0"].sub_frames.getall("TIT2")[0].text = ["حلقة بفصلين، وعنوانها أطول الآن"]
    tags.save(str(mp3), v2_version=3)  # mutagen alone stores frames by size: chp0 goes last
    assert [c.element_id for c in ID3(str(mp3)).getall("CHAP")] == ["chp1", "chp0"]
    assert "chapter-order" in rules(project)


@pytest.mark.parametrize("name", [f"{SLUG}.vtt", f"{SLUG}.srt"])
def test_broken_transcript_is_caught(project: Path, name: str) -> None:
    (project / "output" / "episodes" / name).write_text("1\nnot a time\nنص\n", "utf-8")
    assert "transcript" in rules(project)


def test_a_transcript_past_the_end_is_caught(project: Path) -> None:
    path = project / "output" / "episodes" / f"{SLUG}.vtt"
    path.write_text("WEBVTT\n\n1\n00:00:00.000 --> 09:00:00.000\nنص\n", "utf-8")
    assert "transcript" in rules(project)


def test_missing_feed_is_an_error(project: Path) -> None:
    feed_path(project).unlink()
    assert rules(project) == {"feed-parse"}


def test_the_cli_exits_1_on_errors_and_names_rule_and_item(project: Path) -> None:
    edit_feed(project, sub(r'length="\d+"', 'length="1234"'))
    result = CliRunner().invoke(cli, ["check", "-p", str(project)])
    assert result.exit_code == 1
    assert re.search(r"error: \[enclosure-length\] \S+\.mp3: ", result.output)


def test_warnings_alone_exit_0(project: Path) -> None:
    edit_feed(project, sub(r"<podcast:locked[^>]*>[^<]*</podcast:locked>", ""))
    result = CliRunner().invoke(cli, ["check", "-p", str(project)])
    assert result.exit_code == 0, result.output
    assert "warning: [channel-required] channel" in result.output


def test_a_feed_calling_a_human_read_show_synthetic_is_a_warning(project: Path) -> None:
    toml = project / "podcast.toml"
    toml.write_text("ai_content = false\n" + toml.read_text(encoding="utf-8"), encoding="utf-8")
    found = [f for f in findings(project) if f.rule == "ai-content"]
    assert [f.severity for f in found] == ["warning"]


def test_build_rewrites_what_it_owns_and_reports_what_it_cannot_fix(project: Path) -> None:
    (project / "output" / "episodes" / "sections.vtt").unlink()
    result = CliRunner().invoke(cli, ["build", "-p", str(project)])
    assert result.exit_code == 0, result.output
    assert (project / "output" / "episodes" / "sections.vtt").is_file()

    # Every article taken away: a feed with no episode, which Spotify refuses.
    for article in (project / "articles").iterdir():
        article.unlink()
    result = CliRunner().invoke(cli, ["build", "-p", str(project)])
    assert result.exit_code == 1
    assert "check: error: [items] channel: the feed has no episodes" in result.output
    assert "nashra check` found 1 error(s)" in result.output
