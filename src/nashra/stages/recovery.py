"""A lost build state, rebuilt from the feed that is published.

The build state (`.nashra/state.sqlite`) holds each episode's GUID, first
publication date and file. When it is gone but `output/feed.xml` lists episodes,
those are all in the feed: each becomes a record again, so the episodes keep their
GUIDs and dates and are not re-dated (podcast apps would list them as new). What
the feed does not carry is read back from the published files when the article is
read (`adopt`): the engine and voice from the MP3's tags, the chapters and the
transcript from its companion files. An episode whose transcript says exactly what
its article's script says is kept as it is; any other is voiced again, as a new
version under a new file name, as for a changed article. Its date stays either way.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import replace

from nashra.config.settings import Settings
from nashra.core.errors import NashraError
from nashra.core.model import Chapter, Cue, EpisodeRecord, Script
from nashra.readers import article_names, name_slugs
from nashra.render import tagging
from nashra.render.feed_items import FeedItem, read_feed
from nashra.storage import paths
from nashra.storage.writer import read_join

log = logging.getLogger(__name__)

RECOVERED = "recovered-from-feed"
"""The content key of a record rebuilt from the feed, until `adopt` gives it its own."""
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
            "the build state %s is missing: rebuilt it from %s (%d of its %d episodes keep "
            "their GUIDs and first publication dates; an episode whose published files do "
            "not say its article's text is voiced again)",
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
    return EpisodeRecord(
        slug=slug,
        source=paths.article_source(name) if name else "",
        guid=item.guid,
        first_published=when,
        # Not an article's: `adopt` makes it one's, else the episode is made again.
        content_key=RECOVERED,
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


def adopt(
    settings: Settings, record: EpisodeRecord, content_key: str, script: Script, lead: str | None
) -> EpisodeRecord:
    """`record`, rebuilt from the feed, made the current episode of the article whose
    content key and script these are, when its published MP3 is whole, its tags name
    its voice and its transcript says exactly what the script says; else `record` as
    it is (and the episode is voiced again)."""
    if record.content_key != RECOVERED:
        return record
    out = settings.output_dir
    companions = paths.sidecar_paths(record.file, chapters=True, cues=True)
    try:
        audio = read_join(out, record.file)
        if audio.stat().st_size != record.length:
            return record
        voice = tagging.read_voice(audio)
        cues = parse_srt(read_join(out, companions["srt"]).read_text(encoding="utf-8"))
        chapters_file = read_join(out, companions["chapters"])
        chapters = (
            tuple(
                Chapter(float(c["startTime"]), str(c["title"]))
                for c in json.loads(chapters_file.read_text(encoding="utf-8"))["chapters"]
            )
            if chapters_file.is_file()
            else ()
        )
        duration = round(tagging.mp3_facts(audio).duration, 3)
    except (OSError, ValueError, KeyError, TypeError, NashraError):
        return record
    said = [_said(u.written) for u in script.utterances if u.written.strip()]
    if voice is None or not said or [c.text for c in cues] != said:
        return record
    engine, voice_id = voice
    return replace(
        record,
        content_key=content_key,
        engine=engine,
        voice_id=voice_id,
        duration=duration,
        description=lead,
        chapters=chapters,
        cues=cues,
    )


def _said(written: str) -> str:
    """A cue's text as the SubRip transcript holds it (`sidecars.srt`)."""
    return " ".join(written.split()).replace("-->", "->")


def parse_srt(text: str) -> tuple[Cue, ...]:
    """The cues of a SubRip transcript nashra wrote; ValueError if it is not one."""
    cues = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.splitlines()
        found = _SRT_TIMES.fullmatch(lines[1]) if len(lines) >= 3 else None
        if found is None:
            raise ValueError("not a SubRip transcript")
        start, end = (_seconds(found.group(n)) for n in (1, 2))
        cues.append(Cue(start, end, " ".join(line.strip() for line in lines[2:])))
    return tuple(cues)


_SRT_TIMES = re.compile(r"(\d+:\d\d:\d\d,\d{3}) --> (\d+:\d\d:\d\d,\d{3})")


def _seconds(stamp: str) -> float:
    hours, minutes, rest = stamp.split(":")
    seconds, millis = rest.split(",")
    return round(int(hours) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000, 3)
