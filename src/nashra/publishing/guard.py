"""What `nashra publish` refuses to upload: a feed that drops more episodes than
`[build] max_removed` allows, compared with the feed online (`nashra.publishing.removals`).

The feed online is what subscribers have; the one in `output/` may come from a
build that went wrong (a renamed articles folder, a lost build state, another
checkout). An episode counts as dropped when the new feed does not list its GUID
and its audio file is not in `output/` either: one that only left the feed's
newest `feed_items` keeps its file and page, and is not.
"""

from __future__ import annotations

import logging
from collections.abc import Container

from nashra.config.settings import Settings
from nashra.publishing.removals import guard_removals
from nashra.render.feed_items import read_feed

log = logging.getLogger(__name__)


def dropped_episodes(
    online: bytes, new: bytes, files: Container[str], base_url: str
) -> tuple[list[str], int]:
    """The episodes (by title) the `online` feed lists and the `new` one drops, and how
    many the online feed lists. An online feed that cannot be read drops nothing."""
    try:
        before = read_feed(online, base_url).items
    except ValueError as exc:
        log.warning("the feed online cannot be read (%s): not compared with the new one", exc)
        return [], 0
    kept = {item.guid for item in read_feed(new, base_url).items}
    dropped = [
        item.title or item.guid
        for item in before
        if item.guid not in kept and (item.file is None or item.file not in files)
    ]
    return dropped, len(before)


def guard_publish(
    settings: Settings, online: bytes, new: bytes, files: Container[str], *, allow: bool
) -> list[str]:
    """The episodes publishing `new` over `online` drops; `TooManyRemovals` when they are
    more than `[build] max_removed` allows, unless `allow`."""
    try:
        dropped, listed = dropped_episodes(online, new, files, settings.base_url)
    except ValueError:
        return []  # the check of output/ reports a broken feed of our own
    guard_removals(
        "this publish", dropped, listed, max_removed=settings.build.max_removed, allow=allow
    )
    return dropped
