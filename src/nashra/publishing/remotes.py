"""rclone targets as nashra shows them: the same text with credentials replaced by `***`,
and what rclone's error messages mean.

How rclone reads a target and which of its parameters are credentials is
`nashra.config.targets`, which settings use to check `[publish] target`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import quote, quote_plus, unquote

from nashra.config.targets import URL_USERINFO, holds_secret, parse_target, written_credentials

# `name=value` anywhere in a text (a target, rclone's echo of it, URL-encoded or not).
_ASSIGNMENT = re.compile(
    r"(?:(?<![\w%])|(?<=%2C)|(?<=%3A)|(?<=%26))(?P<name>\w+)(?P<eq>=|%3D)(?P<value>'(?:[^']|'')*'?|\"(?:[^\"]|\"\")*\"?"
    r"|(?:%(?!2C|3A|26|22|27)[0-9A-F]{2}|[^%,:\s\"&])+)",
    re.IGNORECASE | re.ASCII,
)


def secrets_in(target: str, env: Mapping[str, str]) -> list[str]:
    """The credential values a message could leak: from the target and the environment,
    each as written, as rclone reads it and URL-encoded."""
    values = []
    for p in parse_target(target).parameters:
        if p.end > p.start and holds_secret(p.name, p.value):
            values += [p.value, target[p.start : p.end], _unquote(target[p.start : p.end])]
            if p.name.lower().endswith("headers"):
                values += p.value.split(",")[1::2]
    values += [_unquote(value) for _, value in written_credentials(target)]
    values += [m.group("pw") for m in URL_USERINFO.finditer(target)]
    for name, value in env.items():
        upper = name.upper()
        if upper.startswith(("RCLONE_", "AWS_", "AZURE_", "GOOGLE_", "B2_")) and holds_secret(
            upper.split("_", 1)[1], value
        ):
            values.append(value)
    values += [
        encoded
        for v in values
        for encoded in (quote(v, safe=""), quote(v, safe="/"), quote_plus(v))
    ]
    return sorted({v for v in values if len(v) >= 3}, key=len, reverse=True)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1].replace(value[0] * 2, value[0])
    return value


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret, every credential parameter's value and every password
    in a URL replaced by `***`."""
    for secret in secrets:
        text = text.replace(secret, "***")
    text = _ASSIGNMENT.sub(_hide_assignment, text)
    return URL_USERINFO.sub(lambda m: f"{m.group('scheme')}{m.group('user')}:***@", text)


def _hide_assignment(match: re.Match[str]) -> str:
    name, value = match.group("name"), match.group("value")
    if not holds_secret(name, unquote(value)) or value == "***":
        return match.group(0)
    return f"{name}{match.group('eq')}***"


def redacted_target(target: str) -> str:
    """The target as it can be shown: credential parameters' values replaced by `***`."""
    shown = target
    for p in reversed(parse_target(target).parameters):
        if p.end > p.start and holds_secret(p.name, p.value):
            shown = shown[: p.start] + "***" + shown[p.end :]
    return redact(shown, ())


# ------------------------------------------------------------------ errors


def _status(codes: str) -> str:
    """A pattern for status codes standing alone, never a piece of a port, path or number.

    rclone's messages carry addresses and file names (``port=59305``, ``x.2bc9c916.partial``):
    a bare ``530`` in a pattern once read a full disk as refused credentials.
    """
    return rf"(?<![\w=:./-])(?:{codes})(?![\w./:-])"


# (pattern in rclone's messages, what it means for the user), first match wins:
# a full disk first, since its message also carries the failed write's status.
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
            r"no space left|disk quota|quota exceeded|QuotaExceeded|InsufficientStorage"
            rf"|{_status('507')}|storage (is )?full|EntityTooLarge",
            "the remote is out of space or over its quota",
        ),
        (
            r"InvalidAccessKeyId|SignatureDoesNotMatch|AccessDenied|Forbidden"
            rf"|{_status('401|403|530')}"
            r"|unable to authenticate|authentication failed|permission denied|Unauthorized"
            r"|invalid credentials|login incorrect",
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
