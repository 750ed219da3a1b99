"""What the feed says about who made an episode: a synthetic voice (`podcast:txt
purpose="ai-content"`, and each description), the article's writer (`podcast:person`,
never a place or an agency) and where the article comes from (its address).

Judged by lxml and feedparser; the articles are SaudiNewsNet records (2015).
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest

from nashra.config.descriptions import SYNTHETIC_VOICE
from nashra.core.errors import SettingsError
from nashra.readers import read_article
from nashra.readers.importing import import_files
from nashra.render.feed import EpisodeEntry
from tests.test_feed import EPISODES, NS, RAW, channel_of, entry, make_settings, render

WHEN = datetime(2015, 8, 11, 9, 30, tzinfo=UTC)
URL = "https://www.alriyadh.com/1073524"


def items(xml: bytes) -> list[Any]:
    return list(channel_of(xml).findall("item"))


def persons(item: Any) -> list[tuple[str | None, str | None, str | None]]:
    return [(p.text, p.get("group"), p.get("role")) for p in item.findall("podcast:person", NS)]


# ---------------------------------------------------------------- the synthetic voice


def test_the_channel_says_the_voice_is_synthetic(tmp_path: Path) -> None:
    [txt] = channel_of(render(tmp_path)).findall("podcast:txt", NS)

    assert txt.get("purpose") == "ai-content"
    assert txt.text == "true"
    parsed = feedparser.parse(render(tmp_path)).feed
    assert parsed.podcast_txt == {"purpose": "ai-content"}
    # podcast:locked (its value is checked in test_feed) still names the owner beside it.
    assert parsed.podcast_locked == {"owner": RAW["owner"]["email"]}


def test_every_description_says_it_and_names_the_article(tmp_path: Path) -> None:
    episode = entry("01", "ديون التعاون", WHEN, description="سددت الجمعيات ديونها.", link=URL)
    xml = render(tmp_path, [episode])

    [parsed] = feedparser.parse(xml).entries
    assert parsed.summary == f"سددت الجمعيات ديونها. {SYNTHETIC_VOICE} المقال الأصلي: {URL}"


def test_a_show_read_by_a_person_says_neither(tmp_path: Path) -> None:
    episode = entry("01", "ديون التعاون", WHEN, description="سددت الجمعيات ديونها.", link=URL)
    xml = render(tmp_path, [episode], ai_content=False)

    assert channel_of(xml).findall("podcast:txt", NS) == []
    [item] = items(xml)
    assert item.findtext("description") == f"سددت الجمعيات ديونها. المقال الأصلي: {URL}"


def test_without_an_address_the_source_line_is_left_out(tmp_path: Path) -> None:
    [item] = items(render(tmp_path, [replace(EPISODES[0], description="الخبر.")]))

    assert item.findtext("description") == f"الخبر. {SYNTHETIC_VOICE}"


@pytest.mark.parametrize("link", ["javascript:alert(1)", "//evil.example/x", "ftp://x.example/a"])
def test_an_address_that_is_no_web_link_is_not_named(tmp_path: Path, link: str) -> None:
    # A record from an older build state may hold a link that was never checked.
    [item] = items(render(tmp_path, [replace(EPISODES[0], description="الخبر.", link=link)]))

    assert item.findtext("description") == f"الخبر. {SYNTHETIC_VOICE}"


def test_a_template_of_ones_own_says_it_its_own_way(tmp_path: Path) -> None:
    template = "{lead}\nقرأها صوت آلي، لا مذيع.\nنشره {author} في {url}\n{{نشرة}}"
    episode = entry("01", "ديون التعاون", WHEN, description="الخبر.", author="واس", link=URL)
    [item] = items(render(tmp_path, [episode], episode_description=template))

    assert (
        item.findtext("description") == f"الخبر. قرأها صوت آلي، لا مذيع. نشره واس في {URL} {{نشرة}}"
    )


@pytest.mark.parametrize(
    "template",
    ["{lead} {voice}", "{lead.__class__}", "{lead!r}", "{url:>9}", "{lead} {", "{0}"],
)
def test_a_template_with_an_unknown_field_is_refused(tmp_path: Path, template: str) -> None:
    with pytest.raises(SettingsError, match=r"`episode_description` (may hold|has an unmatched)"):
        make_settings(tmp_path, episode_description=template)


def test_a_template_too_long_to_leave_room_for_the_lead_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="`episode_description` is longer than 2000 bytes"):
        make_settings(tmp_path, episode_description="{lead}\n" + "صوت اصطناعي " * 100)


# ---------------------------------------------------------------- the writer


def test_the_writer_is_credited_and_a_paper_or_an_agency_is_not(tmp_path: Path) -> None:
    authors = ["خالد البراك", "واس", "رويترز", "الشرق الأوسط", "أ ف ب", None]
    episodes = [
        replace(EPISODES[0], slug=f"{n:02d}", guid=f"guid-{n}", title=f"خبر {n}", author=author)
        for n, author in enumerate(authors)
    ]
    xml = render(tmp_path, episodes)

    credited = {item.findtext("title"): persons(item) for item in items(xml)}
    assert credited == {
        "خبر 0": [("خالد البراك", "writing", "author")],
        **{f"خبر {n}": [] for n in range(1, len(authors))},
    }
    shown = {
        item.findtext("title"): item.findtext("itunes:author", namespaces=NS) for item in items(xml)
    }
    assert shown == {f"خبر {n}": author for n, author in enumerate(authors)}


def test_a_hostile_author_is_cleaned_and_a_paragraph_is_no_person(tmp_path: Path) -> None:
    hostile = replace(EPISODES[0], author='<img src=x onerror="alert(1)">خالد\x1b\u202e البراك')
    long = replace(EPISODES[1], author="خالد البراك " * 20)
    xml = render(tmp_path, [hostile, long])
    credited = {item.findtext("title"): persons(item) for item in items(xml)}

    assert credited == {
        hostile.title: [("خالد البراك", "writing", "author")],
        long.title: [],  # 240 letters: no name (Podcasting 2.0 allows 128)
    }
    assert b"onerror" not in xml and b"\x1b" not in xml and "\u202e".encode() not in xml


def test_an_imported_dateline_is_no_author(tmp_path: Path) -> None:
    """SaudiNewsNet author fields: a dateline with an agency, a time stamp, a place and a
    writer. Only the writer is credited as a person; the agency stays the source."""
    fields = [
        "الرياض - واس:",
        "| Tuesday, 11 August 2015 - 00:00 am",
        "لوس أنجليس - د ب أ",
        "الرياض محمد الهمزاني",
    ]
    records = [
        {
            "source": "alriyadh",
            "url": f"http://www.alriyadh.com/107352{n}",
            "date_extracted": f"2015-08-11 0{n}:00:00",
            "title": f"خبر رقم {n}",
            "author": field,
            "content": "فقرة من الخبر.",
        }
        for n, field in enumerate(fields)
    ]
    day = tmp_path / "2015-08-11.zip"
    with zipfile.ZipFile(day, "w") as archive:
        archive.writestr("2015-08-11.json", json.dumps(records, ensure_ascii=False))
    written = import_files("saudinewsnet", [day], tmp_path / "articles").written
    episodes: list[EpisodeEntry] = []
    for path in written:
        article = read_article(path)
        assert article.date is not None
        episodes.append(
            entry(
                article.slug,
                article.title,
                article.date,
                description=article.lead,
                author=article.author,
                link=article.url,
            )
        )
    xml = render(tmp_path, episodes)

    credited = {item.findtext("title"): persons(item) for item in items(xml)}
    assert credited == {
        "خبر رقم 0": [],
        "خبر رقم 1": [],
        "خبر رقم 2": [],
        "خبر رقم 3": [("محمد الهمزاني", "writing", "author")],
    }
    authors = {
        item.findtext("title"): item.findtext("itunes:author", namespaces=NS) for item in items(xml)
    }
    assert authors == {
        "خبر رقم 0": "واس",
        "خبر رقم 1": None,
        "خبر رقم 2": "د ب أ",
        "خبر رقم 3": "محمد الهمزاني",
    }
    for item in items(xml):
        assert item.findtext("description").endswith(
            f"المقال الأصلي: http://www.alriyadh.com/107352{item.findtext('title')[-1]}"
        )
