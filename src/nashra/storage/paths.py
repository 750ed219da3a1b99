"""Every name nashra gives a file on disk, in one place.

The work folder (`.nashra/`: build state, caches, lock) and the published
folder (`output/`: feed, cover, episodes and their companions, pages) are laid
out here; every module that reads or writes them asks this one.
"""

from __future__ import annotations

import re
from pathlib import Path

from nashra.core.model import EpisodeRecord

WORK_DIR = ".nashra"
OUTPUT_DIR = "output"
ARTICLES_DIR = "articles"
STATE_FILE = "state.sqlite"
LEGACY_STATE_FILE = "state.json"
"""The build state of releases before the SQLite one; read once and migrated."""
BULLETIN_STATE_FILE = "bulletins.json"
PUBLISH_STATE_FILE = "publish.json"
"""When each target's feed was last replaced."""
FEEDS_STATE_FILE = "import-feeds.json"
"""What `nashra import feed` last saw of each feed: its validators and its items."""
SENT_FILE = "publish-sent.json"
"""What was sent to storage that reports no hashes."""
SETTINGS_FILE = "podcast.toml"
"""The project's settings, at its root."""
LOCK_FILE = "build.lock"
UPDATE_LOCK_FILE = "update.lock"
"""Held by `nashra update` from its import to its publish: one run at a time."""
UPDATE_PENDING_FILE = "update-pending"
"""Left by `nashra update` when it imported something it has not yet published."""
FEED_FILE = "feed.xml"
BULLETIN_FEED_FILE = "bulletin.xml"
FEED_FILES = (FEED_FILE, BULLETIN_FEED_FILE)
INDEX_PAGE = "index.html"
PAGE_SUFFIX = ".html"
EPISODES_DIR = "episodes"
BULLETINS_DIR = "bulletins"
ASSETS_DIR = "assets"
ARCHIVE_DIR = "archive"
FONT_FILE = "NotoKufiArabic.ttf"
FONT_LICENCE_FILE = "NotoKufiArabic-OFL.txt"
COVER_FILES = ("cover.png", "cover.jpg")
"""The channel cover's possible names in `output/` (`cover_file`)."""

EPISODE_SUFFIXES = (".mp3", ".png", ".jpg", ".vtt", ".srt", ".chapters.json", ".transcript.json")
"""The files an episode may have in `output/episodes/`; anything else there is not ours."""


# ---------------------------------------------------------------- the work folder


def state_file(work_dir: Path) -> Path:
    return work_dir / STATE_FILE


def lock_file(work_dir: Path) -> Path:
    return work_dir / LOCK_FILE


def update_lock_file(work_dir: Path) -> Path:
    return work_dir / UPDATE_LOCK_FILE


def bulletin_state_file(work_dir: Path) -> Path:
    return work_dir / BULLETIN_STATE_FILE


def publish_state_file(work_dir: Path) -> Path:
    return work_dir / PUBLISH_STATE_FILE


def sent_file(work_dir: Path) -> Path:
    return work_dir / SENT_FILE


def clip_dir(work_dir: Path) -> Path:
    return work_dir / "cache" / "clips"


def article_cache_dir(work_dir: Path) -> Path:
    return work_dir / "cache" / "articles"


def read_memo(work_dir: Path) -> Path:
    return work_dir / "cache" / "read-memo.pickle"


def art_cache_dir(work_dir: Path) -> Path:
    return work_dir / "cache" / "art"


def scratch_dir(work_dir: Path) -> Path:
    """Temporary audio while an episode is joined (`nashra.storage.scratch`)."""
    return work_dir / "tmp"


def site_key_file(work_dir: Path) -> Path:
    return work_dir / "site-key"


def check_memo(work_dir: Path) -> Path:
    return work_dir / "check-memo.json"


# ---------------------------------------------------------------- output/, relative paths


def article_source(name: str) -> str:
    """The build state's name for the article file `name`: `articles/<name>`."""
    return f"{ARTICLES_DIR}/{name}"


def episode_stem(slug: str, version: int = 1, folder: str = EPISODES_DIR) -> str:
    """`episodes/<slug>` for an episode's first version, `episodes/<slug>-vN` for the N-th."""
    return f"{folder}/{slug}" if version <= 1 else f"{folder}/{slug}-v{version}"


def next_stem(slug: str, previous_file: str | None, folder: str = EPISODES_DIR) -> str:
    """The stem for a new version of an episode whose current MP3 is `previous_file`.

    A changed episode gets a new name, so the published feed never points at a
    file of another length; the old one is removed once the new feed is out.
    """
    if previous_file is None:
        return episode_stem(slug, folder=folder)
    match = re.fullmatch(rf"{folder}/{re.escape(slug)}(?:-v(\d+))?\.mp3", previous_file)
    version = int(match.group(1) or 1) if match else 1
    return episode_stem(slug, version + 1, folder)


def episode_audio(stem: str) -> str:
    return f"{stem}.mp3"


def episode_art(stem: str, jpeg: bool) -> str:
    return f"{stem}{'.jpg' if jpeg else '.png'}"


def sidecar_paths(
    audio_file: str, *, chapters: bool, cues: bool, words: bool = False
) -> dict[str, str]:
    """The chapters and transcript files of the episode whose MP3 is `audio_file`, by kind.
    The JSON transcript is written only for episodes with word timings: its cues alone
    would say no more than the WebVTT and SRT files."""
    stem = audio_file.removesuffix(".mp3")
    paths: dict[str, str] = {}
    if chapters:
        paths["chapters"] = f"{stem}.chapters.json"
    if cues:
        paths["vtt"] = f"{stem}.vtt"
        paths["srt"] = f"{stem}.srt"
    if cues and words:
        paths["json"] = f"{stem}.transcript.json"
    return paths


def record_sidecars(record: EpisodeRecord) -> dict[str, str]:
    """The published episode's chapters and transcript files, relative to `output/`, by kind."""
    return sidecar_paths(
        record.file, chapters=bool(record.chapters), cues=record.has_cues, words=record.has_words
    )


def record_files(record: EpisodeRecord) -> list[str]:
    """Every file of the published episode in `output/`: audio, cover, companions."""
    return [
        record.file,
        *([record.image] if record.image else []),
        *record_sidecars(record).values(),
    ]


def episode_page(slug: str, folder: str = EPISODES_DIR) -> str:
    """The episode's web page: named by the slug, so its link outlives new audio versions."""
    return f"{folder}/{slug}{PAGE_SUFFIX}"


def folder_index(folder: str) -> str:
    """The page a web server answers for `folder/`."""
    return f"{folder}/{INDEX_PAGE}"


def archive_page(number: int) -> str:
    """Page `number` of the site's archive, counted from the oldest episodes, so an older
    page never changes as new episodes arrive."""
    return f"{ARCHIVE_DIR}/{number}{PAGE_SUFFIX}"


def asset(name: str) -> str:
    """A file the pages share (the font, its licence), relative to `output/`."""
    return f"{ASSETS_DIR}/{name}"


def cover_file(image: str | None) -> str:
    """The channel cover's name in `output/`: the configured image's type, else a PNG."""
    return f"cover{Path(image).suffix.lower()}" if image else COVER_FILES[0]
