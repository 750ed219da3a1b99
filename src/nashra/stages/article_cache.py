"""The content cache: each article's reading and script, kept until anything behind them changes.

Reading and scripting a hundred articles took 0.8 s of a warm rebuild that
otherwise only compares hashes. The cache key covers the article's bytes and
name, the lexicon, the pause settings and nashra itself (`fingerprint`: every
file the package ships), so a cached script is never one that the current code,
data and settings would not make.

Entries are pickles in `.nashra/cache/articles/`: a local cache written and read
only by nashra, like Python's own bytecode cache. A damaged entry is a miss.
Every stage that reads articles does so through a `ScriptReader`, which keeps it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
from dataclasses import asdict, replace
from pathlib import Path

from nashra.config.settings import Settings
from nashra.core.errors import ArticleError, OutputError
from nashra.core.model import Article, Script
from nashra.readers import read_article
from nashra.readers.decoding import arabic_share
from nashra.stages.script import make_script
from nashra.storage import paths
from nashra.storage.fingerprint import fingerprint
from nashra.storage.writer import atomic_write, safe_join
from nashra.text.lexicon import FILE_NAME as LEXICON_FILE
from nashra.text.lexicon import Lexicon, load_lexicon

log = logging.getLogger(__name__)


class ArticleCache:
    def __init__(self, settings: Settings, lexicon_file: Path) -> None:
        self.folder = paths.article_cache_dir(settings.work_dir)
        lexicon = lexicon_file.read_bytes() if lexicon_file.is_file() else b""
        recipe = json.dumps(
            [fingerprint(), asdict(settings.audio), hashlib.sha256(lexicon).hexdigest()],
            sort_keys=True,
        )
        self._salt = hashlib.sha256(recipe.encode("utf-8")).digest()

    @property
    def salt(self) -> str:
        """What every key of this cache hashes besides the article."""
        return self._salt.hex()

    def key(self, path: Path, data: bytes) -> str:
        digest = hashlib.sha256(self._salt)
        digest.update(path.name.encode("utf-8") + b"\0" + data)
        return digest.hexdigest()

    def get(self, key: str, source: Path) -> tuple[Article, Script, float] | None:
        """The article, its script and its share of Arabic letters, or None."""
        entry = self.folder / key[:2] / f"{key}.pickle"
        try:
            article, script, share = pickle.loads(entry.read_bytes())
        except FileNotFoundError:
            return None
        except Exception as exc:  # a damaged entry of any kind is only a miss
            log.debug("ignoring unreadable cache entry %s: %s", entry, exc)
            return None
        if not isinstance(article, Article) or not isinstance(script, Script):
            return None
        if not isinstance(share, float):
            return None
        # The project may have moved since: the article is where it is now.
        return replace(article, source=source), script, share

    def put(self, key: str, article: Article, script: Script, share: float) -> None:
        entry = self.folder / key[:2] / f"{key}.pickle"
        atomic_write(
            entry, pickle.dumps((article, script, share)), durable=False, temp_dir=self.folder
        )


class ScriptReader:
    """Reads an article and makes its script, through the content cache.

    One per run: the lexicon is loaded once. `nashra build`, `nashra plan` and
    `nashra plan --speech` all read articles through it. With `ignore_cache` it reads
    every article anew, and puts what it made in the cache for the readers after it.
    """

    def __init__(self, settings: Settings, *, ignore_cache: bool = False) -> None:
        self.settings = settings
        self.lexicon: Lexicon = load_lexicon(settings.project)
        self.cache = ArticleCache(settings, settings.project / LEXICON_FILE)
        self.ignore_cache = ignore_cache
        self.read_anew = 0

    def read(self, path: Path) -> tuple[Article, Script, float]:
        """The article, its script and the share of Arabic in its letters, from the content
        cache when nothing behind them changed."""
        refuse_outside_links(self.settings, path)
        try:
            key: str | None = self.cache.key(path, path.read_bytes())
        except OSError:
            key = None  # the reader says what is wrong with the file
        cached = self.cache.get(key, path) if key and not self.ignore_cache else None
        if cached is not None:
            return cached
        self.read_anew += 1
        article = read_article(path)
        script = make_script(article, self.settings.audio, lexicon=self.lexicon)
        share = arabic_share(" ".join(u.written for u in script.utterances))
        if key:
            self.cache.put(key, article, script, share)
        return article, script, share


def refuse_outside_links(settings: Settings, path: Path) -> None:
    """An article file that is a symbolic link to a file outside the project fails, as
    a cover outside it does (`safe_join`): a link to `/etc/passwd` or to a private folder
    would otherwise be published, voiced."""
    if not path.is_symlink():
        return
    try:
        safe_join(settings.project, path.relative_to(settings.project).as_posix())
    except (OutputError, ValueError):
        raise ArticleError(
            path,
            f"is a symbolic link to {os.path.realpath(path)}, outside the project; "
            "copy the file into articles/ to publish it",
        ) from None
