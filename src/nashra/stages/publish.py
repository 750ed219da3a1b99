"""Stage 5, publish: everything in `output/` that is rendered from the build state.

The channel cover, each episode's chapters and transcripts, `feed.xml`, and the
web pages, in that order; only after the new feed and pages are in place are
the files the old ones named (older versions of changed episodes, removed
articles) deleted, so neither a podcast app nor a web page ever points at a
missing file, whenever a build is killed. `withdraw` takes back what a build
stopped by a signal made but did not publish.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Collection, Container, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Any

from nashra.config.settings import Settings
from nashra.core.model import Cue, EpisodeRecord
from nashra.render import feed, sidecars, site, titles
from nashra.stages.covers import channel_cover
from nashra.storage import paths
from nashra.storage.episode_folder import EpisodeFolder
from nashra.storage.fingerprint import fingerprint
from nashra.storage.state import BuildState, Details
from nashra.storage.writer import atomic_write, safe_join, write_if_changed

log = logging.getLogger(__name__)

TRANSCRIPT_TYPES = {
    "vtt": sidecars.VTT_TYPE,
    "srt": sidecars.SRT_TYPE,
    "json": sidecars.JSON_TYPE,
}


@dataclass(frozen=True)
class Published:
    feed_path: str
    """The feed, relative to `output/`."""
    episodes: int
    audio_seconds: float
    collected: int
    """Old episode files removed after the new feed was written."""


def publish(
    settings: Settings,
    episodes: Mapping[str, EpisodeRecord],
    podcast_guid: str,
    *,
    fresh: Collection[str] = (),
    unlisted: Collection[str] = (),
    see_also: tuple[str, str] | None = None,
) -> Published:
    """Stage 5: render `output/` from the published `episodes` (by slug).

    `fresh` names the episodes made by this build: their companion files are
    written again; the others' only when missing. `unlisted` episodes keep their
    files but are left out of the feed and the pages (they are heard in bulletins).
    Only the web pages of episodes whose record changed since the pages were last
    rendered are rendered again (all of them when the settings or nashra itself changed).
    """
    fresh, unlisted = frozenset(fresh), frozenset(unlisted)  # looked up once per episode
    out = settings.output_dir
    out.mkdir(parents=True, exist_ok=True)
    cover = paths.cover_file(settings.image)
    write_if_changed(safe_join(out, cover), channel_cover(settings))
    records = list(episodes.values())
    present = EpisodeFolder.scan(out)
    state_file = paths.state_file(settings.work_dir)
    # The records come without their transcripts and descriptions; only the files, pages
    # and feed entries that are written again read them, one at a time.
    with Details(state_file) as details:
        for record in records:
            fresh_one = record.slug in fresh
            write_sidecars(settings, record, fresh=fresh_one, present=present, cues=details.cues)
        listed = [r for r in records if r.slug not in unlisted]
        in_feed = newest(listed, settings.feed_items)
        rendered = feed_xml(settings, in_feed, podcast_guid, described=details.described)
    write_if_changed(safe_join(out, paths.FEED_FILE), rendered)
    # The web pages (index.html, episodes/<slug>.html, assets/) name the same files.
    memo_file = paths.site_key_file(settings.work_dir)
    memo = _read_memo(memo_file)
    key = site_key(settings, cover)
    same_site = memo.get("key") == key
    generation, generations = BuildState.generations(state_file)
    since = int(memo.get("generation", 0)) if same_site else 0
    archive = site.ArchiveMemo(generations, dict(memo.get("archive", {})) if same_site else {})
    with Details(state_file) as details:
        site.write_site(
            settings,
            listed,
            cover=cover,
            files=paths.record_sidecars,
            see_also=see_also,
            changed={*fresh, *(s for s, g in generations.items() if g > since)}
            if same_site
            else None,
            archive=archive,
            cues=details.cues,
            described=details.described,
        )
    memo = {"key": key, "generation": generation, "archive": archive.keys}
    atomic_write(memo_file, json.dumps(memo, sort_keys=True).encode(), durable=False)
    # Only now that the new feed and pages are out may the files the old ones named go.
    collected = present.collect(records)
    BuildState.prune_details(state_file)
    return Published(
        feed_path=paths.FEED_FILE,
        episodes=len(in_feed),
        audio_seconds=sum(r.duration for r in listed),
        collected=collected,
    )


def _read_memo(path: Path) -> dict[str, Any]:
    """What the pages were last rendered from; anything unreadable means render them all."""
    try:
        memo = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return memo if isinstance(memo, dict) else {}


def newest(records: Collection[EpisodeRecord], count: int) -> list[EpisodeRecord]:
    """The `count` newest episodes, newest first (ties by slug): the feed's episodes."""
    by_slug = sorted(records, key=lambda r: r.slug)
    return sorted(by_slug, key=lambda r: r.pub_datetime, reverse=True)[:count]


def site_key(settings: Settings, cover: str) -> str:
    """What every web page depends on besides its own episode: settings, cover, and nashra
    itself (its code and templates)."""
    parts = [fingerprint(), repr(settings), cover]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def feed_xml(
    settings: Settings,
    records: Collection[EpisodeRecord],
    podcast_guid: str,
    *,
    feed_file: str = paths.FEED_FILE,
    described: Callable[[EpisodeRecord], EpisodeRecord] | None = None,
) -> bytes:
    """The feed of the newest `feed_items` of these episodes; `nashra serve` calls it with
    another `base_url`. `described` gives a record with its description, when the
    records were loaded from the build state without (`state.Details.described`)."""
    shown = newest(records, settings.feed_items)
    entries = [feed_entry(r) for r in (map(described, shown) if described else shown)]
    return feed.render_feed(
        settings,
        titles.distinct_titles(entries),
        image_path=paths.cover_file(settings.image),
        podcast_guid=podcast_guid,
        feed_url=settings.url_for(feed_file),
    )


def feed_entry(record: EpisodeRecord) -> feed.EpisodeEntry:
    """The feed's item for one episode: its audio, page, cover, chapters and transcripts,
    as `output/` holds them. The record must have its description."""
    companions = paths.record_sidecars(record)
    return feed.EpisodeEntry(
        slug=record.slug,
        guid=record.guid,
        title=record.title,
        description=record.shown_description,
        author=record.author,
        pub_date=record.pub_datetime,
        audio_path=record.file,
        length=record.length,
        duration=record.duration,
        page_path=site.page_path(record),
        image_path=record.image,
        link=record.link,
        chapters=record.chapters,
        chapters_path=companions.get("chapters"),
        transcripts=tuple(
            (path, TRANSCRIPT_TYPES[kind])
            for kind, path in companions.items()
            if kind in TRANSCRIPT_TYPES
        ),
    )


def write_sidecars(
    settings: Settings,
    record: EpisodeRecord,
    *,
    fresh: bool,
    present: Container[str] | None = None,
    cues: Callable[[EpisodeRecord], Sequence[Cue]] = attrgetter("cues"),
) -> None:
    """Chapters and transcripts, rendered from the build state (so always in step with it).

    An unchanged episode's files were written when it was built (its record, and so
    their content, has not changed since); they are only written again if missing.
    `present` holds the files in `output/episodes/` (as `episodes/<name>`), when known;
    `cues` gives the record's transcript (a record from the build state has none in it).
    """
    sidecar_files = paths.record_sidecars(record).values()
    if not fresh and present is not None and all(r in present for r in sidecar_files):
        return
    files = {
        kind: safe_join(settings.output_dir, relative)
        for kind, relative in paths.record_sidecars(record).items()
    }
    if not fresh and all(path.is_file() for path in files.values()):
        return
    transcript = cues(record) if record.has_cues else ()
    renderers = {
        "chapters": lambda: sidecars.chapters_json(record.chapters, title=record.title),
        "vtt": lambda: sidecars.webvtt(transcript),
        "srt": lambda: sidecars.srt(transcript),
        "json": lambda: sidecars.transcript_json(transcript),
    }
    for kind, path in files.items():
        write_if_changed(path, renderers[kind]())


def collect_garbage(settings: Settings, records: Collection[EpisodeRecord]) -> int:
    """Remove episode files no record names: older versions, and leftovers of killed builds."""
    return EpisodeFolder.scan(settings.output_dir).collect(records)


def withdraw(settings: Settings, before: Mapping[str, EpisodeRecord]) -> list[str]:
    """Take back what an interrupted build made but did not publish; return those slugs.

    `before` is the build state's episodes as the build found them. An episode
    whose new MP3 `output/feed.xml` does not name has its old record put back
    (or none, if it is new), and every episode file that neither the old nor the
    restored records name is deleted: the new MP3s, covers and companions,
    including those of episodes finished in the very moment of the interrupt.
    An old file that the feed no longer names is kept only while a web page still
    names it (the build stopped between writing the feed and the pages). So
    `output/` holds no MP3 that neither the feed nor a page names, and the next
    build makes those episodes again from the clips in the cache.
    """
    state_file = paths.state_file(settings.work_dir)
    state = BuildState.load(state_file)
    try:
        feed_text = (settings.output_dir / paths.FEED_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        feed_text = ""
    withdrawn: list[str] = []
    for slug, new in list(state.episodes.items()):
        old = before.get(slug)
        if (old is not None and new.file == old.file) or f"/{new.file}" in feed_text:
            continue
        if old is None:
            del state.episodes[slug]
        else:
            state.episodes[slug] = old
        withdrawn.append(slug)
    if withdrawn:
        state.save(state_file)
    replaced = {
        slug
        for slug, record in before.items()
        if (now := state.episodes.get(slug)) is None or now.file != record.file
    }
    pages = _pages_naming(settings, replaced) if replaced else ""
    kept = [
        record
        for slug, record in before.items()
        if slug not in replaced
        or f"/{record.file}" in feed_text
        or record.file.rsplit("/", 1)[-1] in pages
    ]
    collect_garbage(settings, [*state.episodes.values(), *kept])
    return sorted(withdrawn)


def _pages_naming(settings: Settings, slugs: set[str]) -> str:
    """The text of the web pages that may name these episodes' files."""
    out = settings.output_dir
    pages = [out / "index.html", *(out / "episodes" / f"{slug}.html" for slug in sorted(slugs))]
    pages += sorted((out / "archive").glob("*.html"))
    texts = []
    for page in pages:
        try:
            texts.append(page.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
    return "\n".join(texts)
