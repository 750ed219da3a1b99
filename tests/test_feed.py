"""The feed writer, judged by independent parsers (podcastparser, feedparser, lxml).

Checklist numbers refer to §11 of the shared podcast-feed requirements.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import feedparser
import podcastparser
import pytest
from lxml import etree

from nashra import __version__
from nashra.config.descriptions import SYNTHETIC_VOICE
from nashra.config.settings import Settings, settings_from_dict
from nashra.core.errors import OutputError, UsageError
from nashra.core.model import Chapter
from nashra.render.descriptions import truncate_utf8
from nashra.render.feed import (
    EpisodeEntry,
    clean_line,
    episode_guid,
    iri_to_uri,
    podcast_guid,
    render_feed,
)

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
PSC = "http://podlove.org/simple-chapters"
NS = {"itunes": ITUNES, "podcast": PODCAST, "atom": ATOM}
RIYADH = timezone(timedelta(hours=3))
FEED_URL = "https://nashra.example.org/podcast/feed.xml"

RAW: dict[str, Any] = {
    "title": "نشرة: أخبار مسموعة",
    "description": "مقالات إخبارية عربية مختارة، تقرؤها نشرة بصوت عربي: حلقة لكل مقال.",
    "author": "نشرة",
    "base_url": "https://nashra.example.org/podcast/",
    "link": "https://nashra.example.org/",
    "owner": {"name": "فريق نشرة", "email": "podcast@nashra.example.org"},
}


def make_settings(tmp_path: Path, **changes: Any) -> Settings:
    return settings_from_dict({**RAW, **changes}, project=tmp_path, path=tmp_path / "podcast.toml")


def entry(slug: str, title: str, when: datetime, **changes: Any) -> EpisodeEntry:
    values: dict[str, Any] = {
        "slug": slug,
        "guid": episode_guid(podcast_guid(FEED_URL), slug),
        "title": title,
        "description": f"{title}. تفاصيل الخبر في الحلقة.",
        "author": "رويترز - دبي",
        "pub_date": when,
        "audio_path": f"episodes/{slug}.mp3",
        "length": 1_234_567,
        "duration": 187.6,
        "page_path": f"episodes/{slug}.html",
        **changes,
    }
    return EpisodeEntry(**values)


# Real headlines from the corpus (tests/data/corpus/saudinewsnet).
EPISODES = [
    entry(
        "01-alwatan",
        "90% من ديون التعاون مسددة",
        datetime(2015, 8, 6, 1, 24, 36, tzinfo=UTC),
        author="بريدة: خالد البراك",
    ),
    entry(
        "02-alyaum",
        "أسواق الأسهم الخليجية تتعافى بعد استقرار برنت فوق 50 دولارا",
        datetime(2015, 8, 6, 4, 37, 47, tzinfo=RIYADH),
    ),
    entry(
        "03-sabq",
        "بيروت.. طلقات نارية تصيب إعلامياً سورياً يعمل بالسعودية وتقتل زوجته",
        datetime(2015, 8, 7, 9, 0, tzinfo=RIYADH),
        author=None,
        duration=61.4,
    ),
]


def render(tmp_path: Path, episodes: list[EpisodeEntry] | None = None, **changes: Any) -> bytes:
    settings = make_settings(tmp_path, **changes)
    return render_feed(
        settings,
        EPISODES if episodes is None else episodes,
        image_path="cover.png",
        podcast_guid=podcast_guid(settings.feed_url),
    )


def channel_of(xml: bytes) -> Any:
    root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, recover=False))
    return root.find("channel")


# ---------------------------------------------------------------- guids


@pytest.mark.parametrize(
    ("feed_url", "expected"),
    [
        # Worked examples from the Podcasting 2.0 namespace documentation.
        ("https://mp3s.nashownotes.com/pc20rss.xml", "917393e3-1b1e-5cef-ace4-edaa54e1f810"),
        ("https://podnews.net/rss", "9b024349-ccf0-5f69-a609-6b82873eab3c"),
        ("http://podnews.net/rss/", "9b024349-ccf0-5f69-a609-6b82873eab3c"),
        ("podnews.net/rss", "9b024349-ccf0-5f69-a609-6b82873eab3c"),
    ],
)
def test_podcast_guid_follows_the_podcasting_2_0_recipe(feed_url: str, expected: str) -> None:
    assert podcast_guid(feed_url) == expected


def test_episode_guid_depends_only_on_show_and_slug() -> None:
    show = podcast_guid(FEED_URL)
    first = episode_guid(show, "03-sabq")
    assert first == episode_guid(show, "03-sabq")
    assert uuid.UUID(first).version == 5
    assert first != episode_guid(show, "02-alyaum")
    assert first != episode_guid(podcast_guid("https://other.example/feed.xml"), "03-sabq")


# ---------------------------------------------------------------- independent parsers


def test_podcastparser_sees_every_episode(tmp_path: Path) -> None:
    parsed = podcastparser.parse(FEED_URL, BytesIO(render(tmp_path)))

    assert parsed["title"] == RAW["title"]
    assert parsed["description"] == RAW["description"]
    assert parsed["link"] == RAW["link"]
    assert parsed["cover_url"] == "https://nashra.example.org/podcast/cover.png"
    by_guid = {e["guid"]: e for e in parsed["episodes"]}
    assert len(by_guid) == len(EPISODES)
    for episode in EPISODES:
        got = by_guid[episode.guid]
        assert got["title"] == episode.title
        assert got["total_time"] == round(episode.duration)
        assert got["published"] == int(episode.pub_date.timestamp())
        assert got["link"] == f"https://nashra.example.org/podcast/episodes/{episode.slug}.html"
        [enclosure] = got["enclosures"]
        assert enclosure["url"] == f"https://nashra.example.org/podcast/episodes/{episode.slug}.mp3"
        assert enclosure["file_size"] == episode.length
        assert enclosure["mime_type"] == "audio/mpeg"


def test_feedparser_reads_it_without_complaint(tmp_path: Path) -> None:
    parsed = feedparser.parse(
        render(tmp_path),
        response_headers={"content-type": "application/rss+xml; charset=utf-8"},
    )

    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    assert parsed.feed.title == RAW["title"]
    assert parsed.feed.language == "ar"
    assert parsed.feed.image.href == "https://nashra.example.org/podcast/cover.png"
    assert parsed.feed.generator == f"nashra {__version__}"
    assert [e.id for e in parsed.entries] == [e.guid for e in reversed(EPISODES)]
    for got in parsed.entries:
        [enclosure] = got.enclosures
        assert enclosure.href.startswith("https://nashra.example.org/podcast/episodes/")
        assert enclosure.length == "1234567"
    assert [e.itunes_duration for e in parsed.entries] == ["61", "188", "188"]
    assert [e.link for e in parsed.entries] == [
        f"https://nashra.example.org/podcast/episodes/{e.slug}.html" for e in reversed(EPISODES)
    ]


# ---------------------------------------------------------------- checklist, with lxml


def test_prolog_namespaces_and_root(tmp_path: Path) -> None:  # checklist 1, 2
    xml = render(tmp_path)

    assert xml.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    root = etree.fromstring(xml, etree.XMLParser(recover=False))
    assert root.tag == "rss" and root.get("version") == "2.0"
    assert root.nsmap == {
        "itunes": ITUNES,
        "podcast": PODCAST,
        "psc": PSC,
        "atom": ATOM,
        "content": CONTENT,
    }


def declarations(xml: bytes) -> list[tuple[str, str, str]]:
    """(element, prefix, namespace) of every namespace declaration, in document order."""
    found: list[tuple[str, str, str]] = []
    pending: list[tuple[str, str]] = []
    for event, value in etree.iterparse(BytesIO(xml), events=("start-ns", "start")):
        if event == "start-ns":
            pending.append(value)
        else:
            found += [(etree.QName(value).localname, p, uri) for p, uri in pending]
            pending = []
    return found


def test_every_namespace_is_declared_once_on_rss_with_its_usual_prefix(tmp_path: Path) -> None:
    chaptered = replace(
        EPISODES[0],
        chapters=(Chapter(0, "مقدمة"), Chapter(40.5, "أولاً: الأسعار")),
        chapters_path="episodes/01-alwatan.chapters.json",
    )
    xml = render(tmp_path, [chaptered, *EPISODES[1:]])

    assert declarations(xml) == [
        ("rss", "itunes", ITUNES),
        ("rss", "podcast", PODCAST),
        ("rss", "psc", PSC),
        ("rss", "atom", ATOM),
        ("rss", "content", CONTENT),
    ]
    assert b"<psc:chapters " in xml and b'<psc:chapter start="00:00:40.500"' in xml
    by_guid = {e["guid"]: e for e in podcastparser.parse(FEED_URL, BytesIO(xml))["episodes"]}
    assert by_guid[chaptered.guid]["chapters"] == [  # podcastparser keeps whole seconds
        {"start": 0, "title": "مقدمة"},
        {"start": 40, "title": "أولاً: الأسعار"},
    ]
    parsed = feedparser.parse(
        xml, response_headers={"content-type": "application/rss+xml; charset=utf-8"}
    )
    assert parsed.bozo == 0
    # feedparser files the namespaces it read under the prefixes the feed gave them.
    assert {p: u for p, u in parsed.namespaces.items() if u == PSC} == {"psc": PSC}
    (entry,) = [e for e in parsed.entries if e.id == chaptered.guid]
    assert [c.title for c in entry.psc_chapters.chapters] == ["مقدمة", "أولاً: الأسعار"]


def test_channel_text_fields(tmp_path: Path) -> None:  # checklist 6, 7, 8
    channel = channel_of(render(tmp_path, copyright="© 2026 نشرة"))

    for tag in ("title", "description", "link", "language"):
        text = channel.findtext(tag)
        assert text and text == text.strip(), tag
    assert len(channel.findtext("description").encode("utf-8")) <= 4000
    assert re.fullmatch(r"[a-z]{2}(-[a-zA-Z]{2})?", channel.findtext("language"))
    assert channel.findtext("language") == "ar"
    assert channel.findtext("copyright") == "© 2026 نشرة"
    assert channel.findtext("generator") == f"nashra {__version__}"


def test_no_copyright_element_without_a_copyright(tmp_path: Path) -> None:
    assert channel_of(render(tmp_path)).find("copyright") is None


def test_language_comes_from_settings(tmp_path: Path) -> None:
    assert channel_of(render(tmp_path, language="ar-eg")).findtext("language") == "ar-eg"


def test_one_self_link_and_a_different_website_link(tmp_path: Path) -> None:  # checklist 9
    channel = channel_of(render(tmp_path))

    [self_link] = channel.findall("atom:link", NS)
    assert self_link.get("rel") == "self"
    assert self_link.get("href") == FEED_URL
    assert channel.findtext("link") == "https://nashra.example.org/"


def test_website_defaults_to_base_url_not_the_feed(tmp_path: Path) -> None:
    raw_without_link = {k: v for k, v in RAW.items() if k != "link"}
    settings = settings_from_dict(raw_without_link, project=tmp_path, path=tmp_path / "p.toml")
    xml = render_feed(settings, EPISODES, image_path="cover.png", podcast_guid="x")

    assert channel_of(xml).findtext("link") == "https://nashra.example.org/podcast/"


def test_refuses_a_website_link_that_is_the_feed_itself(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="feed's own URL"):
        render(tmp_path, link=FEED_URL)


def test_cover_is_an_absolute_itunes_image(tmp_path: Path) -> None:  # checklist 10 (feed side)
    channel = channel_of(render(tmp_path))

    href = channel.find("itunes:image", NS).get("href")
    assert href == "https://nashra.example.org/podcast/cover.png"
    assert channel.findtext("image/url") == href
    assert channel.findtext("image/link") == channel.findtext("link")


@pytest.mark.parametrize("image_path", ["cover.jpeg", "cover.gif", "cover.PNG"])
def test_a_cover_feedgen_would_drop_is_an_error(tmp_path: Path, image_path: str) -> None:
    settings = make_settings(tmp_path)
    with pytest.raises(UsageError, match=r"only \.jpg and \.png"):
        render_feed(settings, EPISODES, image_path=image_path, podcast_guid="x")


def test_category_is_nested(tmp_path: Path) -> None:  # checklist 11
    channel = channel_of(render(tmp_path))

    [category] = channel.findall("itunes:category", NS)
    assert category.get("text") == "News"
    [sub] = category.findall("itunes:category", NS)
    assert sub.get("text") == "Daily News"


def test_category_without_subcategory(tmp_path: Path) -> None:
    channel = channel_of(render(tmp_path, category="Arts", subcategory=None))

    [category] = channel.findall("itunes:category", NS)
    assert category.get("text") == "Arts" and len(category) == 0


@pytest.mark.parametrize(("explicit", "text"), [(False, "false"), (True, "true")])
def test_explicit_is_true_or_false_everywhere(
    tmp_path: Path, explicit: bool, text: str
) -> None:  # checklist 12
    channel = channel_of(render(tmp_path, explicit=explicit))

    assert [e.text for e in channel.findall("itunes:explicit", NS)] == [text]
    items = channel.findall("item")
    assert [i.findtext("itunes:explicit", namespaces=NS) for i in items] == [text] * len(items)
    assert all(len(i.findall("itunes:explicit", NS)) == 1 for i in items)


def test_author_owner_and_type(tmp_path: Path) -> None:  # checklist 13, 14
    channel = channel_of(render(tmp_path))

    assert channel.findtext("itunes:author", namespaces=NS) == "نشرة"
    assert channel.findtext("itunes:owner/itunes:name", namespaces=NS) == "فريق نشرة"
    assert channel.findtext("itunes:owner/itunes:email", namespaces=NS) == (
        "podcast@nashra.example.org"
    )
    assert channel.findtext("itunes:type", namespaces=NS) == "episodic"


@pytest.mark.parametrize(("locked", "text"), [(True, "yes"), (False, "no")])
def test_podcast_locked(tmp_path: Path, locked: bool, text: str) -> None:  # checklist 16
    [element] = channel_of(render(tmp_path, locked=locked)).findall("podcast:locked", NS)

    assert element.text == text
    assert element.get("owner") == "podcast@nashra.example.org"


def test_podcast_guid_is_the_one_passed_in(tmp_path: Path) -> None:  # checklist 15
    original = podcast_guid(FEED_URL)
    moved = make_settings(tmp_path, base_url="https://cdn.example.net/nashra")
    xml = render_feed(moved, EPISODES, image_path="cover.png", podcast_guid=original)

    assert [e.text for e in channel_of(xml).findall("podcast:guid", NS)] == [original]


def test_items_newest_first_with_slug_breaking_ties(tmp_path: Path) -> None:  # checklist 17
    same_time = datetime(2015, 8, 8, 12, 0, tzinfo=UTC)
    episodes = [
        *EPISODES,
        entry("05-b", "خبر ب", same_time),
        entry("04-a", "خبر أ", same_time.astimezone(RIYADH)),
    ]
    items = channel_of(render(tmp_path, episodes)).findall("item")

    guids = [i.findtext("guid") for i in items]
    by_guid = {e.guid: e for e in episodes}
    assert [by_guid[g].slug for g in guids] == [
        "04-a",
        "05-b",
        "03-sabq",
        "02-alyaum",
        "01-alwatan",
    ]
    dates = [parsedate_to_datetime(i.findtext("pubDate")) for i in items]
    assert dates == sorted(dates, reverse=True)


def test_item_guids(tmp_path: Path) -> None:  # checklist 18
    items = channel_of(render(tmp_path)).findall("item")

    guids = [i.find("guid") for i in items]
    assert all(g.text and g.get("isPermaLink") == "false" for g in guids)
    assert len({g.text for g in guids}) == len(items) == len(EPISODES)


def test_refuses_duplicate_guids(tmp_path: Path) -> None:
    twin = replace(EPISODES[1], slug="twin", audio_path="episodes/twin.mp3")
    with pytest.raises(OutputError, match=EPISODES[1].guid):
        render(tmp_path, [*EPISODES, twin])


def test_enclosures(tmp_path: Path) -> None:  # checklist 21
    odd_name = entry("arabic", "خبر", datetime(2015, 8, 9, tzinfo=UTC))
    odd_name = replace(odd_name, audio_path="episodes/خبر عاجل.mp3")
    items = channel_of(render(tmp_path, [*EPISODES, odd_name])).findall("item")

    urls = []
    for item in items:
        [enclosure] = item.findall("enclosure")
        url = enclosure.get("url")
        assert url.startswith("https://nashra.example.org/podcast/episodes/")
        assert url.isascii() and " " not in url
        assert enclosure.get("type") == "audio/mpeg"
        assert enclosure.get("length") == "1234567"
        urls.append(url)
    assert urls[0] == (
        "https://nashra.example.org/podcast/episodes/%D8%AE%D8%A8%D8%B1%20%D8%B9%D8%A7%D8%AC%D9%84.mp3"
    )


def test_pub_dates_are_rfc_822_with_a_timezone(tmp_path: Path) -> None:  # checklist 23
    items = channel_of(render(tmp_path)).findall("item")

    by_guid = {e.guid: e for e in EPISODES}
    for item in items:
        text = item.findtext("pubDate")
        parsed = parsedate_to_datetime(text)
        assert parsed.tzinfo is not None
        assert text.startswith(parsed.strftime("%a, "))  # weekday agrees with the date
        assert parsed == by_guid[item.findtext("guid")].pub_date


def test_last_build_date_is_the_newest_episode(tmp_path: Path) -> None:  # checklist 32
    channel = channel_of(render(tmp_path))

    assert parsedate_to_datetime(channel.findtext("lastBuildDate")) == EPISODES[2].pub_date


def test_an_empty_feed_has_no_build_date_and_is_stable(tmp_path: Path) -> None:
    first = render(tmp_path, [])

    assert first == render(tmp_path, [])
    channel = channel_of(first)
    assert channel.find("lastBuildDate") is None
    assert channel.findall("item") == []
    parsed = feedparser.parse(
        first, response_headers={"content-type": "application/rss+xml; charset=utf-8"}
    )
    assert parsed.bozo == 0


def test_item_fields(tmp_path: Path) -> None:  # checklist 26, 27
    items = channel_of(render(tmp_path)).findall("item")

    for item in items:
        assert len(item.findtext("description").encode("utf-8")) <= 4000
        assert item.findtext("itunes:episodeType", namespaces=NS) == "full"
        assert re.fullmatch(r"[0-9]+", item.findtext("itunes:duration", namespaces=NS))
        assert len(item.findall("link")) == 1
    newest, middle, oldest = items
    # Each item links to its episode's page on the site.
    assert [i.findtext("link") for i in items] == [
        "https://nashra.example.org/podcast/episodes/03-sabq.html",
        "https://nashra.example.org/podcast/episodes/02-alyaum.html",
        "https://nashra.example.org/podcast/episodes/01-alwatan.html",
    ]
    assert newest.find("itunes:author", NS) is None
    assert middle.findtext("itunes:author", namespaces=NS) == "رويترز - دبي"
    assert oldest.findtext("itunes:author", namespaces=NS) == "بريدة: خالد البراك"


def test_a_long_description_is_cut_to_4000_bytes(tmp_path: Path) -> None:
    long = " ".join(["تراجعت أسواق الأسهم الخليجية"] * 400)
    episode = replace(EPISODES[0], description=long)
    [item] = channel_of(render(tmp_path, [episode], ai_content=False)).findall("item")

    text = item.findtext("description")
    assert 3900 < len(text.encode("utf-8")) <= 4000
    assert text.endswith("…")
    assert long.startswith(text[:-1]) and long[len(text) - 1] == " "


def test_a_long_lead_is_cut_and_the_synthetic_voice_and_source_stay(tmp_path: Path) -> None:
    long = " ".join(["تراجعت أسواق الأسهم الخليجية"] * 400)
    url = "https://www.alyaum.com/articles/6059012/أسواق"
    episode = replace(EPISODES[0], description=long, link=url)
    [item] = channel_of(render(tmp_path, [episode])).findall("item")

    text = item.findtext("description")
    lead, said = text.split("… ", 1)
    assert 3900 < len(text.encode("utf-8")) <= 4000
    assert long.startswith(lead)
    assert said == (
        "يقرأ هذه الحلقةَ صوتٌ اصطناعي. المقال الأصلي: "
        "https://www.alyaum.com/articles/6059012/%D8%A3%D8%B3%D9%88%D8%A7%D9%82"
    )


def test_same_inputs_same_bytes(tmp_path: Path) -> None:  # checklist 32
    first = render(tmp_path)

    assert render(tmp_path) == first
    assert render(tmp_path, list(reversed(EPISODES))) == first


# ---------------------------------------------------------------- text


def test_arabic_is_utf8_and_markup_is_escaped(tmp_path: Path) -> None:
    title = 'أسعار النفط <برنت> & "الخام" تتراجع'
    episode = replace(EPISODES[0], title=title, description=f"{title}: التفاصيل")
    xml = render(tmp_path, [episode])

    assert "أسعار النفط".encode() in xml
    assert b"&#" not in xml
    assert "&lt;برنت&gt; &amp;".encode() in xml
    [item] = channel_of(xml).findall("item")
    assert item.findtext("title") == title
    assert item.findtext("description") == f"{title}: التفاصيل {SYNTHETIC_VOICE}"
    parsed = podcastparser.parse(FEED_URL, BytesIO(xml))
    assert parsed["episodes"][0]["title"] == title


def test_bidi_marks_are_stripped_from_titles_and_descriptions(tmp_path: Path) -> None:
    marked = "\u200fنشرة\u200e \u202bالصباح\u202c \u2067Reuters\u2069"
    episode = replace(EPISODES[0], title=marked, description=marked)
    xml = render(tmp_path, [episode], title=f"\u200f{RAW['title']}")

    channel = channel_of(xml)
    assert channel.findtext("title") == RAW["title"]
    [item] = channel.findall("item")
    assert item.findtext("title") == "نشرة الصباح Reuters"
    assert item.findtext("description") == f"نشرة الصباح Reuters {SYNTHETIC_VOICE}"


@pytest.mark.parametrize(
    "when",
    [
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5))),
        datetime(1899, 12, 31, 23, 59, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-5))),
    ],
)
def test_an_episode_dated_beyond_what_a_feed_carries_is_named(when: datetime) -> None:
    # A build state from before the reader held dates to 1900-9998 may hold one: an
    # OverflowError traceback, or `Mon, 01 Jan 1` that apps read as 2001.
    with pytest.raises(OutputError, match=r"episode x is dated .* correct its article's `date`"):
        entry("x", "خبر", when)


def test_item_link_is_an_escaped_ascii_url_and_follows_base_url(tmp_path: Path) -> None:
    xml = render(
        tmp_path,
        [replace(EPISODES[0], page_path="episodes/نشرة 1.html")],
        base_url="https://radio.example.org/nashra/",
    )

    [item] = channel_of(xml).findall("item")
    assert item.findtext("link") == (
        "https://radio.example.org/nashra/episodes/%D9%86%D8%B4%D8%B1%D8%A9%201.html"
    )


def test_an_item_without_a_page_has_no_link(tmp_path: Path) -> None:
    [item] = channel_of(render(tmp_path, [replace(EPISODES[0], page_path=None)])).findall("item")
    assert item.find("link") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\u200fعاجل\u200f", "عاجل"),
        ("\u061cمصر\u202a 2026 \u202c", "مصر 2026"),
        ("\u2066أ\u2067ب\u2068ج\u2069", "أبج"),
        ("  سطر\nثان\t\u00a0ثالث  ", "سطر ثان ثالث"),
        ("نص\x00مع\x0bرموز\x1fتحكم", "نص مع رموز تحكم"),
        # ZWNJ and ZWJ shape letters; they are not bidi controls.
        ("می\u200cخواهم", "می\u200cخواهم"),
    ],
)
def test_clean_line(text: str, expected: str) -> None:
    assert clean_line(text) == expected


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("قصير", 4000, "قصير"),
        ("أخبار اليوم", 22, "أخبار اليوم"),  # exactly 21 bytes: kept whole
        ("أخبار اليوم من الرياض", 25, "أخبار اليوم…"),
        ("أخبار اليوم", 16, "أخبار…"),
        ("abc defghij", 9, "abc…"),
        ("abcdefghij", 7, "abcd…"),  # one long word: cut inside it
        ("أخبارعاجلة", 8, "أخ…"),  # never half a character
    ],
)
def test_truncate_utf8(text: str, limit: int, expected: str) -> None:
    result = truncate_utf8(text, limit)
    assert result == expected
    assert len(result.encode("utf-8")) <= limit


@pytest.mark.parametrize(
    ("iri", "uri"),
    [
        ("https://example.com/a/b?x=1&y=2", "https://example.com/a/b?x=1&y=2"),
        ("https://example.com/%D8%AE", "https://example.com/%D8%AE"),
        ("https://example.com/خبر", "https://example.com/%D8%AE%D8%A8%D8%B1"),
        ("https://example.com/a b", "https://example.com/a%20b"),
        ("https://مثال.إختبار/", "https://xn--mgbh0fb.xn--kgbechtv/"),
    ],
)
def test_iri_to_uri(iri: str, uri: str) -> None:
    assert iri_to_uri(iri) == uri


def test_episode_entry_needs_an_aware_date() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        entry("x", "خبر", datetime(2015, 8, 6, 1, 0))


# ---------------------------------------------------------------- hostile text

HOSTILE = (
    'خبر <img src=x onerror="alert(1)"> عاجل <script>alert(2)</script>'
    ' <a href="javascript:alert(3)">رابط</a> <\u200fscript>alert(4)</script> <iframe src=//evil'
)


def test_markup_in_an_article_reaches_no_app_as_markup(tmp_path: Path) -> None:
    when = EPISODES[0].pub_date
    hostile = entry("01-alwatan", "عنوان", when, description=HOSTILE, author=HOSTILE)
    xml = render(tmp_path, [hostile], author="<b>نشرة</b>", description="<i>أخبار</i> اليوم")
    episode = podcastparser.parse(FEED_URL, BytesIO(xml))["episodes"][0]
    parsed = feedparser.parse(xml, response_headers={"content-type": "application/rss+xml"})
    item = parsed.entries[0]
    seen = [
        episode["description"],
        episode.get("description_html", ""),
        item.summary,
        item.author,
        parsed.feed.author,
        parsed.feed.subtitle,
        *(element.text for element in etree.fromstring(xml).iter() if element.text),
    ]
    for text in seen:
        assert not re.search(r"<\s*[a-z/!?]", text, re.IGNORECASE), text
    assert episode["description"] == (
        f"خبر عاجل alert(2) رابط alert(4) iframe src=//evil {SYNTHETIC_VOICE}"
    )
    assert channel_of(xml).findtext(f"{{{ITUNES}}}author") == "نشرة"
