"""The bulletins in `output/`: `bulletin.xml`, their chapters and transcripts, and their
pages in `bulletins/`, rendered from the bulletins' state like the main feed.

Files in `bulletins/` that no published bulletin names (older versions) are
removed only after the new feed is in place.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace

from nashra.config.settings import Settings
from nashra.core.model import EpisodeRecord
from nashra.readers.sanitize import safe_link
from nashra.render import sidecars, site
from nashra.stages.bulletins.build import (
    FEED_TITLE_SUFFIX,
    BulletinReport,
    state_path,
)
from nashra.stages.publish import feed_xml
from nashra.storage import paths
from nashra.storage.bulletin_state import BulletinState
from nashra.storage.writer import safe_join, write_if_changed

SUFFIXES = (*paths.EPISODE_SUFFIXES, paths.PAGE_SUFFIX)
INDEX = paths.folder_index(paths.BULLETINS_DIR)
OPENING_CHAPTERS = 2
"""The opening and the headlines come before the articles' chapters."""


def bulletin_settings(settings: Settings) -> Settings:
    """The settings the bulletin feed and pages are rendered with: their own title."""
    return replace(settings, title=f"{settings.title}{FEED_TITLE_SUFFIX}")


def publish_bulletins(
    settings: Settings, report: BulletinReport, articles: Mapping[str, EpisodeRecord]
) -> int:
    """Write the bulletin feed, companions and pages; return how many old files went.

    The chapters file gives each article's chapter its cover and a link to its page.
    Until the first bulletin is made there is no bulletin feed: an empty one is an
    error to podcast directories.
    """
    own = bulletin_settings(settings)
    out = settings.output_dir
    records = report.records
    if not records and not (out / paths.BULLETIN_FEED_FILE).exists():
        return 0
    for record in records:
        extras = chapter_extras(settings, record, report.members.get(record.slug, ()), articles)
        for kind, relative in paths.record_sidecars(record).items():
            write_if_changed(safe_join(out, relative), _companion(kind, record, extras))
    feed = feed_xml(own, records, report.podcast_guid, feed_file=paths.BULLETIN_FEED_FILE)
    write_if_changed(safe_join(out, paths.BULLETIN_FEED_FILE), feed)
    cover = paths.cover_file(settings.image)
    keep = {INDEX}
    for record in records:
        files = paths.record_sidecars(record)
        page = site.page_path(record)
        write_if_changed(
            safe_join(out, page), site.render_episode(own, record, cover=cover, files=files)
        )
        keep.update([page, *paths.record_files(record)])
    index = site.render_index(
        own,
        records,
        cover=cover,
        here=paths.BULLETINS_DIR,
        feed_file=paths.BULLETIN_FEED_FILE,
        see_also=(paths.INDEX_PAGE, "كل الحلقات، مقالا مقالا"),
    )
    write_if_changed(safe_join(out, INDEX), index)
    removed = 0
    for path in sorted((out / paths.BULLETINS_DIR).iterdir()):
        relative = f"{paths.BULLETINS_DIR}/{path.name}"
        if path.is_file() and path.name.endswith(SUFFIXES) and relative not in keep:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _companion(kind: str, record: EpisodeRecord, extras: Mapping[int, Mapping[str, str]]) -> bytes:
    if kind == "chapters":
        return chapters_json(record, extras)
    if kind == "json":
        return sidecars.transcript_json(record.cues)
    return sidecars.webvtt(record.cues) if kind == "vtt" else sidecars.srt(record.cues)


def bulletins_link(settings: Settings, report: BulletinReport | None) -> tuple[str, str] | None:
    """The link from the podcast's page to the bulletins' page, once there is one."""
    if not (report and report.records):
        return None
    if settings.bulletin.period == "week":
        return INDEX, "النشرة الأسبوعية: أخبار كل أسبوع في حلقة واحدة"
    return INDEX, "النشرة اليومية: أخبار كل يوم في حلقة واحدة"


def chapter_extras(
    settings: Settings,
    record: EpisodeRecord,
    members: Sequence[str],
    articles: Mapping[str, EpisodeRecord],
) -> dict[int, dict[str, str]]:
    """By chapter index: the `img` and `url` of each article's chapter (after the two
    opening chapters): its own cover, else the channel's, and its page."""
    extras: dict[int, dict[str, str]] = {}
    for offset, slug in enumerate(members):
        article = articles.get(slug)
        index = OPENING_CHAPTERS + offset
        if article is None or index >= len(record.chapters):
            continue
        image = article.image or paths.cover_file(settings.image)
        extras[index] = {
            "img": settings.url_for(image),
            "url": safe_link(article.link) or settings.url_for(site.page_path(article)),
        }
    return extras


def chapters_json(record: EpisodeRecord, extras: Mapping[int, Mapping[str, str]]) -> bytes:
    """Podcasting 2.0 JSON chapters, with images and links where `extras` has them."""
    chapters = [
        {"startTime": c.start, "title": c.title, **extras.get(i, {})}
        for i, c in enumerate(record.chapters)
    ]
    data = {"version": sidecars.CHAPTERS_VERSION, "title": record.title, "chapters": chapters}
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _published(settings: Settings) -> BulletinState:
    return BulletinState.load(state_path(settings))


def unlisted_articles(settings: Settings) -> set[str]:
    """The articles left out of the main feed because a published bulletin holds them."""
    if settings.bulletin.articles_in_main_feed:
        return set()
    return set(_published(settings).assigned)


def served_link(settings: Settings) -> tuple[str, str] | None:
    """`bulletins_link` from the bulletins' state, for `nashra serve`."""
    bulletins = _published(settings).bulletins
    report = BulletinReport(records=[b.record for b in bulletins.values()])
    return bulletins_link(settings, report)


def served_bulletin_feed(settings: Settings) -> bytes | None:
    """`bulletin.xml` rendered from the bulletins' state for `settings.base_url`, if any."""
    state = _published(settings)
    if not state.bulletins or state.podcast_guid is None:
        return None
    records = [b.record for b in state.bulletins.values()]
    return feed_xml(
        bulletin_settings(settings), records, state.podcast_guid, feed_file=paths.BULLETIN_FEED_FILE
    )
