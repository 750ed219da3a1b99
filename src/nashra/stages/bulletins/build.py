"""Stage 6, bulletins: one episode per closed period, made from its articles' own clips.

Runs after the articles' episodes are published. Each article is said with the
voice its episode was made with (the record's engine and voice id) from the
clips already in the cache; only the framing (the opening with the date, the
headlines, the outro) is voiced, through the same cache. A bulletin whose
articles changed is rebuilt under a new file name and keeps its GUID.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from nashra.config.settings import Settings
from nashra.core.errors import EngineError, NashraError
from nashra.core.model import Article, EpisodeRecord, Script, Section
from nashra.engines import create_engine
from nashra.engines.base import Engine, label
from nashra.engines.choice import missing_clips
from nashra.render import audio, feed, tagging
from nashra.stages.article_cache import ScriptReader
from nashra.stages.assemble import tag_chapters
from nashra.stages.bulletins import dates
from nashra.stages.bulletins.mixing import Block, mix
from nashra.stages.bulletins.periods import Planned, plan_bulletins
from nashra.stages.cost import Budget
from nashra.stages.covers import channel_cover, image_mime
from nashra.stages.script import make_script
from nashra.stages.types import Voice
from nashra.stages.voice import synthesize_into_cache, voiced_in
from nashra.storage import paths
from nashra.storage.bulletin_state import BulletinState, Published
from nashra.storage.cache import ClipCache, ClipStore
from nashra.storage.writer import atomic_path, safe_join

log = logging.getLogger(__name__)

FEED_TITLE_SUFFIX = " — النشرة"
BULLETIN_FORMAT = 1
"""Bump when the way bulletins are assembled changes, so every bulletin is rebuilt."""
OPENING_CHAPTER = "افتتاح النشرة"
HEADLINES = "أبرز العناوين"
OUTRO_CHAPTER = "الختام"


@dataclass
class BulletinReport:
    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    """(period key, why)."""
    clips_synthesized: int = 0
    records: list[EpisodeRecord] = field(default_factory=list)
    members: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Each published bulletin's articles, by the bulletin's slug."""
    podcast_guid: str = ""

    def unlisted(self, articles_in_main_feed: bool) -> set[str]:
        """The articles to leave out of the main feed: those heard in a bulletin, if asked."""
        if articles_in_main_feed:
            return set()
        return {slug for members in self.members.values() for slug in members}


def state_path(settings: Settings) -> Path:
    return paths.bulletin_state_file(settings.work_dir)


def feed_url(settings: Settings) -> str:
    return settings.url_for(paths.BULLETIN_FEED_FILE)


def planned(
    settings: Settings,
    episodes: Mapping[str, EpisodeRecord],
    state: BulletinState,
    now: datetime,
    forced: Collection[str] = (),
) -> list[Planned]:
    """The bulletins a build makes (current or not) from the published `episodes`."""
    return plan_bulletins(
        settings.bulletin,
        {slug: r.pub_datetime for slug, r in episodes.items()},
        state.assigned,
        set(state.bulletins),
        now,
        forced=forced,
    )


def framing(settings: Settings, plan: Planned, titles: Sequence[str]) -> tuple[Article, Article]:
    """The bulletin's own words: opening and headlines, and the outro (maybe empty)."""
    config = settings.bulletin
    said = dates.spoken_date(plan.period.day, with_hijri=config.hijri)
    which = f"نشرة الأسبوع المنتهي يوم {said}" if config.period == "week" else f"نشرة {said}"
    opening = [f"{settings.title}.", f"{which}.", *([config.intro] if config.intro else [])]
    head = Article(
        source=Path(plan.period.slug),
        slug=plan.period.slug,
        title=OPENING_CHAPTER,
        sections=(Section(None, tuple(opening)), Section(HEADLINES, tuple(titles))),
    )
    tail = Article(
        source=Path(plan.period.slug),
        slug=plan.period.slug,
        title=OUTRO_CHAPTER,
        sections=(Section(None, (config.outro,)),) if config.outro else (),
    )
    return head, tail


def title_of(settings: Settings, plan: Planned) -> str:
    written = dates.written_date(plan.period.day, with_hijri=settings.bulletin.hijri)
    return settings.bulletin.title.replace("{date}", written)


def build_bulletins(
    settings: Settings,
    episodes: Mapping[str, EpisodeRecord],
    current: Collection[str],
    now: datetime,
    *,
    jobs: int = 1,
    forced: Collection[str] = (),
    clips: ClipStore | None = None,
    budget: Budget | None = None,
) -> BulletinReport:
    """Stage 6: every bulletin `planned`, made or kept; the state saved; nothing published.

    `current` names the articles whose episode is current (unchanged, or made by this
    build): a bulletin reads their articles again. The articles' clips come from
    `clips`, else the project's clip cache. A paid engine voices a bulletin's framing
    only within `budget` (`--max-characters`)."""
    path = state_path(settings)
    state = BulletinState.load(path)
    if state.podcast_guid is None:
        state.podcast_guid = feed.podcast_guid(feed_url(settings))
    report = BulletinReport(podcast_guid=state.podcast_guid)
    cache = clips if clips is not None else ClipCache(paths.clip_dir(settings.work_dir))
    reader = ScriptReader(settings)
    engines: dict[str, Engine] = {}

    def engine_named(name: str) -> Engine:
        if name not in engines:
            engines[name] = create_engine(name, settings.speech.options_for(name))
        return engines[name]

    def planned_script(engine: Engine, script: Script) -> Script:
        known = voiced_in(cache, engine) if engine.needs_network else None
        return engine.plan(script, known)

    plans = planned(settings, episodes, state, now, forced)
    for gone in set(state.bulletins) - {p.period.key for p in plans}:
        log.info("bulletin %s is withdrawn: none of its articles is published", gone)
        del state.bulletins[gone]
    if forced:
        # `nashra bulletin DATE` makes that bulletin alone: the other closed periods
        # wait for a build, and the bulletins out already stay as they are.
        for plan in plans:
            if (key := plan.period.key) not in forced and key in state.bulletins:
                report.records.append(state.bulletins[key].record)
                report.members[state.bulletins[key].record.slug] = state.bulletins[key].members
                report.unchanged.append(key)
        plans = [plan for plan in plans if plan.period.key in forced]
    for plan in plans:
        key = plan.period.key
        try:
            members: list[Block] = []
            for slug in plan.slugs:
                record = episodes[slug]
                if slug not in current:
                    raise NashraError(f"the episode of {record.source} is not current; build it")
                engine = engine_named(record.engine)
                _, source, _ = reader.read(settings.project / record.source)
                script = planned_script(engine, source)
                members.append(Block(Voice(record.engine, record.voice_id, script), record.title))
            head, tail = framing(settings, plan, [episodes[s].title for s in plan.slugs])
            engine = engine_named(episodes[plan.slugs[0]].engine)
            voice_id = engine.voice_id()
            frames = [
                Block(Voice(engine.name, voice_id, planned_script(engine, script)))
                for article in (head, tail)
                if (
                    script := make_script(
                        article, settings.audio, intro=False, lexicon=reader.lexicon
                    )
                ).utterances
            ]
            texts = sorted({u.speech for b in frames for u in b.voice.script.utterances})
            missing = missing_clips(cache, engine, voice_id, texts)
            if budget is not None and engine.paid:
                characters = sum(engine.billed_characters(text) for text in missing)
                if not budget.allows(engine.name, characters):
                    raise NashraError(budget.over(engine.name, label(engine), characters))
                budget.charge(engine.name, characters)
            errors = synthesize_into_cache(engine, missing, cache, jobs)
            if errors:
                text, why = next(iter(errors.items()))
                raise EngineError(f"could not voice {text!r}: {why}")
            report.clips_synthesized += len(missing)
            blocks = [frames[0], *members, *frames[1:]]
            previous = state.bulletins.get(key)
            record = _make(settings, plan, blocks, previous, state.podcast_guid, now, cache)
        except NashraError as exc:
            report.failed.append((key, str(exc)))
            if key in state.bulletins:
                report.records.append(state.bulletins[key].record)
                report.members[state.bulletins[key].record.slug] = state.bulletins[key].members
            continue
        changed = previous is None or record is not previous.record
        (report.built if changed else report.unchanged).append(key)
        state.bulletins[key] = Published(record, plan.slugs)
        report.records.append(record)
        report.members[record.slug] = plan.slugs
    state.save(path)
    return report


def _content_key(settings: Settings, title: str, pub: str, blocks: Sequence[Block]) -> str:
    payload = {
        "format": BULLETIN_FORMAT,
        "title": title,
        "pub": pub,
        "album": settings.title,
        "audio": asdict(settings.audio),
        "loudness": audio.loudness_target(1),
        "blocks": [
            [
                b.title,
                b.voice.engine,
                b.voice.voice_id,
                [
                    [u.speech, u.pause_after_ms, u.chapter, u.written]
                    for u in b.voice.script.utterances
                ],
                list(b.voice.script.chapters),
            ]
            for b in blocks
        ],
        "cover": hashlib.sha256(channel_cover(settings)).hexdigest(),
    }
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _make(
    settings: Settings,
    plan: Planned,
    blocks: Sequence[Block],
    previous: Published | None,
    podcast_guid: str,
    now: datetime,
    cache: ClipStore,
) -> EpisodeRecord:
    """The bulletin's record: the previous one when nothing changed, else a new MP3."""
    title = title_of(settings, plan)
    pub = previous.record.pub_date if previous else min(plan.period.end, now).isoformat()
    key = _content_key(settings, title, pub, blocks)
    if previous and previous.record.content_key == key:
        try:
            path = safe_join(settings.output_dir, previous.record.file)
            if path.stat().st_size == previous.record.length:
                return previous.record
        except OSError:
            pass
    slug = plan.period.slug
    stem = paths.next_stem(slug, previous.record.file if previous else None, paths.BULLETINS_DIR)
    relative = paths.episode_audio(stem)
    cover = channel_cover(settings)
    with atomic_path(safe_join(settings.output_dir, relative)) as tmp:
        mixed = mix(blocks, cache, tmp, settings.audio)
        facts = tagging.mp3_facts(tmp)
        tagging.write_tags(
            tmp,
            tagging.EpisodeTags(
                title=title,
                artist=settings.author,
                album=f"{settings.title}{FEED_TITLE_SUFFIX}",
                date=datetime.fromisoformat(pub),
                engine=blocks[0].voice.engine,
                voice_id=blocks[0].voice.voice_id,
                comment=" · ".join(b.title for b in blocks if b.title),
                cover=cover,
                cover_mime=image_mime(cover),
                chapters=tag_chapters(mixed.chapters, min(mixed.duration, facts.duration)),
            ),
        )
        facts = tagging.mp3_facts(tmp)
        length = tmp.stat().st_size
    log.info("built bulletin %s (%.0f s)", relative, facts.duration)
    return EpisodeRecord(
        slug=slug,
        source="",
        guid=previous.record.guid if previous else feed.episode_guid(podcast_guid, slug),
        first_published=pub,
        content_key=key,
        engine=blocks[0].voice.engine,
        voice_id=blocks[0].voice.voice_id,
        file=relative,
        length=length,
        duration=round(facts.duration, 3),
        title=title,
        description=" · ".join(b.title for b in blocks if b.title),
        author=settings.author,
        pub_date=pub,
        chapters=mixed.chapters,
        cues=mixed.cues,
    )


@dataclass(frozen=True)
class Preview:
    """A bulletin as `nashra plan` shows it."""

    key: str
    title: str
    slugs: tuple[str, ...]
    published: bool
    """Whether a bulletin of this period is out already (it is rebuilt if it changed)."""


def preview(
    settings: Settings, articles: Mapping[str, datetime | None], now: datetime
) -> list[Preview]:
    """The bulletins a build would make for `articles` (slug → own date, if any)."""
    from nashra.storage.state import BuildState

    state = BulletinState.load(state_path(settings))
    published = BuildState.load(paths.state_file(settings.work_dir)).episodes
    dated = {
        slug: own or (published[slug].pub_datetime if slug in published else now)
        for slug, own in articles.items()
        if own is None or own <= now
    }
    plans = plan_bulletins(settings.bulletin, dated, state.assigned, set(state.bulletins), now)
    return [
        Preview(p.period.key, title_of(settings, p), p.slugs, p.period.key in state.bulletins)
        for p in plans
    ]
