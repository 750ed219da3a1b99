"""rclone targets as nashra shows them: which of their parts are credentials, the same
text with credentials replaced by `***`, and what rclone's error messages mean.

A target is an rclone remote and path: `myremote:bucket/podcast` (configured with
`rclone config`) or an inline connection string such as
`:s3,provider=Cloudflare,endpoint='https://…':bucket/podcast`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

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
    head = remote_part(target)
    pairs = []
    for part in _split_outside_quotes(head, ",")[1:]:
        name, _, value = part.partition("=")
        pairs.append((name, value))
    return pairs


def remote_part(target: str) -> str:
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
