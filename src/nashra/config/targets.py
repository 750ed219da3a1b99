"""The `[publish] target` read as rclone reads it: its remote, parameters and path,
whether it is a folder on this machine, whether rclone would misread it, and which of
its parameters are credentials (which podcast.toml must not hold).

A target is an rclone remote and path: `myremote:bucket/podcast` (configured with
`rclone config`) or an inline connection string such as
`:s3,provider=Cloudflare,endpoint='https://…':bucket/podcast`. rclone reads
`remote,name=value,name2='quoted, value':path`: a value ends at the first `,` or `:`
unless it is quoted with `'` or `"` (a quote inside is doubled), a parameter without
`=value` is `true`, and a `/` before the first `:` or `,` makes the whole a local path
(`rclone help docs`, "Connection strings"; `fs/fspath` in rclone's source).

Pure functions, no rclone binary: settings check a target's form with them, and
`publishing` builds on them to redact what rclone says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Parameter:
    name: str
    value: str
    """The value as rclone reads it: quotes taken off, doubled quotes made single."""
    start: int
    end: int
    """Where the value is written in the target, quotes included (`target[start:end]`)."""


@dataclass(frozen=True)
class Target:
    """A target read as rclone reads it."""

    remote: str
    """`remote` or `:backend`; "" for a path on this machine."""
    parameters: tuple[Parameter, ...]
    path: str
    config_end: int
    """Where `remote,parameters` ends (the `:` before the path); -1 for a local path."""
    error: str | None = None
    """rclone's complaint when it cannot read the target at all."""


_CONFIG_NAME = re.compile(r":?[\w -]+", re.ASCII)
_PARAM_CHAR = re.compile(r"\w", re.ASCII)


def parse_target(text: str) -> Target:
    """`text` split as rclone's `fspath.Parse` splits it (on Linux: no drive letters)."""
    if ":" not in text:
        return Target("", (), text, -1)
    params: list[Parameter] = []
    remote, name, prev, quote, doubled = "", "", 0, "", False
    state = "remote"

    def fail(problem: str) -> Target:
        return Target(remote, tuple(params), text, -1, problem)

    for i, ch in enumerate(text):
        if state == "remote":
            if i == 0 and ch == ":":
                continue
            if ch in "/\\":
                if text[0] == ":":
                    return fail("config name contains invalid characters")
                return Target("", (), text, -1)
            if ch in ":,":
                remote = text[:i]
                if remote in ("", ":") or not _CONFIG_NAME.fullmatch(remote):
                    return fail("config name contains invalid characters")
                prev = i + 1
                if ch == ":":
                    return Target(remote, (), text[i + 1 :], i)
                state = "param"
        elif state == "param":
            if ch in ":,=":
                name = text[prev:i]
                if not name:
                    return fail("config parameters can't be empty")
                prev = i + 1
                if ch == "=":
                    state = "value"
                    continue
                params.append(Parameter(name, "true", i, i))
                if ch == ":":
                    return Target(remote, tuple(params), text[i + 1 :], i)
            elif not _PARAM_CHAR.fullmatch(ch):
                return fail("config parameters may only contain `0-9`, `A-Z`, `a-z` and `_`")
        elif state == "value":
            if ch in "'\"" and i == prev:
                quote, state, doubled = ch, "quoted", False
                continue
            if ch in ":,":
                params.append(Parameter(name, text[prev:i], prev, i))
                prev = i + 1
                if ch == ":":
                    return Target(remote, tuple(params), text[i + 1 :], i)
                state = "param"
        elif state == "quoted":
            if ch == quote:
                state = "after quote"
        elif ch in ":,":  # after the closing quote
            value = text[prev + 1 : i - 1]
            if doubled:
                value = value.replace(quote * 2, quote)
            params.append(Parameter(name, value, prev, i))
            prev = i + 1
            if ch == ":":
                return Target(remote, tuple(params), text[i + 1 :], i)
            state = "param"
        elif ch == quote:
            state, doubled = "quoted", True
        else:
            return fail("expecting `:` or `,` or another quote after a quote")
    return fail(
        {
            "remote": "config name needs a trailing `:`",
            "param": "config parameter must end with `,` or `:`",
            "value": "unquoted config value must end with `,` or `:`",
            "quoted": "unterminated quoted config value",
        }.get(state, "expecting `:` or `,` or another quote after a quote")
    )


def remote_part(target: str) -> str:
    """The `remote,params` part of `remote,params:path`, as rclone splits it."""
    parsed = parse_target(target)
    return target[: parsed.config_end] if parsed.config_end >= 0 else target


def target_problem(target: str) -> str | None:
    """Why rclone would not read `target` as its writer meant, or None.

    An unquoted value ends at its first `:`, so in `:webdav,url=https://host,user=me:site`
    rclone reads `url=https` and takes `//host,user=me:site` as the path.
    """
    parsed = parse_target(target)
    if parsed.error:
        return f"rclone cannot read it ({parsed.error})"
    last = parsed.parameters[-1] if parsed.parameters else None
    written = target[last.start : last.end] if last else ""
    if (
        last
        and last.end == parsed.config_end
        and parsed.path.startswith("//")
        and re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", written)
    ):
        return (
            f"rclone reads `{last.name}={written}` and takes the rest as the path, because "
            f"an unquoted value ends at its first `:`; quote it: {last.name}='{written}://…'"
        )
    return None


def is_local_path(target: str) -> bool:
    """A folder on this machine (`/var/www/podcast`, `./public`) rather than a remote."""
    return target.startswith(("/", "./", "../"))


# ------------------------------------------------------------------ credentials

# Words in the names of rclone's options that hold credentials: those rclone marks
# IsPassword, and those of its Sensitive ones that are secrets rather than names
# (`pass`, `password2`, `secret_access_key`, `client_secret`, `bearer_token`, `sas_url`,
# `service_account_credentials`, `access_grant`, `connection_string`, `cookies`, …).
_SECRET_WORDS = re.compile(
    r"pass|secret|token|key|credential|auth|sas_url|private|session|cookie|mnemonic"
    r"|access_grant|connection_string|signature",
    re.IGNORECASE,
)
# Names with such a word whose values are paths, addresses, switches or durations.
_PLAIN_ENDINGS = ("_file", "_command", "_expiry", "_duration", "_version", "_algorithms")
_PLAIN = frozenset(
    {
        "key_use_agent",
        "env_auth",
        "use_insecure_cipher",
        "ask_password",
        "key_exchange",
        "auth_owner_only",
        "auth_redirect",
        "v2_auth",
        "pass_bad_blocks",
        "bypass_governance_retention",
        "role_session_name",
        "pin_host_key",
    }
)
# HTTP headers that carry credentials, in an rclone `headers` option.
_SECRET_HEADER = re.compile(r"auth|cookie|token|key|secret|session|signature", re.IGNORECASE)
# `name=value` as rclone writes it, where rclone no longer reads parameters.
_WRITTEN = re.compile(
    r"(?<!\w)(?P<name>\w+)=(?P<value>'(?:[^']|'')*'?|\"(?:[^\"]|\"\")*\"?|[^,:]*)"
)
# `scheme://user:password@` in a URL.
URL_USERINFO = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)(?P<user>[^/@\s:]*):(?P<pw>[^/@\s]+)@")


def is_secret_name(name: str) -> bool:
    """Whether an rclone option (or its environment variable) holds a credential."""
    name = name.strip().lower().replace("-", "_")
    if name.endswith(_PLAIN_ENDINGS) or any(name == p or name.endswith("_" + p) for p in _PLAIN):
        return False
    if name.endswith("url") and not name.endswith("sas_url"):
        return False
    return bool(_SECRET_WORDS.search(name))


def holds_secret(name: str, value: str) -> bool:
    """Whether a parameter holds a credential (for `headers`: whether one of its headers does)."""
    if name.lower().endswith("headers"):
        return bool(_SECRET_HEADER.search(value))
    return is_secret_name(name)


def written_credentials(target: str) -> list[tuple[str, str]]:
    """`(name, value)` of credentials written where rclone does not read parameters
    (after an unquoted `https:` ended them): rclone still echoes them in its messages."""
    parsed = parse_target(target)
    rest = target[parsed.config_end + 1 :] if parsed.config_end >= 0 else target
    if parsed.error:
        rest = target
    return [
        (m.group("name"), m.group("value"))
        for m in _WRITTEN.finditer(rest)
        if holds_secret(m.group("name"), m.group("value"))
    ]


def secret_parameters(target: str) -> list[str]:
    """Names of the credentials written into a target."""
    parsed = parse_target(target)
    names = [p.name for p in parsed.parameters if holds_secret(p.name, p.value)]
    names += [name for name, _ in written_credentials(target) if name not in names]
    if URL_USERINFO.search(target):
        names.append("password in a URL")
    return names


def environment_names(target: str) -> list[str]:
    """The environment variables that hold, for rclone, the credentials written into a
    target: `RCLONE_S3_SECRET_ACCESS_KEY` for `:s3,…`, `RCLONE_CONFIG_R2_…` for `r2,…`."""
    remote = parse_target(target).remote
    if remote.startswith(":"):
        prefix = f"RCLONE_{remote[1:]}_"
    else:
        prefix = f"RCLONE_CONFIG_{remote or '<REMOTE>'}_"
    found = secret_parameters(target)
    names = [n for n in found if n != "password in a URL"]
    if len(names) < len(found):
        names.append("pass")
    return [re.sub(r"[^\w<>]", "_", prefix + name, flags=re.ASCII).upper() for name in names]
