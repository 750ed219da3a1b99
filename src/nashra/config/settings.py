"""One settings pass: defaults, then `podcast.toml`, then command-line overrides, validated once.

The result is a frozen `Settings`; every other module reads settings from it and
nothing else reads `podcast.toml`.
"""

from __future__ import annotations

import json
import logging
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from nashra.config.bulletin import Bulletin, validate_bulletin
from nashra.config.categories import category_problem
from nashra.config.cluster import Build, validate_build
from nashra.config.descriptions import default_template, template_problem
from nashra.config.languages import language_problem
from nashra.config.tables import TableError, check_table, read_options
from nashra.config.targets import (
    environment_names,
    is_local_path,
    secret_parameters,
    target_problem,
)
from nashra.config.web_import import Import, validate_import
from nashra.core.errors import SettingsError, UsageError
from nashra.core.suggest import closest
from nashra.engines import AUTO, engine_class, engine_names
from nashra.engines.choice import NO_FALLBACK
from nashra.readers.sanitize import LinkRejected, web_link
from nashra.storage.paths import FEED_FILE, SETTINGS_FILE

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SpeechKeys:
    """The keys of `[speech]` itself; each engine's table `[speech.<name>]` is its own."""

    engine: str = AUTO
    fallback: str = NO_FALLBACK


SPEECH_KEYS = tuple(f.name for f in fields(SpeechKeys))


def deprecated_speech_keys() -> dict[str, tuple[str, str]]:
    """The flat `[speech]` keys of earlier releases → (engine table, key), as each engine
    lists its own (`Engine.flat_keys`); read with a warning."""
    found: dict[str, tuple[str, str]] = {}
    for name in engine_names():
        try:
            flat = engine_class(name).flat_keys
        except UsageError:
            continue  # a broken plugin is reported when it is used
        found.update({old: (name, key) for old, key in flat.items()})
    return found


EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
BITRATE_RE = re.compile(r"^(\d+)k$")


@dataclass(frozen=True)
class Owner:
    name: str
    email: str


@dataclass(frozen=True)
class Speech:
    engine: str = AUTO
    """An engine's name, or `auto`: the `auto_priority` engines in turn (Google
    when it answers, else espeak-ng)."""
    fallback: str = NO_FALLBACK
    """An offline engine that voices the episodes a network engine failed; `none`: fail them."""
    options: dict[str, Any] = field(default_factory=dict)
    """Each engine's validated options (its table `[speech.<name>]`), by engine name;
    an engine with no table here uses its defaults."""

    def options_for(self, name: str) -> Any:
        """The options for the engine called `name`; None means its defaults."""
        return self.options.get(name)


@dataclass(frozen=True)
class Audio:
    bitrate: str = "96k"
    sample_rate: int = 44100
    comma_pause_ms: int = 200
    """Silence after a comma inside a sentence; 0 leaves the comma to the voice (under 100 ms)."""
    sentence_pause_ms: int = 350
    paragraph_pause_ms: int = 800
    section_pause_ms: int = 1400


@dataclass(frozen=True)
class Publish:
    target: str = ""
    """An rclone remote and path (`remote:path`, or `:backend,option=value:path`)."""
    max_age: int = 300
    """Cache-Control max-age, in seconds, of `feed.xml`, the pages and the cover."""
    episode_max_age: int = 31_536_000
    """Cache-Control max-age of episode files (immutable: a changed episode gets a new name)."""


@dataclass(frozen=True)
class Settings:
    project: Path
    title: str
    description: str
    author: str
    owner: Owner
    base_url: str
    language: str = "ar"
    link: str = ""
    image: str | None = None
    category: str = "News"
    subcategory: str | None = "Daily News"
    explicit: bool = False
    locked: bool = True
    ai_content: bool = True
    """The voice is synthetic: the feed says so (`podcast:txt purpose="ai-content"`) and so
    does every episode's description; `false` for a show read by a person."""
    episode_description: str = ""
    """The template of each episode's description (`config.descriptions`); empty: the
    default one, which names the synthetic voice when `ai_content` is true."""
    copyright: str | None = None
    feed_items: int = 300
    """How many of the newest episodes `feed.xml` lists; older ones stay on the site."""
    backfill_since: date | None = None
    """Articles dated before this day are not imported (`nashra import`)."""
    speech: Speech = Speech()
    audio: Audio = Audio()
    publish: Publish = Publish()
    bulletin: Bulletin = Bulletin()  # noqa: RUF009  (frozen, so shared safely)
    build: Build = Build()  # noqa: RUF009  (frozen, so shared safely)
    imports: Import = Import()  # noqa: RUF009  (frozen, so shared safely)
    """`[import]` (a Python keyword, hence the field's name)."""

    @property
    def articles_dir(self) -> Path:
        return self.project / "articles"

    @property
    def output_dir(self) -> Path:
        return self.project / "output"

    @property
    def work_dir(self) -> Path:
        """Build state and the clip cache: outside `output/`, which is what gets published."""
        return self.project / ".nashra"

    @property
    def feed_url(self) -> str:
        return f"{self.base_url}/{FEED_FILE}"

    @property
    def description_template(self) -> str:
        """`episode_description`, or the default one for `ai_content`."""
        return self.episode_description or default_template(self.ai_content)

    @property
    def website(self) -> str:
        return self.link or f"{self.base_url}/"

    def url_for(self, relative: str) -> str:
        """The public URL of a file under `output/`."""
        return f"{self.base_url}/{relative.lstrip('/')}"


_REQUIRED = ("title", "description", "author", "base_url")
_SECTIONS: dict[str, type[Any]] = {
    "owner": Owner,
    "speech": Speech,
    "audio": Audio,
    "publish": Publish,
    "bulletin": Bulletin,
    "build": Build,
    "import": Import,
}
TABLE_FIELDS = {"import": "imports"}
"""A table whose name is a Python keyword → the `Settings` field that holds it."""
FIELD_TABLES = {value: key for key, value in TABLE_FIELDS.items()}


def load_settings(project: Path, overrides: dict[str, Any] | None = None) -> Settings:
    """Read `podcast.toml` in `project`, apply `overrides` and validate the lot.

    `overrides` uses dotted keys for tables, e.g. ``{"speech.engine": "espeak"}`` or
    ``{"speech.espeak.rate": 190}``.
    """
    path = project / SETTINGS_FILE
    if not path.is_file():
        raise SettingsError(path, "not found; run `nashra init DIR` to make a new project")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(path, f"not valid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise SettingsError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    for key, value in (overrides or {}).items():
        if value is None:
            continue
        *tables, name = key.split(".")
        target = raw
        for table in tables:
            target = target.setdefault(table, {})
        target[name] = value
    return settings_from_dict(raw, project=project, path=path)


def settings_from_dict(raw: dict[str, Any], *, project: Path, path: Path) -> Settings:
    top_names = {FIELD_TABLES.get(f.name, f.name) for f in fields(Settings)} - {"project"}
    for key in raw:
        if key not in top_names:
            raise SettingsError(path, unknown_key(key, top_names))
    missing = [key for key in _REQUIRED if not raw.get(key)]
    if "owner" not in raw:
        missing.append("owner")
    if missing:
        raise SettingsError(path, f"missing required key(s): {', '.join(missing)}")

    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "speech":
            values[key] = _speech(path, value)
        elif key in _SECTIONS:
            values[TABLE_FIELDS.get(key, key)] = _section(path, key, value, _SECTIONS[key])
    top = {key: value for key, value in raw.items() if key not in _SECTIONS}
    try:
        values.update(check_table(Settings, top, name=lambda key: f"`{key}`"))
    except TableError as exc:
        raise SettingsError(path, str(exc)) from exc
    if "category" in raw and "subcategory" not in raw:
        values["subcategory"] = None  # the default belongs to the default category
    return _validate(path, Settings(project=project.resolve(), **values))


def unknown_key(key: str, known: set[str], *, section: str | None = None) -> str:
    """The message for a key podcast.toml does not know, with the likely one it misspells."""
    name = f"{section}.{key}" if section else key
    if section is None and key in (deprecated := deprecated_speech_keys()):
        engine, new = deprecated[key]
        return f"unknown key `{key}`; it belongs under [speech.{engine}] as `{new}`"
    if section is None:
        home = next(
            (t for t, cls in _SECTIONS.items() if key in {f.name for f in fields(cls)}), None
        )
        if home is not None:
            return f"unknown key `{key}`; it belongs under [{home}]"
    match = closest(key, known)
    if match is not None:
        where = f"`{section}.{match}`" if section else f"`{match}`"
        return f"unknown key `{name}`; did you mean {where}?"
    return f"unknown key `{name}`; known keys: {', '.join(sorted(known))}"


def _section(path: Path, name: str, value: Any, cls: type[Any]) -> Any:
    if not isinstance(value, dict):
        raise SettingsError(path, f"`{name}` must be a table ([{name}])")

    def unknown(key: str, known: set[str]) -> str:
        if key in {f.name for f in fields(Settings)} - {"project", *_SECTIONS, *FIELD_TABLES}:
            return (
                f"`{key}` is read as `{name}.{key}` because it comes after [{name}]; "
                f"move it above the first [table]"
            )
        return unknown_key(key, known, section=name)

    try:
        return cls(**check_table(cls, value, unknown=unknown, name=_in(name)))
    except TableError as exc:
        raise SettingsError(path, str(exc)) from exc
    except TypeError as exc:  # a key with no default left out, such as the owner's email
        raise SettingsError(path, f"`{name}`: {exc}") from exc


def _speech(path: Path, value: Any) -> Speech:
    """`[speech]`: the engine choice, and each engine's own table read by that engine."""
    if not isinstance(value, dict):
        raise SettingsError(path, "`speech` must be a table ([speech])")
    names = engine_names()
    tables: dict[str, dict[str, Any]] = {}
    plain: dict[str, Any] = {}
    for key, item in value.items():
        if isinstance(item, dict):
            if key not in names:
                raise SettingsError(
                    path,
                    f"[speech.{key}] names no speech engine{_did_you_mean(key, names)}; "
                    f"engines: {', '.join(names)}",
                )
            tables[key] = dict(item)
        else:
            plain[key] = item
    deprecated = deprecated_speech_keys() if set(plain) - set(SPEECH_KEYS) else {}
    for old, (engine, key) in deprecated.items():
        if old not in plain:
            continue
        old_value = plain.pop(old)
        log.warning(
            "%s: `speech.%s` is deprecated: write `%s = %s` under [speech.%s] "
            "(the old key will stop working in the next release)",
            path,
            old,
            key,
            json.dumps(old_value, ensure_ascii=False),
            engine,
        )
        tables.setdefault(engine, {}).setdefault(key, old_value)

    def unknown(key: str, known: set[str]) -> str:
        every = sorted(known | set(deprecated))
        return (
            f"unknown key `speech.{key}`{_did_you_mean(key, every)}; known keys: "
            f"{', '.join(sorted(known))}, and a table [speech.<engine>] per engine"
        )

    try:
        own = SpeechKeys(**check_table(SpeechKeys, plain, unknown=unknown, name=_in("speech")))
    except TableError as exc:
        raise SettingsError(path, str(exc)) from exc
    engine, fallback = own.engine, own.fallback
    if engine != AUTO and engine not in names:
        raise SettingsError(
            path,
            f"`speech.engine` must be {AUTO} or an engine ({', '.join(names)}), "
            f"got {engine!r}{_did_you_mean(engine, names)}",
        )
    if fallback != NO_FALLBACK and fallback not in names:
        raise SettingsError(
            path,
            f"`speech.fallback` must be {NO_FALLBACK} or an engine ({', '.join(names)}), "
            f"got {fallback!r}",
        )
    options: dict[str, Any] = {}
    for name, table in tables.items():
        try:
            cls = engine_class(name)
            for key in table.keys() & cls.refused_keys.keys():
                # Whatever the value is (a secret), it is not repeated here.
                raise SettingsError(path, f"[speech.{name}] {key}: {cls.refused_keys[key]}")
            parsed = read_options(cls.Options, table)
            cls.check_options(parsed)
        except UsageError as exc:
            raise SettingsError(path, f"[speech.{name}]: {exc}") from exc
        except (ValueError, TypeError) as exc:  # a TableError, or the engine's own check
            raise SettingsError(path, f"[speech.{name}] {exc}") from exc
        options[name] = parsed
    return Speech(engine=engine, fallback=fallback, options=options)


def _in(table: str) -> Callable[[str], str]:
    """How messages write a key of `table`: `table.key`."""
    return lambda key: f"`{table}.{key}`"


def _did_you_mean(word: str, choices: list[str]) -> str:
    match = closest(word, set(choices))
    return f" (did you mean `{match}`?)" if match else ""


def _validate(path: Path, s: Settings) -> Settings:
    def fail(problem: str) -> SettingsError:
        return SettingsError(path, problem)

    for key in ("title", "description", "author"):
        value = getattr(s, key)
        if value != value.strip() or not value.strip():
            raise fail(f"`{key}` must be non-empty text without leading or trailing spaces")
    if len(s.description.encode("utf-8")) > 4000:
        raise fail("`description` is longer than 4000 bytes, the limit podcast directories set")
    problem = template_problem(s.episode_description)
    if problem:
        raise fail(f"`episode_description` {problem}")
    if len(s.episode_description.encode("utf-8")) > 2000:
        raise fail("`episode_description` is longer than 2000 bytes; the lead needs the room")
    base = urlsplit(s.base_url)
    if base.scheme != "https" or not base.netloc or base.query or base.fragment:
        raise fail(
            f"`base_url` must be an absolute https URL (where `output/` is published), "
            f"got {s.base_url!r}"
        )
    if not s.base_url.isascii():
        raise fail("`base_url` must be ASCII; percent-encode any other characters")
    if s.link:
        try:
            web_link(s.link)
        except LinkRejected as exc:
            raise fail(f"`link` must be an absolute http(s) URL, got {s.link!r}: {exc}") from None
    problem = language_problem(s.language) or category_problem(s.category, s.subcategory or None)
    if problem:
        raise fail(problem)
    if not s.owner.name.strip() or not EMAIL_RE.match(s.owner.email):
        raise fail("`owner` needs a `name` and a valid `email` (directories use it to verify you)")
    match = BITRATE_RE.match(s.audio.bitrate)
    if not match or not 96 <= int(match.group(1)) <= 320:
        raise fail("`audio.bitrate` must be between 96k and 320k (Spotify's floor is 96k)")
    if s.audio.sample_rate not in (44100, 48000):
        raise fail("`audio.sample_rate` must be 44100 or 48000")
    for key in ("comma_pause_ms", "sentence_pause_ms", "paragraph_pause_ms", "section_pause_ms"):
        if not 0 <= getattr(s.audio, key) <= 10_000:
            raise fail(f"`audio.{key}` must be between 0 and 10000")
    if s.image is not None and not s.image.lower().endswith((".jpg", ".png")):
        raise fail("`image` must name a .jpg or .png file (Apple accepts only those)")
    validate_bulletin(fail, s.bulletin)
    validate_build(fail, s.build)
    imports = validate_import(fail, s.imports)
    if not 1 <= s.feed_items <= 100_000:
        raise fail("`feed_items` must be between 1 and 100000")
    if s.backfill_since is not None and not isinstance(s.backfill_since, date):
        raise fail(f"`backfill_since` must be a date (2015-07-01), got {s.backfill_since!r}")
    _validate_publish(fail, s.publish)
    since = s.backfill_since
    if isinstance(since, datetime):
        since = since.date()
    return replace(s, base_url=s.base_url.rstrip("/"), backfill_since=since, imports=imports)


def _validate_publish(fail: Callable[[str], SettingsError], p: Publish) -> None:
    secrets = secret_parameters(p.target)
    if secrets:
        raise fail(
            f"`publish.target` holds credentials ({', '.join(secrets)}); podcast.toml is "
            "committed with the articles, so set them in the environment "
            f"({', '.join(environment_names(p.target))}) or in rclone's config "
            "(`rclone config`), and take them out of the target"
        )
    problem = target_problem(p.target) if p.target and not is_local_path(p.target) else None
    if problem:
        raise fail(f"`publish.target`: {problem}")
    if p.target and ":" not in p.target and not is_local_path(p.target):
        raise fail(
            f"`publish.target` must be an rclone remote and path (`remote:path`) or a "
            f"folder (`/path`, `./path`), got {p.target!r}"
        )
    for key in ("max_age", "episode_max_age"):
        if not 0 <= getattr(p, key) <= 31_536_000:
            raise fail(f"`publish.{key}` must be between 0 and 31536000 seconds (a year)")
