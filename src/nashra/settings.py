"""One settings pass: defaults, then `podcast.toml`, then command-line overrides, validated once.

The result is a frozen `Settings`; every other module reads settings from it and
nothing else reads `podcast.toml`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from nashra.errors import SettingsError

SETTINGS_FILE = "podcast.toml"
ENGINE_CHOICES = ("auto", "gtts", "espeak")
FALLBACK_CHOICES = ("none", "espeak")
PACKING_CHOICES = ("fill", "sentence")
LANGUAGE_RE = re.compile(r"^[a-z]{2}(-[a-zA-Z]{2})?$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
BITRATE_RE = re.compile(r"^(\d+)k$")


@dataclass(frozen=True)
class Owner:
    name: str
    email: str


@dataclass(frozen=True)
class Speech:
    engine: str = "auto"
    espeak_voice: str = "ar"
    espeak_rate: int = 260
    gtts_tld: str = "com"
    gtts_timeout: float = 30.0
    gtts_retries: int = 5
    """Tries per chunk when Google fails passingly (429, 5xx, no answer)."""
    gtts_backoff: float = 1.0
    """Seconds before the first retry, doubled for each further one (with jitter)."""
    gtts_rate: float = 5.0
    """Requests a second at most."""
    gtts_concurrency: int = 4
    """Requests in flight at once at most."""
    gtts_breaker: int = 10
    """Consecutive failures after which Google is not called again in this build."""
    gtts_packing: str = "fill"
    """`fill`: each request filled up to Google's 100 characters, across sentences
    (the fewest requests; inside a request Google's own pause separates sentences);
    `sentence`: a request per sentence, so every configured pause is kept."""
    fallback: str = "none"
    """`espeak`: voice offline the episodes Google failed; `none`: fail them."""


@dataclass(frozen=True)
class Audio:
    bitrate: str = "96k"
    sample_rate: int = 44100
    sentence_pause_ms: int = 350
    paragraph_pause_ms: int = 800
    section_pause_ms: int = 1400


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
    copyright: str | None = None
    speech: Speech = Speech()
    audio: Audio = Audio()

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
        return f"{self.base_url}/feed.xml"

    @property
    def website(self) -> str:
        return self.link or f"{self.base_url}/"

    def url_for(self, relative: str) -> str:
        """The public URL of a file under `output/`."""
        return f"{self.base_url}/{relative.lstrip('/')}"


_REQUIRED = ("title", "description", "author", "base_url")
_SECTIONS: dict[str, type[Any]] = {"owner": Owner, "speech": Speech, "audio": Audio}


def load_settings(project: Path, overrides: dict[str, Any] | None = None) -> Settings:
    """Read `podcast.toml` in `project`, apply `overrides` and validate the lot.

    `overrides` uses dotted keys for sections, e.g. ``{"speech.engine": "espeak"}``.
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
        section, _, name = key.rpartition(".")
        target = raw.setdefault(section, {}) if section else raw
        target[name] = value
    return settings_from_dict(raw, project=project, path=path)


def settings_from_dict(raw: dict[str, Any], *, project: Path, path: Path) -> Settings:
    top_names = {f.name for f in fields(Settings)} - {"project"}
    for key in raw:
        if key not in top_names:
            raise SettingsError(
                path, f"unknown key `{key}`; known keys: {', '.join(sorted(top_names))}"
            )
    missing = [key for key in _REQUIRED if not raw.get(key)]
    if "owner" not in raw:
        missing.append("owner")
    if missing:
        raise SettingsError(path, f"missing required key(s): {', '.join(missing)}")

    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key in _SECTIONS:
            values[key] = _section(path, key, value, _SECTIONS[key])
        else:
            values[key] = value
    settings = Settings(project=project.resolve(), **values)
    _check_types(path, settings)
    return _validate(path, settings)


def _section(path: Path, name: str, value: Any, cls: type[Any]) -> Any:
    if not isinstance(value, dict):
        raise SettingsError(path, f"`{name}` must be a table ([{name}])")
    known = {f.name for f in fields(cls)}
    for key in value:
        if key not in known:
            raise SettingsError(
                path, f"unknown key `{name}.{key}`; known keys: {', '.join(sorted(known))}"
            )
    try:
        return cls(**value)
    except TypeError as exc:
        raise SettingsError(path, f"`{name}`: {exc}") from exc


def _check_types(path: Path, settings: Settings) -> None:
    expectations: list[tuple[str, Any, type | tuple[type, ...]]] = []
    for f in fields(Settings):
        if f.name in ("project", *_SECTIONS):
            continue
        expectations.append((f.name, getattr(settings, f.name), _type_of(f.type)))
    for section in _SECTIONS:
        obj = getattr(settings, section)
        for f in fields(obj):
            expectations.append((f"{section}.{f.name}", getattr(obj, f.name), _type_of(f.type)))
    for key, value, expected in expectations:
        if value is None and key in ("image", "subcategory", "copyright"):
            continue
        if isinstance(value, bool) and expected is not bool and bool not in _as_tuple(expected):
            raise SettingsError(path, f"`{key}` must be {_type_name(expected)}, not a boolean")
        if not isinstance(value, expected):
            raise SettingsError(
                path, f"`{key}` must be {_type_name(expected)}, not {type(value).__name__}"
            )


def _type_of(annotation: Any) -> type | tuple[type, ...]:
    text = str(annotation)
    if text.startswith("str"):
        return str
    if text == "bool":
        return bool
    if text == "int":
        return int
    if text == "float":
        return (int, float)
    return object


def _as_tuple(t: type | tuple[type, ...]) -> tuple[type, ...]:
    return t if isinstance(t, tuple) else (t,)


def _type_name(t: type | tuple[type, ...]) -> str:
    names = {"str": "a string", "bool": "true or false", "int": "a whole number"}
    if isinstance(t, tuple):
        return "a number"
    return names.get(t.__name__, t.__name__)


def _validate(path: Path, s: Settings) -> Settings:
    def fail(problem: str) -> SettingsError:
        return SettingsError(path, problem)

    for key in ("title", "description", "author"):
        value = getattr(s, key)
        if value != value.strip() or not value.strip():
            raise fail(f"`{key}` must be non-empty text without leading or trailing spaces")
    if len(s.description.encode("utf-8")) > 4000:
        raise fail("`description` is longer than 4000 bytes, the limit podcast directories set")
    base = urlsplit(s.base_url)
    if base.scheme != "https" or not base.netloc or base.query or base.fragment:
        raise fail(
            f"`base_url` must be an absolute https URL (where `output/` is published), "
            f"got {s.base_url!r}"
        )
    if not s.base_url.isascii():
        raise fail("`base_url` must be ASCII; percent-encode any other characters")
    if s.link:
        link = urlsplit(s.link)
        if link.scheme not in ("http", "https") or not link.netloc:
            raise fail(f"`link` must be an absolute http(s) URL, got {s.link!r}")
    if not LANGUAGE_RE.match(s.language):
        raise fail(f"`language` must be a code such as `ar` or `ar-eg`, got {s.language!r}")
    if not s.owner.name.strip() or not EMAIL_RE.match(s.owner.email):
        raise fail("`owner` needs a `name` and a valid `email` (directories use it to verify you)")
    if s.speech.engine not in ENGINE_CHOICES:
        raise fail(
            f"`speech.engine` must be one of {', '.join(ENGINE_CHOICES)}, got {s.speech.engine!r}"
        )
    if not 80 <= s.speech.espeak_rate <= 450:
        raise fail("`speech.espeak_rate` must be between 80 and 450 words per minute")
    if s.speech.fallback not in FALLBACK_CHOICES:
        raise fail(
            f"`speech.fallback` must be one of {', '.join(FALLBACK_CHOICES)}, "
            f"got {s.speech.fallback!r}"
        )
    if s.speech.gtts_packing not in PACKING_CHOICES:
        raise fail(
            f"`speech.gtts_packing` must be one of {', '.join(PACKING_CHOICES)}, "
            f"got {s.speech.gtts_packing!r}"
        )
    if not 1 <= s.speech.gtts_retries <= 20:
        raise fail("`speech.gtts_retries` must be between 1 and 20")
    if not 0 <= s.speech.gtts_backoff <= 120:
        raise fail("`speech.gtts_backoff` must be between 0 and 120 seconds")
    if s.speech.gtts_rate <= 0:
        raise fail("`speech.gtts_rate` must be a positive number of requests a second")
    if not 1 <= s.speech.gtts_concurrency <= 32:
        raise fail("`speech.gtts_concurrency` must be between 1 and 32")
    if not 1 <= s.speech.gtts_breaker <= 1000:
        raise fail("`speech.gtts_breaker` must be between 1 and 1000")
    if s.speech.gtts_timeout <= 0:
        raise fail("`speech.gtts_timeout` must be a positive number of seconds")
    if not re.fullmatch(r"[a-z]{2,3}(\.[a-z]{2,3})?", s.speech.gtts_tld):
        raise fail(f"`speech.gtts_tld` must look like `com` or `com.eg`, got {s.speech.gtts_tld!r}")
    match = BITRATE_RE.match(s.audio.bitrate)
    if not match or not 96 <= int(match.group(1)) <= 320:
        raise fail("`audio.bitrate` must be between 96k and 320k (Spotify's floor is 96k)")
    if s.audio.sample_rate not in (44100, 48000):
        raise fail("`audio.sample_rate` must be 44100 or 48000")
    for key in ("sentence_pause_ms", "paragraph_pause_ms", "section_pause_ms"):
        if not 0 <= getattr(s.audio, key) <= 10_000:
            raise fail(f"`audio.{key}` must be between 0 and 10000")
    if s.image is not None and not s.image.lower().endswith((".jpg", ".png")):
        raise fail("`image` must name a .jpg or .png file (Apple accepts only those)")
    return replace(s, base_url=s.base_url.rstrip("/"))
