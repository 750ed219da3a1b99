"""Credentials in rclone targets: the connection string read as rclone reads it (fuzzed
against the syntax rclone documents and checked against the rclone binary), credentials
redacted whatever the quoting, and refused in podcast.toml. What `nashra publish` prints
is checked in test_publish_leaks.py.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nashra.config.settings import load_settings
from nashra.config.targets import is_secret_name, parse_target, secret_parameters
from nashra.core.errors import SettingsError
from nashra.publishing.rclone import executable
from nashra.publishing.remotes import redact, redacted_target, secrets_in
from tests.rclone_servers import (
    SFTP_USER,
    Server,
    client_env,
    obscure,
    rclone_server,
)
from tests.support import make_project

# ------------------------------------------------------------------ the syntax, as documented

# rclone's documentation ("Connection strings"): `remote,parameter=value,parameter2=value2:path`;
# a value holding `:` or `,` is put in quotes `"` or `'`, a quote inside them doubled; a
# parameter without `=value` is `true`. Parameter names are letters, digits and `_`.
NAMES = st.from_regex(r"[A-Za-z0-9_]{1,12}", fullmatch=True)
VALUES = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=20)
REMOTES = st.one_of(
    st.from_regex(r":[a-z0-9]{1,8}", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_ -]{0,8}", fullmatch=True),
)


@st.composite
def written_values(draw: st.DrawFn) -> tuple[str, str]:
    """(value, as written in a connection string): quoted when it must be, or by choice."""
    value = draw(VALUES)
    must = any(c in value for c in ":,") or value[:1] in ("'", '"')
    if must or draw(st.booleans()):
        quote = draw(st.sampled_from("'\""))
        return value, quote + value.replace(quote, quote * 2) + quote
    return value, value


@st.composite
def parameters(draw: st.DrawFn) -> tuple[list[tuple[str, str]], str]:
    """([(name, value)], as written: `,name=value,flag,…`)."""
    params: list[tuple[str, str]] = []
    text = ""
    for _ in range(draw(st.integers(0, 4))):
        name = draw(NAMES)
        if draw(st.integers(0, 5)) == 0:
            params.append((name, "true"))
            text += f",{name}"
        else:
            value, written = draw(written_values())
            params.append((name, value))
            text += f",{name}={written}"
    return params, text


@st.composite
def connection_strings(draw: st.DrawFn) -> tuple[str, list[tuple[str, str]], str, str]:
    remote = draw(REMOTES)
    params, written = draw(parameters())
    path = draw(VALUES)
    return remote, params, path, f"{remote}{written}:{path}"


@given(connection_strings())
@settings(max_examples=300, deadline=None)
def test_connection_strings_are_read_as_rclone_documents_them(
    case: tuple[str, list[tuple[str, str]], str, str],
) -> None:
    remote, params, path, text = case
    parsed = parse_target(text)
    assert parsed.error is None
    assert parsed.remote == remote
    assert [(p.name, p.value) for p in parsed.parameters] == params
    assert parsed.path == path
    for p in parsed.parameters:
        if p.end > p.start:
            written = text[p.start : p.end]
            assert written == p.value or written[0] in "'\""


SECRET_NAMES = st.sampled_from(
    [
        "pass",
        "password",
        "secret_access_key",
        "access_key_id",
        "client_secret",
        "bearer_token",
        "sas_url",
        "service_account_credentials",
        "token",
        "key",
        "session_token",
        "api_key",
        "connection_string",
    ]
)


@st.composite
def targets_with_a_secret(draw: st.DrawFn) -> tuple[str, str]:
    """(target, secret): a credential among other parameters, written as a user might,
    quoted or not, before or after an unquoted URL that ends rclone's parameters early."""
    tail = st.text(st.characters(codec="ascii", exclude_categories=["Cc"]), min_size=3)
    secret = "S3cr" + draw(tail.filter(lambda t: "S3cr" not in t))
    written = secret
    if any(c in secret for c in ":,") or draw(st.booleans()):
        quote = draw(st.sampled_from("'\""))
        written = quote + secret.replace(quote, quote * 2) + quote
    url = draw(st.sampled_from(["url=https://dav.example/x", "url='https://dav.example/x'"]))
    pieces = [url, f"{draw(SECRET_NAMES)}={written}"]
    if draw(st.booleans()):
        pieces.reverse()
    remote = draw(st.sampled_from([":webdav", "mydav"]))
    _, others = draw(parameters())
    return f"{remote}{others},{','.join(pieces)}:site", secret


def _forms(secret: str) -> list[str]:
    from urllib.parse import quote, quote_plus

    return [secret, quote(secret, safe=""), quote(secret, safe="/"), quote_plus(secret)]


@given(targets_with_a_secret())
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_credential_never_shows_whatever_the_quoting(case: tuple[str, str]) -> None:
    target, secret = case
    shown = redacted_target(target)
    assert secret not in shown
    assert secret_parameters(target), target
    # rclone's messages echo the remote as written and, in URLs, percent-encoded
    parsed = parse_target(target)
    echoed = (
        f'Failed to create file system for "{target}": Propfind '
        f'"{quote_path(parsed.path)}": 401 Unauthorized'
    )
    message = redact(echoed.replace(target, shown), secrets_in(target, {}))
    for form in _forms(secret):
        assert form not in message, (target, message)


def quote_path(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/")


# ------------------------------------------------------------------ checked against rclone


@pytest.fixture(scope="module")
def dav(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, dict[str, str]]]:
    tmp = tmp_path_factory.mktemp("dav")
    with rclone_server("webdav", tmp / "root", tmp / "home") as server:
        yield server, client_env(tmp / "client")


def rclone_reads(target: str, env: dict[str, str]) -> tuple[str, str]:
    """(user:password, path) rclone sends to a WebDAV server for `target`: what it parsed."""
    result = subprocess.run(
        [str(executable()), "lsf", target, "--dump", "auth", "--retries", "1"],
        capture_output=True,
        text=True,
        env={k: v for k, v in env.items() if not k.startswith("RCLONE_WEBDAV")},
        timeout=60,
    )
    auth = re.search(r"Authorization: Basic (\S+)", result.stderr)
    path = re.search(r"PROPFIND (\S+) HTTP", result.stderr)
    assert auth and path, result.stderr
    return base64.b64decode(auth.group(1)).decode(), path.group(1)


USERS = st.text(
    st.characters(codec="ascii", categories=("L", "N", "P", "S", "Zs")), min_size=1, max_size=12
)


@given(
    user=USERS, path=st.from_regex(r"[a-z0-9,:]{1,8}", fullmatch=True), quote=st.sampled_from("'\"")
)
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_the_reading_agrees_with_the_rclone_binary(
    dav: tuple[Server, dict[str, str]], user: str, path: str, quote: str
) -> None:
    server, env = dav
    password = obscure("wrong-password", env)
    written = quote + user.replace(quote, quote * 2) + quote
    target = f":webdav,url='{server.url}',user={written},pass={password}:{path}"
    parsed = parse_target(target)
    values = {p.name: p.value for p in parsed.parameters}
    sent_auth, sent_path = rclone_reads(target, env)
    assert sent_auth == f"{values['user']}:wrong-password"
    assert sent_path == "/" + quote_path(parsed.path).replace(",", "%2C").replace(":", "%3A")


def test_an_unquoted_url_ends_the_parameters_for_rclone_too(
    dav: tuple[Server, dict[str, str]],
) -> None:
    server, env = dav
    target = f":webdav,url={server.url},user={SFTP_USER}:site"
    parsed = parse_target(target)
    assert [(p.name, p.value) for p in parsed.parameters] == [("url", "http")]
    assert parsed.path == f"//127.0.0.1:{server.port},user={SFTP_USER}:site"
    result = subprocess.run(
        [str(executable()), "lsf", target], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode != 0
    assert 'Propfind "http/127.0.0.1%3A' in result.stderr  # rclone read url=http too


def test_every_credential_option_rclone_knows_is_a_secret() -> None:
    """From rclone's own table of options: those it obscures, and those of its sensitive
    ones that are credentials rather than names; paths to key files are not secrets."""
    providers = json.loads(
        subprocess.run(
            [str(executable()), "config", "providers"], capture_output=True, check=True
        ).stdout
    )
    options = {o["Name"]: o for backend in providers for o in backend["Options"]}
    credential = re.compile(
        r"pass|secret|token|key|credential|sas_url|cookie|mnemonic|grant|connection_string"
    )
    must = {
        name
        for name, o in options.items()
        if o.get("IsPassword") or (o.get("Sensitive") and credential.search(name))
    }
    assert {
        "pass",
        "client_secret",
        "bearer_token",
        "sas_url",
        "service_account_credentials",
    } <= must
    assert sorted(n for n in must if not is_secret_name(n)) == []
    paths = [n for n in options if n.endswith("_file")]
    assert "key_file" in paths and "service_account_file" in paths
    assert sorted(n for n in paths if is_secret_name(n)) == []


# ------------------------------------------------------------------ podcast.toml


def _settings_error(tmp_path: Path, target: str) -> str:
    root = make_project(tmp_path / "p", [])
    with (root / "podcast.toml").open("a", encoding="utf-8") as handle:
        handle.write(f"\n[publish]\ntarget = {json.dumps(target)}\n")
    with pytest.raises(SettingsError) as caught:
        load_settings(root)
    return str(caught.value)


@pytest.mark.parametrize(
    ("target", "names", "where"),
    [
        (
            ":webdav,url=https://dav.example,user=me,pass=hunter22:site",
            "(pass)",
            "RCLONE_WEBDAV_PASS",
        ),
        (
            ":azureblob,sas_url='https://a.blob.example/c?sv=1&sig=hunter22':c",
            "(sas_url)",
            "RCLONE_AZUREBLOB_SAS_URL",
        ),
        (
            "gdrive,client_secret=hunter22:podcast",
            "(client_secret)",
            "RCLONE_CONFIG_GDRIVE_CLIENT_SECRET",
        ),
        (
            ":webdav,url='https://dav.example',bearer_token=hunter22:site",
            "(bearer_token)",
            "RCLONE_WEBDAV_BEARER_TOKEN",
        ),
        (
            ':drive,service_account_credentials=\'{"k": "hunter22"}\':x',
            "(service_account_credentials)",
            "RCLONE_DRIVE_SERVICE_ACCOUNT_CREDENTIALS",
        ),
        (
            ":webdav,url='https://dav.example',headers='Authorization,Basic hunter22':x",
            "(headers)",
            "RCLONE_WEBDAV_HEADERS",
        ),
        (
            'my-r2,secret_access_key="hunter22":b',
            "(secret_access_key)",
            "RCLONE_CONFIG_MY_R2_SECRET_ACCESS_KEY",
        ),
    ],
)
def test_credentials_in_podcast_toml_are_refused_naming_the_key(
    tmp_path: Path, target: str, names: str, where: str
) -> None:
    message = _settings_error(tmp_path, target)
    assert f"`publish.target` holds credentials {names}" in message
    assert where in message and "rclone's config" in message
    assert "hunter22" not in message


def test_an_unquoted_url_in_podcast_toml_is_refused_with_the_fix(tmp_path: Path) -> None:
    message = _settings_error(tmp_path, ":webdav,url=https://dav.example/x,vendor=other:site")
    assert "rclone reads `url=https`" in message and "quote it: url='https://…'" in message
    message = _settings_error(tmp_path, ":webdav,url='https://dav.example:site")
    assert "unterminated quoted config value" in message


TOKENS = st.sampled_from([":", ",", "=", "'", '"', "''", "pass", "token", "url", "https://", "a"])


@given(st.lists(TOKENS, max_size=25).map("".join).map(lambda t: ":webdav," + t))
@settings(max_examples=300, deadline=None)
def test_a_redacted_target_reads_the_same_with_each_credential_hidden(target: str) -> None:
    parsed = parse_target(target)
    shown = parse_target(redacted_target(target))
    if parsed.error is None:
        # the path is shown as any message is: what looks like `pass=…` there is hidden too
        assert shown.error is None and shown.path == redact(parsed.path, ())
        assert [p.name for p in shown.parameters] == [p.name for p in parsed.parameters]
        for before, after in zip(parsed.parameters, shown.parameters, strict=True):
            hidden = before.end > before.start and is_secret_name(before.name)
            assert after.value == ("***" if hidden else before.value)
