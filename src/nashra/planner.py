"""A dry run: what a build would read, say and request, without synthesizing anything."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nashra import paths
from nashra.cache import ClipCache, clip_key
from nashra.engines import create_engine, engine_names
from nashra.engines.base import Engine
from nashra.errors import NashraError, UsageError
from nashra.model import Article, Failure, Script
from nashra.readers import find_articles
from nashra.settings import Settings
from nashra.stages.read import ScriptReader, reason
from nashra.stages.voice import voiced_in

SPOKEN_CHARS_PER_SECOND = 9.6
"""Measured on the sample articles with espeak-ng at rate 150: 9.4 to 9.9 characters a second."""


@dataclass(frozen=True)
class ArticlePlan:
    article: Article
    script: Script
    cache_hits: dict[str, int]
    requests: dict[str, int]
    """Per engine that plans its own requests (one that pays per request, such as
    Google), the requests it would make for the whole episode, cached ones too."""

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
            **{f"{name}_requests": count for name, count in self.requests.items()},
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


def _engines(settings: Settings) -> dict[str, Engine]:
    """Every engine that can be built with the project's options, by name."""
    engines: dict[str, Engine] = {}
    for name in engine_names():
        try:
            engines[name] = create_engine(name, settings.speech.options_for(name))
        except NashraError:
            continue
    return engines


def plan(settings: Settings) -> Plan:
    cache = ClipCache(paths.clip_dir(settings.work_dir))
    engines = _engines(settings)
    voice_ids: dict[str, str] = {}
    for name, engine in engines.items():
        try:
            voice_ids[name] = engine.voice_id()
        except NashraError:
            continue
    # Engines that pay per request plan theirs; the others say the script as it is.
    planners = {name: e for name, e in engines.items() if e.needs_network}
    known = {name: voiced_in(cache, e) for name, e in planners.items()}
    articles: list[ArticlePlan] = []
    failed: list[Failure] = []
    reader = ScriptReader(settings)
    for path in find_articles(settings.articles_dir):
        try:
            article, script = reader.read(path)
        except NashraError as exc:
            failed.append(Failure(path, reason(exc, path)))
            continue
        texts = {u.speech for u in script.utterances}
        hits = {
            name: sum(1 for t in texts if clip_key(name, voice_id, t) in cache)
            for name, voice_id in voice_ids.items()
        }
        requests = {
            name: len({u.speech for u in e.plan(script, known[name]).utterances})
            for name, e in planners.items()
        }
        articles.append(ArticlePlan(article, script, hits, requests))
    return Plan(articles, failed)


@dataclass(frozen=True)
class SpeechSection:
    title: str
    """The section's title; `(intro)` for the title and byline, `(lead)` for an untitled start."""
    chunks: list[dict[str, str]]
    """Per chunk: the written text, and what each engine is given for it."""
    requests: dict[str, list[str]] = field(default_factory=dict)
    """Per engine that plans its own requests (Google packs chunks into full
    requests of 100 characters), its label and the requests that begin in this section."""


def speech_view(settings: Settings, path: Path) -> list[SpeechSection]:
    """Exactly what each engine will be given for the article at `path`, per section.

    After the lexicon and normalization (the script's speech, which Google
    gets as it is, packed into full requests that are listed too), and for
    espeak-ng also after its own preparation (diacritization). For an editor
    to review before building.
    """
    if not path.is_file():
        raise UsageError(f"{path}: no such article")
    article, script = ScriptReader(settings).read(path)
    engines = _engines(settings)
    sections: dict[int, SpeechSection] = {}
    for utterance in script.utterances:
        if utterance.section not in sections:
            index = utterance.section
            title = "(intro)" if index < 0 else article.sections[index].title or "(lead)"
            sections[index] = SpeechSection(title, [])
        chunk = {"written": utterance.written}
        for name, engine in engines.items():
            chunk[name] = engine.prepare(utterance.speech)
        sections[utterance.section].chunks.append(chunk)
    for name, engine in engines.items():
        planned = engine.plan(script)
        if planned is script:
            continue
        for request in planned.utterances:
            sections[request.section].requests.setdefault(name, []).append(request.speech)
    return list(sections.values())
