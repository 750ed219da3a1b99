"""Cover art for the channel and each episode: given in the project, or generated.

Generated covers are kept in the work folder (drawing one takes 0.2 s), keyed by
the title and everything else that shapes the picture.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from nashra.config.settings import Settings
from nashra.core.errors import ArticleError, NashraError, OutputError
from nashra.core.model import Article
from nashra.render import artwork
from nashra.storage import paths
from nashra.storage.writer import atomic_write, safe_join


def episode_art(settings: Settings, article: Article) -> Path | None:
    """The episode's cover when one is given: the article's (front matter `image`,
    relative to the project), checked, else the podcast's configured cover; None
    means a cover is generated from the episode's title."""
    if not article.image:
        return settings.project / settings.image if settings.image else None
    if "://" in article.image:
        raise ArticleError(
            article.source, f"`image` must name a file in the project, not a URL: {article.image}"
        )
    try:
        # Front matter must not reach outside the project (`../../etc/...`).
        path = safe_join(settings.project, article.image)
    except OutputError:
        raise ArticleError(
            article.source, f"`image` must name a file inside the project: {article.image}"
        ) from None
    try:
        artwork.check_cover(path)
    except NashraError as exc:
        raise ArticleError(article.source, f"its `image` cannot be used: {exc}") from exc
    return path


def art_fingerprint(art: Path | None) -> object:
    """What identifies the cover for the content key: the given file's hash, or what
    a generated one depends on besides the title (the font and the drawing code)."""
    if art is not None:
        return hashlib.sha256(art.read_bytes()).hexdigest()
    return ["generated", artwork.ART_VERSION, artwork.can_shape_arabic()]


def art_bytes(work_dir: Path, art: Path | None, title: str) -> bytes:
    """The cover's bytes: the given file's, else one generated from `title`."""
    if art is not None:
        return art.read_bytes()
    return generated_cover(work_dir, title)


def generated_cover(work_dir: Path, title: str) -> bytes:
    """`artwork.make_cover(title)`, kept in the work folder."""
    recipe = json.dumps([title, artwork.ART_VERSION, artwork.can_shape_arabic()])
    key = hashlib.sha256(recipe.encode("utf-8")).hexdigest()
    path = paths.art_cache_dir(work_dir) / f"{key}.png"
    if path.is_file() and path.stat().st_size:
        return path.read_bytes()
    data = artwork.make_cover(title)
    atomic_write(path, data, durable=False)
    return data


def channel_cover(settings: Settings) -> bytes:
    """The channel's cover: the configured image, else one generated from the title."""
    if settings.image:
        path = settings.project / settings.image
        artwork.check_cover(path)
        return path.read_bytes()
    return generated_cover(settings.work_dir, settings.title)


def image_mime(image: bytes) -> str:
    return "image/jpeg" if image[:3] == b"\xff\xd8\xff" else "image/png"
