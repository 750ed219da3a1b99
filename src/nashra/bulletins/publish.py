"""The bulletins in `output/`: `bulletin.xml`, their chapters and transcripts, and their
pages in `bulletins/`, rendered from the bulletins' state like the main feed.

Files in `bulletins/` that no published bulletin names (older versions) are
removed only after the new feed is in place.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from nashra import paths, site
from nashra.model import EpisodeRecord
from nashra.settings import Settings
from nashra.stages.bulletin import (
    FEED_FILE,
    FEED_TITLE_SUFFIX,
    FOLDER,
    BulletinReport,
    build_bulletins,
)
from nashra.stages.publish import feed_xml, write_sidecars
from nashra.stages.read import Job
from nashra.writer import safe_join, write_if_changed

SUFFIXES = (*paths.EPISODE_SUFFIXES, ".html")
INDEX = f"{FOLDER}/index.html"


def bulletin_settings(settings: Settings) -> Settings:
    """The settings the bulletin feed and pages are rendered with: their own title."""
    return replace(settings, title=f"{settings.title}{FEED_TITLE_SUFFIX}")


def publish_bulletins(
    settings: Settings,
    records: Sequence[EpisodeRecord],
    podcast_guid: str,
    *,
    fresh: Collection[str] = (),
) -> int:
    """Write the bulletin feed, companions and pages; return how many old files went."""
    own = bulletin_settings(settings)
    out = settings.output_dir
    for record in records:
        write_sidecars(own, record, fresh=record.slug in fresh)
    data = feed_xml(own, records, podcast_guid, feed_file=FEED_FILE)
    write_if_changed(safe_join(out, FEED_FILE), data)
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
        own, records, cover=cover, here=FOLDER, feed_url=settings.url_for(FEED_FILE)
    )
    write_if_changed(safe_join(out, INDEX), index)
    removed = 0
    for path in sorted((out / FOLDER).iterdir()):
        relative = f"{FOLDER}/{path.name}"
        if path.is_file() and path.name.endswith(SUFFIXES) and relative not in keep:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def make_bulletins(
    settings: Settings,
    episodes: Mapping[str, EpisodeRecord],
    jobs_by_slug: Mapping[str, Job],
    now: datetime,
    *,
    jobs: int = 1,
    forced: Collection[str] = (),
) -> BulletinReport:
    """Stage 6 and its publishing: the bulletins made, then `bulletin.xml` and pages."""
    report = build_bulletins(settings, episodes, jobs_by_slug, now, jobs=jobs, forced=forced)
    slugs = {r.slug for r in report.records}
    built = {s for s in slugs if s.removeprefix("bulletin-") in report.built}
    publish_bulletins(settings, report.records, report.podcast_guid, fresh=built)
    return report
