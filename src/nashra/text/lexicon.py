"""The project's pronunciation lexicon: written forms the engines get wrong, and what to say.

`lexicon.toml` at the project root (optional)::

    [words]
    "واتساب" = "واتس آب"
    "أكسفورد" = "أوكسفورد"

Matching ignores diacritics and tatweel, treats أ إ ا alike, and still
finds a word with clitics attached: و ف (and), ب ل ك (with, for, like) and
the article ال, so وواتساب and بالواتساب match واتساب; the clitics are kept as
written. آ is a letter of its own: الآمن ("safe") never matches الأمن ("security");
only a word written with a bare ا, where the writer may have left out the madda,
also matches an entry written with آ (الية → آلية). The lexicon is applied by the
script maker, so `nashra plan` shows its effect and the episode's content hash
covers it.

A built-in lexicon, `text/news_lexicon.toml`, gives the offline voice the
vowels of frequent news words that the diacritizer gets wrong or reads now one
way, now another (الملك read الْمِلْك "property" instead of الْمَلِك "the
king"). It is applied just before diacritization, and only to words that carry
no vowel marks yet, so a word the writer or the project's lexicon vowelled
keeps its vowels. Before it, `hamzas.toml` gives back the initial hamza that
scraped text leaves out (اكثر → أكثر, ابراهيم → إبراهيم), for the words whose
hamza is not in doubt.
"""

from __future__ import annotations

import functools
import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from nashra.core.errors import SettingsError
from nashra.text.letters import (
    ALEF,
    ALEF_MADDA,
    HARAKAT,
    HARAKAT_RE,
    MARKS_RE,
    WORD_RE,
    fold_alefs,
    without_marks,
)

FILE_NAME = "lexicon.toml"
NEWS_LEXICON = "news_lexicon.toml"
"""The built-in lexicon's file in the package's `data` folder."""
HAMZAS = "hamzas.toml"
"""The built-in list of words whose initial hamza writers leave out (اكثر for أكثر)."""

_PROCLITICS = ("", "و", "ف")
_PREPOSITIONS = ("", "ب", "ل", "ك")
_ARTICLES = ("", "ال")


def match_key(word: str) -> str:
    """The form a word is looked up by: no marks or tatweel, one alef."""
    return fold_alefs(without_marks(word))


@dataclass(frozen=True)
class Lexicon:
    """Written form → spoken form, looked up by `match_key`."""

    entries: dict[str, str] = field(default_factory=dict)
    _bare: dict[str, str] = field(init=False, repr=False, compare=False)
    """The entries again under keys with آ written ا, for words written without the madda."""

    def __post_init__(self) -> None:
        bare = {key.replace(ALEF_MADDA, ALEF): spoken for key, spoken in self.entries.items()}
        object.__setattr__(self, "_bare", bare)

    def __bool__(self) -> bool:
        return bool(self.entries)

    def apply(self, text: str, *, unvowelled_only: bool = False) -> str:
        """`text` with every word found in the lexicon replaced by its spoken form.

        With `unvowelled_only`, a word that carries any vowel mark is left as it is.
        """
        return self.replacements(text, unvowelled_only=unvowelled_only)[0]

    def replacements(
        self, text: str, *, unvowelled_only: bool = False
    ) -> tuple[str, tuple[tuple[str, str], ...]]:
        """`apply`'s text, and each replacement it made, in order: (written, spoken).
        An engine that takes SSML says them as `<sub alias="spoken">written</sub>`."""
        if not self.entries:
            return text, ()
        made: list[tuple[str, str]] = []

        def replace(match: re.Match[str]) -> str:
            word = match.group()
            if unvowelled_only and HARAKAT_RE.search(word):
                return word
            spoken = self._word(word)
            if spoken is None:
                return word
            made.append((word, spoken))
            return spoken

        return WORD_RE.sub(replace, text), tuple(made)

    def _word(self, word: str) -> str | None:
        key = match_key(word)
        found = _look_up(word, key, self.entries)
        if found is None and ALEF_MADDA not in key:
            found = _look_up(word, key, self._bare)
        return found


def _look_up(word: str, key: str, entries: dict[str, str]) -> str | None:
    """`word`'s spoken form in `entries`, by its key or after a clitic prefix."""
    if key in entries:
        return entries[key]
    # Try the longest clitic prefixes first; the letters stripped are kept as written.
    for prefix in _prefixes():
        if len(prefix) >= len(key) or not key.startswith(prefix):
            continue
        stem = key[len(prefix) :]
        if stem in entries:
            return _written_prefix(word, len(prefix)) + entries[stem]
        if not (prefix.endswith("ل") and stem.startswith("ل")):
            continue
        # لل: ل before the article loses the article's alef, whether the
        # entry has the article (للملك → الملك) or not (للواتساب → واتساب).
        spoken = entries.get("ا" + stem, "")
        if spoken.startswith("ال"):
            return _written_prefix(word, len(prefix)) + spoken[1:]
        if stem[1:] in entries:
            return _written_prefix(word, len(prefix) + 1) + entries[stem[1:]]
    return None


def _prefixes() -> list[str]:
    combos = {p + q + a for p in _PROCLITICS for q in _PREPOSITIONS for a in _ARTICLES}
    return sorted(combos - {""}, key=len, reverse=True)


def _written_prefix(word: str, letters: int) -> str:
    """The first `letters` letters of `word` with their marks, as written."""
    seen = 0
    for index, char in enumerate(word):
        if not MARKS_RE.match(char):
            if seen == letters:
                return word[:index]
            seen += 1
    return word


def load_lexicon(project: Path) -> Lexicon:
    """The project's `lexicon.toml`, or an empty lexicon when there is none."""
    path = project / FILE_NAME
    if not path.is_file():
        return Lexicon()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(path, f"cannot read the lexicon: {exc}") from exc
    return Lexicon(parse_lexicon(text, path))


@functools.cache
def package_data(name: str) -> tuple[str, Path]:
    """The text of a data file shipped in `nashra.text`, and its path for errors."""
    source = resources.files("nashra.text") / name
    with resources.as_file(source) as path:
        return path.read_text(encoding="utf-8"), path


def data_digest(*names: str) -> str:
    """A short digest of the package's data files `names`, for cache keys of what they change."""
    digest = hashlib.sha256()
    for name in names:
        digest.update(package_data(name)[0].encode("utf-8"))
    return digest.hexdigest()[:12]


@functools.cache
def load_news_lexicon() -> Lexicon:
    """The built-in news lexicon shipped in the package."""
    return Lexicon(parse_lexicon(*package_data(NEWS_LEXICON)))


@functools.cache
def load_hamzas() -> Lexicon:
    """The words of `hamzas.toml` under their keys: a word written with a bare initial
    alif (اكثر، واكثر، بالاغلاق) is looked up as the word with its hamza."""
    text, path = package_data(HAMZAS)
    try:
        words = tomllib.loads(text)["words"]
    except (tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise SettingsError(path, f"cannot read the hamzas: {exc}") from exc
    return Lexicon({match_key(word): word for word in words})


def vowel_news_words(text: str) -> str:
    """`text` with the hamza restored where a writer left it out (`load_hamzas`), the
    built-in lexicon's vowels on the news words that have none yet, and compound names
    written as one word (`compound_names`) as two."""
    text = load_hamzas().apply(text, unvowelled_only=True)
    return compound_names(load_news_lexicon().apply(text, unvowelled_only=True))


_COMPOUND_NAME_RE = re.compile(rf"(?<![\w{HARAKAT}])([وفبل]?)عبد(ال\w{{2,}})")


def compound_names(text: str) -> str:
    """عبدالله, عبدالكريم and every name عبدال… written as one word, written as two
    (عبد الله): read as one word it is ʕabdaːllaːh, as two ʕabdullaːh."""
    return _COMPOUND_NAME_RE.sub(r"\1عبد \2", text)


def parse_lexicon(text: str, path: Path) -> dict[str, str]:
    """The entries of a lexicon file's `text`; `path` names it in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(path, f"cannot read the lexicon: {exc}") from exc
    unknown = set(data) - {"words"}
    if unknown:
        raise SettingsError(path, f"unknown section or key {sorted(unknown)[0]!r}; use [words]")
    words = data.get("words", {})
    if not isinstance(words, dict):
        raise SettingsError(path, '[words] must be a table of "written" = "spoken"')
    entries: dict[str, str] = {}
    for written, spoken in words.items():
        if not isinstance(spoken, str) or not spoken.strip():
            raise SettingsError(path, f"the spoken form of {written!r} must be non-empty text")
        key = match_key(written.strip())
        if not WORD_RE.fullmatch(key):
            raise SettingsError(path, f"{written!r} must be one Arabic word")
        entries[key] = spoken.strip()
    return entries
