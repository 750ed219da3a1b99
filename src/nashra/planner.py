"""A dry run: what a build would read, say and request, without synthesizing anything."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nashra.builder import Failure, clip_cache
from nashra.cache import clip_key
from nashra.engines import create_engine, engine_names
from nashra.engines.base import Engine
from nashra.errors import NashraError, UsageError
from nashra.lexicon import load_lexicon
from nashra.model import Article, Script
from nashra.readers import find_articles, read_article
from nashra.script import make_script
from nashra.settings import Settings
from nashra.voicing import engine_script, voiced_in

SPOKEN_CHARS_PER_SECOND = 9.6
"""Measured on the sample articles with espeak-ng at rate 150: 9.4 to 9.9 characters a second."""


@dataclass(frozen=True)
class ArticlePlan:
    article: Article
    script: Script
    cache_hits: dict[str, int]
    gtts_requests: int
    """Requests Google would get for the whole episode: its script packed per
    `gtts_packing`, counting requests already in the cache too."""

    @property
    def chunks(self) -> int:
        return len(self.script.utterances)

    @property
    def estimated_seconds(self) -> float:
        speech = self.script.characters / SPOKEN_CHARS_PER_SECOND
        pauses = sum(u.pause_after_ms for u in self.script.utterances) / 1000
        return speech + pauses

    def to_json(self, project: Path) -> dict[str, Any]:
        article = self.article
        sections = []
        for index, section in enumerate(article.sections):
            sections.append(
                {
                    "title": section.title,
                    "text": "\n\n".join(section.paragraphs),
                    "chunks": [u.speech for u in self.script.utterances if u.section == index],
                }
            )
        return {
            "file": _relative(article.source, project),
            "slug": article.slug,
            "title": article.title,
            "author": article.author,
            "date": article.date.isoformat() if article.date else None,
            "intro": [u.speech for u in self.script.utterances if u.section == -1],
            "sections": sections,
            "chapters": list(self.script.chapters),
            "dropped": list(article.dropped),
            "characters": self.script.characters,
            "chunks": self.chunks,
            "gtts_requests": self.gtts_requests,
            "cache_hits": self.cache_hits,
            "estimated_minutes": round(self.estimated_seconds / 60, 1),
        }


@dataclass(frozen=True)
class Plan:
    articles: list[ArticlePlan]
    failed: list[Failure]

    def to_json(self, project: Path) -> dict[str, Any]:
        return {
            "articles": [a.to_json(project) for a in self.articles],
            "failed": [
                {"file": _relative(f.source, project), "reason": f.reason} for f in self.failed
            ],
        }


def _relative(path: Path, project: Path) -> str:
    try:
        return str(path.resolve().relative_to(project.resolve()))
    except ValueError:
        return str(path)


def plan(settings: Settings) -> Plan:
    cache = clip_cache(settings)
    voice_ids: dict[str, str] = {}
    for name in engine_names():
        try:
            voice_ids[name] = create_engine(name, settings.speech).voice_id()
        except NashraError:
            continue
    articles: list[ArticlePlan] = []
    failed: list[Failure] = []
    google = create_engine("gtts", settings.speech)
    known = voiced_in(cache, google)
    lexicon = load_lexicon(settings.project)
    for path in find_articles(settings.articles_dir):
        try:
            article = read_article(path)
            script = make_script(article, settings.audio, lexicon=lexicon)
        except NashraError as exc:
            failed.append(Failure(path, str(exc)))
            continue
        texts = {u.speech for u in script.utterances}
        hits = {
            name: sum(1 for t in texts if clip_key(name, voice_id, t) in cache)
            for name, voice_id in voice_ids.items()
        }
        requests = engine_script(google, settings.speech, script, known)
        articles.append(
            ArticlePlan(article, script, hits, len({u.speech for u in requests.utterances}))
        )
    return Plan(articles, failed)


@dataclass(frozen=True)
class SpeechSection:
    title: str
    """The section's title; `(intro)` for the title and byline, `(lead)` for an untitled start."""
    chunks: list[dict[str, str]]
    """Per chunk: the written text, and what each engine is given for it."""
    requests: list[str] = field(default_factory=list)
    """What Google is asked, request by request, when it packs chunks into full
    requests (`gtts_packing = "fill"`): the requests that begin in this section."""


def speech_view(settings: Settings, path: Path) -> list[SpeechSection]:
    """Exactly what each engine will be given for the article at `path`, per section.

    After the lexicon and normalization (the script's speech, which Google
    gets as it is, packed into full requests that are listed too), and for
    espeak-ng also after its own preparation (diacritization). For an editor
    to review before building.
    """
    if not path.is_file():
        raise UsageError(f"{path}: no such article")
    article = read_article(path)
    script = make_script(article, settings.audio, lexicon=load_lexicon(settings.project))
    engines: dict[str, Engine] = {}
    for name in engine_names():
        try:
            engines[name] = create_engine(name, settings.speech)
        except NashraError:
            continue
    given = {name: engine.prepare_script(script).utterances for name, engine in engines.items()}
    sections: dict[int, SpeechSection] = {}
    for position, utterance in enumerate(script.utterances):
        if utterance.section not in sections:
            index = utterance.section
            title = "(intro)" if index < 0 else article.sections[index].title or "(lead)"
            sections[index] = SpeechSection(title, [])
        chunk = {"written": utterance.written}
        for name in engines:
            chunk[name] = given[name][position].speech
        sections[utterance.section].chunks.append(chunk)
    google = engines.get("gtts")
    if google is not None:
        packed = engine_script(google, settings.speech, script)
        if packed is not script:
            for request in packed.utterances:
                sections[request.section].requests.append(request.speech)
    return list(sections.values())
