"""A lost build state, rebuilt from the feed that is published.

The build state (`.nashra/state.sqlite`) holds each episode's GUID, first
publication date and file. When it is gone but `output/feed.xml` lists episodes,
those are all in the feed: each becomes a record again, so the episodes keep their
GUIDs and dates and are not re-dated (podcast apps would list them as new). What
the feed does not carry (the content key, the engine) is left empty, so the next
build voices each episode again, as a new version under a new file name, as it
does for a changed article; its first publication date stays.
"""

from __future__ import annotations

import logging
import re

from nashra import paths
from nashra.feed_items import FeedItem, read_feed
from nashra.model import EpisodeRecord
from nashra.readers import article_names, name_slugs
from nashra.settings import Settings

log = logging.getLogger(__name__)

_PAGE = re.compile(rf"{paths.EPISODES_DIR}/(.+)\.html")
_AUDIO = re.compile(rf"{paths.EPISODES_DIR}/(.+?)(?:-v\d+)?\.mp3")


def recover_state(settings: Settings) -> tuple[str | None, dict[str, EpisodeRecord]]:
    """The podcast's GUID and the episodes' records, as `output/feed.xml` lists them;
    none when there is no feed (a new project). Warns either way when the feed was
    there: a lost state is worth a look."""
    state_file = paths.state_file(settings.work_dir)
    feed_file = settings.output_dir / paths.FEED_FILE
    try:
        data = feed_file.read_bytes()
    except FileNotFoundError:
        return None, {}
    except OSError as exc:
        log.warning(
            "the build state %s is missing and %s cannot be read (%s): every episode "
            "will be dated as new",
            state_file,
            feed_file,
            exc.strerror or exc,
        )
        return None, {}
    try:
        published = read_feed(data, settings.base_url)
    except ValueError as exc:
        log.warning(
            "the build state %s is missing and %s is %s: every episode will be dated as new",
            state_file,
            feed_file,
            exc,
        )
        return None, {}
    names = article_names(settings.articles_dir)
    sources = {slug: name for name, slug in name_slugs(names, {}).items()}
    records: dict[str, EpisodeRecord] = {}
    for item in published.items:
        record = _record(item, sources)
        if record is not None and record.slug not in records:
            records[record.slug] = record
    if published.items:
        log.warning(
            "the build state %s is missing: rebuilt it from %s (%d of its %d episodes "
            "keep their GUIDs and first publication dates; they are voiced again)",
            state_file,
            feed_file,
            len(records),
            len(published.items),
        )
    return published.podcast_guid, records


def _record(item: FeedItem, sources: dict[str, str]) -> EpisodeRecord | None:
    """The record of one feed item of an article's episode (not a bulletin's)."""
    found = _PAGE.fullmatch(item.page or "") or _AUDIO.fullmatch(item.file or "")
    if found is None or not item.guid or item.pub_date is None or item.file is None:
        return None
    slug = found.group(1)
    when = item.pub_date.isoformat()
    name = sources.get(slug)
    # Imported here: the read stage imports much that recovering needs not.
    from nashra.stages.read import _source_named

    return EpisodeRecord(
        slug=slug,
        source=_source_named(name) if name else "",
        guid=item.guid,
        first_published=when,
        # Unknown: never equal to an article's, so the episode is made again.
        content_key="",
        engine="",
        voice_id="",
        file=item.file,
        length=item.length,
        duration=item.duration,
        title=item.title,
        description=item.description,
        author=item.author,
        pub_date=when,
        image=item.image,
    )
