"""Fuzzed article values: whatever front matter or a `.txt` article's first lines hold,
reading it and rendering it into the feed, the pages, the ID3 tags and the sidecars
either accepts it or fails with a `NashraError` naming the file: never another
exception, which would stop every other article's build (issue 23).

A few dozen examples each in the fast run; `NASHRA_FUZZ_EXAMPLES=2000` for a long one.
The `@example`s are the failures fuzzing found, kept so they are tried every run.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import shutil
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import podcastparser
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from mutagen.id3 import ID3

from nashra.config.settings import Settings, load_settings
from nashra.core import pubdates
from nashra.core.errors import NashraError
from nashra.core.model import Chapter, Cue, EpisodeRecord
from nashra.readers import read_article
from nashra.render import feed, sidecars, site, tagging
from nashra.server import make_server
from nashra.stages.builder import build
from nashra.stages.covers import art_bytes, episode_art
from nashra.stages.publish import feed_entry
from nashra.stages.read import content_key
from nashra.stages.script import make_script
from nashra.stages.types import artist
from tests.support import CORPUS, DATA, make_project
from tests.test_server import request, running

EXAMPLES = int(os.environ.get("NASHRA_FUZZ_EXAMPLES", "25"))
NOW = datetime(2026, 12, 7, tzinfo=UTC)
BODY = "# عنوان\n\nنص المقالة هنا، وفيه جملة ثانية.\n"

ODD = st.sampled_from(
    [
        "\x00", "\x07", "\x0b", "\x1b[31m", "\x1f", "\x7f", "\x85", "\x9f", "\u2028", "\ufeff",
        "\ufffe", "\u202e", "\u200f", "\u061c", "\U0001f600", "ﻷ", "&#0;", "&#xD800;",
        "&#x110000;", "<b>", "</p>", "javascript:alert(1)", "../..", "%ff", " ", "\t", "#",
        ": ", "---", "خبر",
    ]
)  # fmt: skip
TEXT = st.lists(ODD | st.text(max_size=6), max_size=8).map("".join)
EDGE_YEARS = st.sampled_from([1, 2, 99, 100, 999, 1000, 1899, 1900, 1969, 1970, 2038, 9998, 9999])
DATETIMES = st.one_of(
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
    st.builds(
        lambda y, d: d.replace(year=y), EDGE_YEARS, st.datetimes(max_value=datetime(2000, 2, 28))
    ),
)
OFFSETS = st.sampled_from(["", "Z", "+00:00", "+05:00", "-05:00", "+14:00", "-23:59", " +3"])
DATES = st.one_of(
    st.builds(lambda d, z: d.isoformat() + z, DATETIMES, OFFSETS),
    st.builds(lambda d, z: d.isoformat(sep=" ") + z, DATETIMES, OFFSETS),
    DATETIMES.map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}"),
)
LITERALS = st.sampled_from(
    [
        "true", "null", "~", "[]", "{}", ".inf", "-.inf", ".nan", "1e400", "0x1F", "12:30:00",
        "2021-13-45", "!!timestamp x", "!!bool x", "!!int x", "!!float x", "!!binary aGk=",
        "!!set {a}", "!!str [1]", "&a [*a]", "[" * 200, "9" * 5000, "|\n  سطر\n  سطر",
    ]
)  # fmt: skip
SCALARS = st.one_of(
    TEXT.map(json.dumps),  # YAML reads JSON's escapes: \u0000, \ud800
    TEXT.map(lambda t: json.dumps(t, ensure_ascii=False)),
    TEXT.filter(lambda t: "\n" not in t),  # plain, as someone would type it
    DATES,
    DATES.map(json.dumps),
    st.integers().map(str),
    st.floats().map(repr),
    LITERALS,
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3).map(lambda v: f"[{', '.join(v)}]"),
    max_leaves=4,
)
KEYS = st.sampled_from(
    ["title", "author", "date", "url", "image", "description", "language", "keywords"]
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return load_settings(make_project(tmp_path_factory.mktemp("fuzz") / "p", []))


def through_everything(settings: Settings, path: Path) -> None:
    """Read `path` and render its episode everywhere an article's values go."""
    article = read_article(path)
    script = make_script(article, settings.audio)
    if article.date and article.date > NOW:
        return  # scheduled: nothing is rendered yet
    pub_date = pubdates.pub_date(article.date, NOW)
    art = episode_art(settings, article)
    content_key(settings, article, script, pub_date, art)
    chapters = tuple(Chapter(float(i), title) for i, title in enumerate(script.chapters))
    cues = tuple(Cue(float(i), i + 0.5, u.written) for i, u in enumerate(script.utterances))
    mp3 = settings.work_dir / "episode.mp3"
    mp3.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / "tiny.mp3", mp3)
    tagging.write_tags(
        mp3,
        tagging.EpisodeTags(
            title=article.title,
            artist=artist(settings, article),
            album=settings.title,
            date=pub_date,
            engine="fake",
            voice_id="fake",
            comment=article.lead,
            cover=art_bytes(settings.work_dir, art, article.title),
            chapters=tuple(tagging.TagChapter(c.start, c.start + 1, c.title) for c in chapters),
        ),
    )
    assert ID3(mp3)["TIT2"].text == [article.title]  # mutagen wrote NUL as `/`
    record = EpisodeRecord(
        slug=article.slug,
        source=f"articles/{path.name}",
        guid="urn:uuid:fuzz",
        first_published=NOW.isoformat(),
        content_key="key",
        engine="fake",
        voice_id="fake",
        file=f"episodes/{article.slug}.mp3",
        length=mp3.stat().st_size,
        duration=1.0,
        title=article.title,
        description=article.lead,
        author=article.author,
        pub_date=pub_date.isoformat(),
        link=article.url,
        chapters=chapters,
        cues=cues,
    )
    # As the build state keeps it, and reads it back.
    record = EpisodeRecord.from_json(json.loads(json.dumps(dataclasses.asdict(record))))
    site.render_episode(settings, record, cover="cover.png")
    site.render_index(settings, [record], cover="cover.png")
    sidecars.webvtt(cues)
    sidecars.srt(cues)
    sidecars.chapters_json(chapters, title=record.title)
    entry = feed_entry(record)
    xml = feed.render_feed(settings, [entry], image_path="cover.png", podcast_guid="fuzz")
    said = ET.fromstring(xml).findtext("channel/item/pubDate", default="")
    # As apps read it: `Mon, 01 Jan 1` came back as 2001.
    assert parsedate_to_datetime(said) == pub_date.replace(microsecond=0)


def accepted_or_named(settings: Settings, path: Path) -> None:
    try:
        through_everything(settings, path)
    except NashraError as exc:
        assert path.name in str(exc), f"{exc} does not name the file"


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(meta=st.dictionaries(KEYS, VALUES, min_size=1, max_size=3))
@example(meta={"date": "0001-01-01 00:00:00+05:00"})  # OverflowError in the feed
@example(meta={"date": "9999-12-31T23:59:59-05:00"})  # OverflowError in the bulletins
@example(meta={"date": "0001-01-01"})  # `Mon, 01 Jan 1`: apps read it as 2001
@example(meta={"date": "!!timestamp x"})  # AttributeError in PyYAML
@example(meta={"title": "!!bool x"})  # KeyError in PyYAML
@example(meta={"title": '"خبر\\u0000 عاجل"', "author": '"\\x1b[31m"'})  # NUL: `/` in ID3
def test_front_matter_values_are_accepted_or_named(project: Settings, meta: dict[str, str]) -> None:
    path = project.articles_dir / "fuzzed.md"
    front = "".join(f"{key}: {value}\n" for key, value in meta.items())
    # surrogatepass: a lone surrogate typed into the file is broken UTF-8, as on disk.
    path.write_bytes(f"---\n{front}---\n\n{BODY}".encode("utf-8", "surrogatepass"))
    accepted_or_named(project, path)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(lines=st.lists(TEXT, min_size=1, max_size=4))
@example(lines=["عنوان\x00", "بقلم: أحمد\x07"])
def test_txt_title_and_byline_are_accepted_or_named(project: Settings, lines: list[str]) -> None:
    path = project.articles_dir / "fuzzed.txt"
    text = "\n".join([*lines, "نص المقالة هنا، وفيه جملة ثانية."])
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    accepted_or_named(project, path)


@pytest.mark.slow
def test_an_article_dated_beyond_the_feed_fails_alone(tmp_path: Path) -> None:
    # Before: an OverflowError traceback, no feed, every later build failing, and
    # `nashra serve` answering 500 for the feed.
    root = make_project(tmp_path / "p", [CORPUS / "saudinewsnet" / "04-alweeam.txt"])
    dates = {
        "year-one.md": "0001-01-01T00:00:00+05:00",
        "year-one-utc.md": "0001-01-01",
        "last-night.md": "9999-12-31T23:59:59-05:00",
    }
    for name, value in dates.items():
        (root / "articles" / name).write_text(
            f"---\ntitle: عنوان\ndate: {value}\n---\n\nنص المقالة هنا.\n", encoding="utf-8"
        )
    settings = load_settings(root)
    assert settings.bulletin.enabled  # the bulletins date their periods too
    for _ in range(2):
        report = build(settings, jobs=1)
        assert sorted((f.source.name, "out of range" in f.reason) for f in report.failed) == [
            (name, True) for name in sorted(dates)
        ]
        assert report.built == ["04-alweeam"] or report.built == []
    feed_xml = (settings.output_dir / "feed.xml").read_bytes()
    parsed = podcastparser.parse(settings.feed_url, io.BytesIO(feed_xml))
    assert [e["title"][:12] for e in parsed["episodes"]] == ["فتح مطار عدن"]
    for server in running(make_server(settings, port=0)):  # stopped when the loop ends
        assert request(server, "/feed.xml")[0] == 200
