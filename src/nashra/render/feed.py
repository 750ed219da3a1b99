"""The feed writer: the one module that talks to feedgen.

It renders the podcast's RSS 2.0 feed from plain `EpisodeEntry` records. The
output depends only on its inputs (no "now" anywhere), so an unchanged project
gives a byte-identical `feed.xml` and the builder can skip rewriting it.

feedgen 1.0.0 has gaps and traps that this module works around:

* it only writes `itunes:explicit` as yes/no/clean, which Apple now rejects,
  so a small extension of ours writes `true`/`false` instead;
* it has no Podcasting 2.0 tags, so the same extension writes `podcast:guid`,
  `podcast:locked`, `podcast:txt purpose="ai-content"` (the voice is synthetic)
  and, for an article written by a person, `podcast:person` (group `writing`,
  role `author`: a paper or an agency is no person);
* `<channel><link>` is the href of the *last* `link()` call, so `rel=self`
  goes first;
* it silently drops a channel `itunes:image` whose URL does not end in
  `.jpg`/`.png`, so we check that the tag made it into the output;
* it always writes a `lastBuildDate` (defaulting to now); we set it from the
  newest episode and remove it when there are no episodes;
* it has no chapters or transcripts: the item extension writes
  `podcast:chapters` and `podcast:transcript`, and the same chapters as Podlove
  Simple Chapters (`psc:chapters`), which Spotify and gPodder's podcastparser read
  (podcastparser ignores the canonical Podcasting 2.0 namespace);
* it declares on `<rss>` only the namespaces of channel extensions, so the
  channel extension declares `psc` too: every namespace once, on the root, with
  its conventional prefix, which some parsers match.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from nashra import __version__
from nashra.config.settings import Settings
from nashra.core import pubdates
from nashra.core.errors import OutputError, UsageError
from nashra.core.model import Chapter
from nashra.readers.bylines import is_source
from nashra.readers.sanitize import LinkRejected, plain_text, web_link
from nashra.render.descriptions import describe, truncate_utf8
from nashra.render.media_types import AUDIO_TYPE, CHAPTERS_TYPE, RSS_TYPE, media_type
from nashra.text.invisible import strip_bidi

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"
PSC_NS = "http://podlove.org/simple-chapters"

# Fixed by the Podcasting 2.0 `podcast:guid` specification.
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")

PERSON_MAX_CHARS = 128
"""The Podcasting 2.0 limit for a `podcast:person`'s name; a longer author field is no name."""
AI_CONTENT = "ai-content"
"""The `podcast:txt` purpose that says the content is made by AI (RSS.com, Podnews, TrueFans)."""

# Podcast apps lay text out with the Unicode bidi algorithm; explicit marks and
# embeddings copied from web pages only show up as junk or flip punctuation.
# U+061C (ARABIC LETTER MARK) is included for the same reason.
# lxml refuses to serialise characters that XML 1.0 forbids; scraped text has some.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


@dataclass(frozen=True)
class EpisodeEntry:
    """One episode as the feed shows it."""

    slug: str
    guid: str
    title: str
    description: str
    """Plain text, usually the article's lead: the `{lead}` of `episode_description`,
    which is filled in, escaped and trimmed to 4000 bytes here."""
    author: str | None
    """The article's writer, or the paper or agency it comes from."""
    pub_date: datetime
    audio_path: str
    """Relative to `output/`, e.g. ``episodes/<slug>.mp3``."""
    length: int
    """Bytes of the final MP3."""
    duration: float
    """Seconds."""
    page_path: str | None = None
    """The episode's web page, relative to `output/` (``episodes/<slug>.html``): the
    item's `<link>`, which apps show as the episode's website. The page links on to
    the article's original URL."""
    image_path: str | None = None
    """The episode's own cover, relative to `output/`."""
    chapters: tuple[Chapter, ...] = ()
    chapters_path: str | None = None
    """The JSON chapters file, relative to `output/`."""
    transcripts: tuple[tuple[str, str], ...] = ()
    """(path relative to `output/`, MIME type) of each transcript file."""
    link: str | None = None
    """The article's own address (its front matter `url`): the description names it."""

    def __post_init__(self) -> None:
        if self.pub_date.tzinfo is None or self.pub_date.utcoffset() is None:
            raise ValueError(f"episode {self.slug}: pub_date must be timezone-aware")
        if not pubdates.EARLIEST_DATE <= self.pub_date < pubdates.END_OF_DATES:
            # Only a build state from before the reader held dates to this range has one.
            raise OutputError(
                f"episode {self.slug} is dated {self.pub_date.isoformat()}, which a feed "
                f"cannot carry (dates run from {pubdates.EARLIEST_DATE.year} to "
                f"{pubdates.END_OF_DATES.year - 1}); correct its article's `date`"
            )
        if not self.guid:
            raise ValueError(f"episode {self.slug}: guid must not be empty")
        if self.length < 0 or self.duration < 0:
            raise ValueError(f"episode {self.slug}: length and duration must not be negative")
        if media_type(self.audio_path) != AUDIO_TYPE:
            raise ValueError(f"episode {self.slug}: {self.audio_path!r} is not an MP3 file")


def podcast_guid(feed_url: str) -> str:
    """The Podcasting 2.0 `podcast:guid` for a feed first published at `feed_url`.

    A UUIDv5 of the URL without its scheme and trailing slashes, as the
    specification prescribes, so directories can compute the same value.
    """
    name = _SCHEME.sub("", feed_url.strip()).rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, name))


def episode_guid(podcast_guid: str, slug: str) -> str:
    """A stable item `<guid>` derived from the show's guid and the file-name slug.

    Slugs come from file names, which outlive edits to titles and text, so the
    guid survives them and apps do not re-download or duplicate the episode.
    """
    return str(uuid.uuid5(uuid.UUID(podcast_guid), slug))


def render_feed(
    settings: Settings,
    episodes: Sequence[EpisodeEntry],
    *,
    image_path: str,
    podcast_guid: str,
    feed_url: str | None = None,
) -> bytes:
    """The podcast's RSS 2.0 feed as UTF-8 bytes; the same inputs give the same bytes.

    `image_path` is the cover's path relative to `output/`. `podcast_guid` is
    passed in rather than computed because it must survive a change of `base_url`.
    """
    feed_url = feed_url or settings.feed_url
    website = iri_to_uri(settings.website)
    if website.rstrip("/") == feed_url.rstrip("/"):
        raise UsageError(
            f"`link` ({settings.link}) is the feed's own URL; set it to the show's web page"
        )
    guids = [e.guid for e in episodes]
    if len(set(guids)) != len(guids):
        duplicated = sorted({g for g in guids if guids.count(g) > 1})
        raise OutputError(
            f"refusing to write a feed where episodes share a guid: {', '.join(duplicated)}"
        )

    ordered = sorted(sorted(episodes, key=lambda e: e.slug), key=lambda e: e.pub_date, reverse=True)
    image_url = _public_url(settings, image_path)

    fg = FeedGenerator()
    fg.load_extension("podcast")
    fg.register_extension("nashra", _ChannelExtension, _ItemExtension, atom=False)

    fg.title(clean_line(settings.title))
    fg.description(clean_text(settings.description))
    # feedgen puts the href of the last link() call into <channel><link>.
    fg.link(href=feed_url, rel="self", type=RSS_TYPE)
    fg.link(href=website, rel="alternate")
    fg.language(settings.language)
    fg.generator(f"nashra {__version__}")
    if settings.copyright:
        fg.copyright(clean_line(settings.copyright))
    fg.image(url=image_url, title=clean_line(settings.title), link=website)
    newest = ordered[0].pub_date.astimezone(UTC) if ordered else datetime(1970, 1, 1, tzinfo=UTC)
    fg.lastBuildDate(newest)

    fg.podcast.itunes_author(clean_text(settings.author))
    fg.podcast.itunes_owner(name=clean_line(settings.owner.name), email=settings.owner.email)
    fg.podcast.itunes_image(image_url)
    category: dict[str, str] = {"cat": settings.category}
    if settings.subcategory:
        category["sub"] = settings.subcategory
    fg.podcast.itunes_category(category)
    fg.podcast.itunes_type("episodic")

    channel: _ChannelExtension = fg.nashra
    channel.explicit = _true_false(settings.explicit)
    channel.guid = podcast_guid
    channel.locked = "yes" if settings.locked else "no"
    channel.ai_content = settings.ai_content
    channel.owner_email = settings.owner.email
    channel.image_url = image_url
    channel.keep_last_build_date = bool(ordered)

    for episode in ordered:
        _add_item(fg, settings, episode)

    xml: bytes = fg.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return xml


def _add_item(fg: Any, settings: Settings, episode: EpisodeEntry) -> None:
    fe = fg.add_entry(order="append")
    title = clean_line(episode.title)
    fe.title(title)
    fe.description(truncate_utf8(_description(settings, episode, title)) or title)
    fe.guid(episode.guid, permalink=False)
    fe.pubDate(episode.pub_date.astimezone(UTC))
    fe.enclosure(
        _public_url(settings, episode.audio_path),
        str(episode.length),
        AUDIO_TYPE,
    )
    if episode.page_path:
        fe.link(href=_public_url(settings, episode.page_path))
    # feedgen rejects floats here, and Apple recommends whole seconds.
    fe.podcast.itunes_duration(str(round(episode.duration)))
    author = clean_text(episode.author or "")
    if author:
        fe.podcast.itunes_author(author)
    fe.podcast.itunes_episode_type("full")
    if episode.image_path:
        fe.podcast.itunes_image(_public_url(settings, episode.image_path))
    item: _ItemExtension = fe.nashra
    item.explicit = _true_false(settings.explicit)
    item.person = person(author)
    if episode.chapters_path:
        item.chapters_url = _public_url(settings, episode.chapters_path)
    item.chapters = episode.chapters
    item.transcripts = [
        (_public_url(settings, path), mime, settings.language) for path, mime in episode.transcripts
    ]


def _description(settings: Settings, episode: EpisodeEntry, title: str) -> str:
    values = {
        "lead": clean_text(episode.description),
        "title": title,
        "author": clean_text(episode.author or ""),
        "url": article_link(episode.link),
    }
    return describe(settings.description_template, values)


def person(author: str) -> str | None:
    """The `podcast:person` an episode credits: its (cleaned) author when that is a
    person's name, not a paper or an agency (`readers.bylines` told them apart when the
    article was read) and not too long to be a name."""
    if not author or is_source(author) or len(author) > PERSON_MAX_CHARS:
        return None
    return author


def article_link(url: str | None) -> str:
    """The article's address as a description names it: only http(s), in ASCII; "" for
    none (a record from an older build state may hold a link never checked)."""
    if not url:
        return ""
    try:
        return iri_to_uri(web_link(url.strip()))
    except (LinkRejected, ValueError, UnicodeError):
        return ""


# ---------------------------------------------------------------- text and URLs


def clean_line(text: str) -> str:
    """Text for a feed field: no bidi controls, no XML-illegal characters, one line.

    Whitespace runs (newlines included) become single spaces: titles and
    descriptions are plain text that apps show as one paragraph anyway.
    """
    text = strip_bidi(text)
    text = _XML_ILLEGAL.sub(" ", text)
    return " ".join(text.split())


def clean_text(text: str) -> str:
    """`clean_line` without markup, for the fields apps render as HTML (descriptions,
    authors): `<img src=x onerror=…>` in an article must reach no app as a tag. Bidi
    marks go first, so `<\u200fscript>` cannot become a tag once they are gone."""
    return " ".join(plain_text(clean_line(text)).split())


def iri_to_uri(iri: str) -> str:
    """An ASCII URL for `iri`: Arabic in paths and queries percent-encoded, hosts in IDNA.

    Existing percent-escapes and reserved characters are left alone, so an
    already-encoded URL comes back unchanged.
    """
    parts = urlsplit(iri)
    host = parts.hostname or ""
    netloc = parts.netloc
    if host and not host.isascii():
        netloc = netloc.replace(host, host.encode("idna").decode("ascii"))
    safe = "!#$%&'()*+,/:;=?@[]~"
    return urlunsplit(
        (
            parts.scheme,
            netloc,
            quote(parts.path, safe=safe),
            quote(parts.query, safe=safe),
            quote(parts.fragment, safe=safe),
        )
    )


def _public_url(settings: Settings, relative: str) -> str:
    # File names may hold spaces or Arabic; feeds need ASCII URLs.
    return settings.url_for(quote(relative.replace("\\", "/"), safe="/"))


def _npt(seconds: float) -> str:
    """Normal Play Time, as Podlove Simple Chapters write it: HH:MM:SS.mmm."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def _true_false(flag: bool) -> str:
    return "true" if flag else "false"


# ---------------------------------------------------------------- feedgen extension
#
# feedgen calls these duck-typed classes through `register_extension`: it makes
# one instance per feed and per item, asks `extend_ns` for namespaces and passes
# the finished RSS element to `extend_rss`. Our extension is registered after
# feedgen's podcast extension, so it runs after it and sees its tags.


class _ChannelExtension:
    def __init__(self) -> None:
        self.explicit = "false"
        self.guid: str | None = None
        self.locked: str | None = None
        self.ai_content = False
        self.owner_email: str | None = None
        self.image_url = ""
        self.keep_last_build_date = True

    def extend_ns(self) -> dict[str, str]:
        # feedgen declares only the channel extensions' namespaces, on <rss>; one that
        # only items use would be declared on each item under a made-up prefix (ns5:).
        return {"itunes": ITUNES_NS, "podcast": PODCAST_NS, "psc": PSC_NS}

    def extend_rss(self, rss: Any) -> Any:
        channel = rss[0]
        if channel.find(f"{{{ITUNES_NS}}}image") is None:
            raise UsageError(
                f"the cover {self.image_url} would be left out of the feed: "
                "podcast apps accept only .jpg and .png cover files"
            )
        if not self.keep_last_build_date:
            # With no episodes nothing dates the feed, and "now" would make every build differ.
            for element in channel.findall("lastBuildDate"):
                channel.remove(element)
        xml_elem(f"{{{ITUNES_NS}}}explicit", channel).text = self.explicit
        if self.guid:
            xml_elem(f"{{{PODCAST_NS}}}guid", channel).text = self.guid
        if self.locked:
            locked = xml_elem(f"{{{PODCAST_NS}}}locked", channel)
            locked.text = self.locked
            if self.owner_email:
                locked.attrib["owner"] = self.owner_email
        if self.ai_content:
            txt = xml_elem(f"{{{PODCAST_NS}}}txt", channel)
            txt.attrib["purpose"] = AI_CONTENT
            txt.text = "true"
        return rss

    def extend_atom(self, feed: Any) -> Any:
        return feed


class _ItemExtension:
    def __init__(self) -> None:
        self.explicit = "false"
        self.chapters_url: str | None = None
        self.chapters: tuple[Chapter, ...] = ()
        self.transcripts: list[tuple[str, str, str]] = []
        self.person: str | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"itunes": ITUNES_NS, "podcast": PODCAST_NS, "psc": PSC_NS}

    def extend_rss(self, item: Any) -> Any:
        xml_elem(f"{{{ITUNES_NS}}}explicit", item).text = self.explicit
        if self.person:
            element = xml_elem(f"{{{PODCAST_NS}}}person", item)
            element.attrib.update({"group": "writing", "role": "author"})
            element.text = self.person
        for url, mime, language in self.transcripts:
            transcript = xml_elem(f"{{{PODCAST_NS}}}transcript", item)
            transcript.attrib.update({"url": url, "type": mime, "language": language})
            if mime == "text/vtt":
                # Timed cues: apps may show them as closed captions.
                transcript.attrib["rel"] = "captions"
        if self.chapters_url:
            element = xml_elem(f"{{{PODCAST_NS}}}chapters", item)
            element.attrib.update({"url": self.chapters_url, "type": CHAPTERS_TYPE})
        if self.chapters:
            psc = xml_elem(f"{{{PSC_NS}}}chapters", item)
            psc.attrib["version"] = "1.2"
            for chapter in self.chapters:
                xml_elem(f"{{{PSC_NS}}}chapter", psc).attrib.update(
                    {"start": _npt(chapter.start), "title": clean_line(chapter.title)}
                )
        return item

    def extend_atom(self, entry: Any) -> Any:
        return entry
