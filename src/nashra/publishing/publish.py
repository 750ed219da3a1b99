"""nashra publish: upload `output/` to where the podcast is hosted, in an order that is safe.

A podcast app may fetch the feed at any moment, so the upload never lets it see
a feed whose files are not there yet, nor one whose files are already gone:

1. new and changed media and sidecars (MP3s, covers, chapters, transcripts, fonts),
2. then the pages (`index.html`, `episodes/<slug>.html`, `archive/<n>.html`), which link to them,
3. then `feed.xml`, which switches subscribers to the new episodes in one step,
4. and only then deletions of the files the new feed no longer names, once no
   cache may still hold the previous feed (`max_age` seconds after it was replaced;
   until then they are kept, and a later publish deletes them).

Only files whose size and hash (else modification time) differ are sent, so an
interrupted publish is finished by running it again. The plan is plain data made
by a pure function (`plan_publish`); `publish` runs it through the rclone adapter.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from nashra.config.settings import Settings
from nashra.config.targets import is_local_path
from nashra.core.errors import PublishError, UsageError
from nashra.publishing.rclone import LIST_PREFIX, Rclone, RemoteFile
from nashra.publishing.remotes import redacted_target
from nashra.publishing.sent import SentFiles
from nashra.render import media_types
from nashra.storage import paths
from nashra.storage.lock import project_lock
from nashra.storage.scratch import remove_orphans
from nashra.storage.writer import atomic_write

log = logging.getLogger(__name__)

FEED = paths.FEED_FILE
FEEDS = paths.FEED_FILES
"""The feeds: uploaded last, each in one step."""
MEDIA, PAGES, FEED_STAGE, DELETE = "media", "pages", "feed", "delete"
STAGE_NAMES = {
    MEDIA: "media and sidecars",
    PAGES: "pages",
    FEED_STAGE: "feed",
    DELETE: "deletions",
}
# The feed on a backend that writes files in place is uploaded under this hidden
# name and then renamed over feed.xml.
FEED_TEMP = ".feed.xml.nashra-upload"

# What nashra writes into output/, so publishing deletes nothing else it finds there.
_OWN_TOP = (*FEEDS, paths.INDEX_PAGE, *paths.COVER_FILES)
_OWN_DIRS = tuple(
    f"{folder}/"
    for folder in (paths.EPISODES_DIR, paths.ASSETS_DIR, paths.BULLETINS_DIR, paths.ARCHIVE_DIR)
)
_MEDIA_DIRS = (f"{paths.EPISODES_DIR}/", f"{paths.BULLETINS_DIR}/")
_PARTIAL = re.compile(r"\.[0-9a-f]{8}\.partial$")


@dataclass(frozen=True)
class LocalFile:
    path: str
    size: int
    md5: str
    sha1: str
    mtime: float


@dataclass(frozen=True)
class CachePolicy:
    max_age: int = 300
    """Seconds a cache may keep `feed.xml`, the pages and the cover."""
    episode_max_age: int = 31_536_000
    """Seconds for episode files, whose names change with their content."""


@dataclass(frozen=True)
class Step:
    stage: str
    """`media`, `pages`, `feed` or `delete`."""
    paths: tuple[str, ...]
    headers: tuple[tuple[str, str], ...] = ()
    """HTTP headers to store with the files, on backends that keep them."""


@dataclass(frozen=True)
class Plan:
    steps: tuple[Step, ...]
    unchanged: tuple[str, ...]
    left_alone: tuple[str, ...]
    """Remote files that nashra did not make: never deleted."""

    def paths(self, stage: str) -> list[str]:
        return [p for step in self.steps if step.stage == stage for p in step.paths]


@dataclass
class PublishReport:
    target: str
    plan: Plan
    backend: str
    keeps_headers: bool
    dry_run: bool
    done: list[Step] = field(default_factory=list)
    bytes_sent: int = 0
    kept: tuple[str, ...] = ()
    """Files the feed no longer names, kept while a cache may still hold the previous feed."""
    delete_after: float | None = None
    """When (epoch seconds) a publish may delete `kept`."""
    dropped: tuple[str, ...] = ()
    """Episodes (by title) the feed online lists and the new one drops."""

    @property
    def uploaded(self) -> list[str]:
        return [p for s in self.done if s.stage != DELETE for p in s.paths]

    @property
    def deleted(self) -> list[str]:
        return [p for s in self.done if s.stage == DELETE for p in s.paths]


# ------------------------------------------------------------------ the plan


def content_type(path: str) -> str:
    if path in FEEDS:
        return media_types.RSS_TYPE + media_types.UTF8
    return media_types.content_type(path)


def cache_control(path: str, policy: CachePolicy) -> str:
    if path.startswith(_MEDIA_DIRS) and not path.endswith(".html"):
        return f"public, max-age={policy.episode_max_age}, immutable"
    return f"public, max-age={policy.max_age}"


def stage_of(path: str) -> str:
    if path in FEEDS:
        return FEED_STAGE
    if path.endswith(".html"):
        return PAGES
    return MEDIA


def is_own(path: str) -> bool:
    """Whether `path` is of the kind nashra writes (so it may delete it when it is gone).

    rclone's leftovers of an interrupted upload (`feed.xml.1a2b3c4d.partial`) count
    as the file they were becoming.
    """
    if any(part.startswith(".") for part in path.split("/")):
        return False
    path = _PARTIAL.sub("", path)
    return path in _OWN_TOP or path.startswith(_OWN_DIRS)


def plan_publish(
    local: Mapping[str, LocalFile],
    remote: Mapping[str, RemoteFile],
    *,
    keeps_headers: bool,
    policy: CachePolicy,
) -> Plan:
    """The uploads and deletions that make `remote` hold `local`, in the safe order."""
    changed: dict[str, list[str]] = {MEDIA: [], PAGES: [], FEED_STAGE: []}
    unchanged = []
    for path in sorted(local):
        headers = _headers(path, policy)
        if _same(local[path], remote.get(path), headers if keeps_headers else None):
            unchanged.append(path)
        else:
            changed[stage_of(path)].append(path)
    steps: list[Step] = []
    for stage in (MEDIA, PAGES, FEED_STAGE):
        if not keeps_headers:
            if changed[stage]:
                steps.append(Step(stage, tuple(changed[stage])))
            continue
        groups: dict[tuple[tuple[str, str], ...], list[str]] = {}
        for path in changed[stage]:
            groups.setdefault(_headers(path, policy), []).append(path)
        for headers, grouped in sorted(groups.items()):
            steps.append(Step(stage, tuple(grouped), headers))
    gone = sorted(p for p in remote if p not in local)
    doomed = tuple(p for p in gone if is_own(p))
    if doomed:
        steps.append(Step(DELETE, doomed))
    return Plan(
        steps=tuple(steps),
        unchanged=tuple(unchanged),
        left_alone=tuple(p for p in gone if not is_own(p)),
    )


def deletion_wait(
    *, feed_changes: bool, feed_since: float | None, now: float, max_age: int
) -> float:
    """Seconds until files the feed no longer names may go (0: now).

    A cache in front of the storage may serve the previous feed for `max_age`
    seconds after the new one replaced it, and that feed still names them.
    `feed_since` is when the remote feed was last replaced, if known.
    """
    if feed_changes or feed_since is None:
        return float(max_age)
    return max(0.0, feed_since + max_age - now)


def _headers(path: str, policy: CachePolicy) -> tuple[tuple[str, str], ...]:
    return (("Cache-Control", cache_control(path, policy)), ("Content-Type", content_type(path)))


def _same(
    mine: LocalFile, theirs: RemoteFile | None, headers: tuple[tuple[str, str], ...] | None
) -> bool:
    if theirs is None or theirs.size != mine.size:
        return False
    if "md5" in theirs.hashes:
        same = theirs.hashes["md5"].lower() == mine.md5
    elif "sha1" in theirs.hashes:
        same = theirs.hashes["sha1"].lower() == mine.sha1
    else:
        same = _same_time(mine.mtime, theirs.mtime)
    # A store that reports no headers at all is taken at its word (they were set on
    # upload); one that reports them must report the right ones.
    reported = theirs.content_type is not None or theirs.cache_control is not None
    if same and headers is not None and reported:
        wanted = dict(headers)
        same = (
            theirs.content_type == wanted["Content-Type"]
            and theirs.cache_control == wanted["Cache-Control"]
        )
    return same


def _same_time(local: float, remote: str | None) -> bool:
    """rclone sets the remote's time to the local file's on upload; 1 s covers FTP and SFTP."""
    if not remote:
        return False
    try:
        stamp = datetime.fromisoformat(remote.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return False
    return abs(stamp - local) < 1.0


# ------------------------------------------------------------------ local files


def scan_output(output: Path) -> dict[str, LocalFile]:
    """Every file under `output/` except hidden ones (temporary files of a build in flight)."""
    files = {}
    for path in sorted(output.rglob("*")):
        relative = path.relative_to(output).as_posix()
        if any(part.startswith(".") for part in relative.split("/")) or not path.is_file():
            continue
        md5, sha1 = hashlib.md5(), hashlib.sha1()
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                md5.update(chunk)
                sha1.update(chunk)
        stat = path.stat()
        files[relative] = LocalFile(
            relative, stat.st_size, md5.hexdigest(), sha1.hexdigest(), stat.st_mtime
        )
    return files


# ------------------------------------------------------------------ publishing


def resolve_target(settings: Settings, target: str | None) -> str:
    """The target given on the command line, else `[publish] target`."""
    chosen = target or settings.publish.target
    if not chosen:
        raise UsageError(
            "no place to publish to: give one (`nashra publish REMOTE:PATH`) or set "
            "`[publish] target` in podcast.toml"
        )
    if is_local_path(chosen):
        # A relative folder in podcast.toml is relative to the project.
        return chosen if target else str((settings.project / chosen).resolve())
    if ":" not in chosen:
        shown = redacted_target(chosen)
        raise UsageError(
            f"publish target {shown!r} is not an rclone remote: write it as `remote:path` "
            "(a remote from `rclone config`), `:backend,option=value:path`, or a folder "
            "as `/path` or `./path`"
        )
    return chosen


def publish(
    settings: Settings,
    target: str,
    *,
    dry_run: bool = False,
    rclone: Rclone | None = None,
    on_stage: Callable[[str, int], None] | None = None,
    allow_removals: bool = False,
) -> PublishReport:
    """Make `target` hold `output/`: changed files in the safe order, then deletions.

    `on_stage(stage, files)` is called as each stage is done. A feed that drops more
    episodes of the feed online than `[build] max_removed` allows is refused before
    anything is sent (`TooManyRemovals`), unless `allow_removals`.
    """
    output = settings.output_dir
    if not (output / FEED).is_file():
        raise PublishError(
            f"nothing to publish: {output / FEED} does not exist; run `nashra build` first"
        )
    remote_fs = rclone or Rclone(target)
    policy = CachePolicy(settings.publish.max_age, settings.publish.episode_max_age)
    with project_lock(settings.work_dir):
        remove_orphans(Path(tempfile.gettempdir()), LIST_PREFIX)  # a killed publish's lists
        local = scan_output(output)
        remote = remote_fs.listing()
        dropped: list[str] = []
        if FEED in remote and FEED in local and not _same(local[FEED], remote[FEED], None):
            from nashra.publishing.guard import guard_publish  # reads feeds: only when needed

            online = remote_fs.read(FEED)
            new = (output / FEED).read_bytes()
            dropped = guard_publish(settings, online, new, local, allow=allow_removals)
        features = remote_fs.features()
        sent = SentFiles(paths.sent_file(settings.work_dir), remote_fs.shown)
        if not features.hashes:
            remote = sent.vouch(remote)
        plan = plan_publish(local, remote, keeps_headers=features.keeps_headers, policy=policy)
        report = PublishReport(
            target=remote_fs.shown,
            plan=plan,
            backend=features.backend,
            keeps_headers=features.keeps_headers,
            dry_run=dry_run,
            dropped=tuple(dropped),
        )
        state = _FeedTimes(paths.publish_state_file(settings.work_dir))
        steps = plan.steps
        if plan.paths(DELETE):
            now = time.time()
            since = state.get(remote_fs.shown)
            if since is None and not dry_run:
                # Unknown (first publish from this project): count from now, to be safe.
                state.set(remote_fs.shown, now)
            wait = deletion_wait(
                feed_changes=bool(plan.paths(FEED_STAGE)),
                feed_since=since,
                now=now,
                max_age=policy.max_age,
            )
            if wait > 0:
                report.kept = tuple(plan.paths(DELETE))
                report.delete_after = now + wait
                steps = tuple(step for step in steps if step.stage != DELETE)
        if dry_run:
            return report
        for index, step in enumerate(steps):
            log.info("%s: %s", STAGE_NAMES[step.stage], ", ".join(step.paths))
            if step.stage == FEED_STAGE:
                # Before as well as after: a publish killed once the feed is up still
                # makes the next one wait for caches to let go of the previous feed.
                state.set(remote_fs.shown, time.time())
            if step.stage == DELETE:
                remote_fs.delete(step.paths)
            elif step.stage == FEED_STAGE and not features.atomic_uploads and features.can_move:
                for feed in step.paths:
                    temp = FEED_TEMP if feed == FEED else f".{feed}.nashra-upload"
                    remote_fs.upload_via_temp(output, feed, temp)
            else:
                remote_fs.upload(output, step.paths, headers=dict(step.headers))
            if step.stage == FEED_STAGE:
                state.set(remote_fs.shown, time.time())
            report.done.append(step)
            report.bytes_sent += sum(local[p].size for p in step.paths if p in local)
            following = steps[index + 1 : index + 2]
            if on_stage is not None and (not following or following[0].stage != step.stage):
                on_stage(step.stage, len(plan.paths(step.stage)))
        if not features.hashes and (
            report.uploaded or any(not remote[p].hashes for p in plan.unchanged)
        ):
            after = remote_fs.listing(with_hashes=False)
            sent.record(after, local, [*report.uploaded, *plan.unchanged])
    return report


class _FeedTimes:
    """When each target's feed was last replaced, in the project's work folder.

    Keyed by the target as shown (credentials redacted), so no secret is stored.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def _load(self) -> dict[str, float]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        feeds = data.get("feed_replaced", {}) if isinstance(data, dict) else {}
        return {k: float(v) for k, v in feeds.items() if isinstance(v, (int, float))}

    def get(self, target: str) -> float | None:
        return self._load().get(target)

    def set(self, target: str, when: float) -> None:
        feeds = self._load()
        feeds[target] = round(when, 3)
        body = json.dumps({"feed_replaced": feeds}, indent=2, sort_keys=True) + "\n"
        atomic_write(self.path, body.encode("utf-8"))
