"""What proves a request to Google Cloud: an API key, or an access token of Application
Default Credentials through google-auth (the one adapter for it; `nashra[google-cloud]`).

Both come from the environment alone, never podcast.toml: `GOOGLE_CLOUD_API_KEY` (sent in
the `X-Goog-Api-Key` header, never in the URL, so it cannot land in a log), or
`GOOGLE_APPLICATION_CREDENTIALS` naming a credentials file (a service account's JSON key)
whose access token is sent as `Authorization: Bearer`. No message, log line or exception
here ever holds the key, the token or the file's private key.
"""

from __future__ import annotations

import json
import os
import re
import threading
from typing import Any

from nashra.core.errors import EngineError, EngineUnavailable

KEY_ENV = "GOOGLE_CLOUD_API_KEY"
ADC_ENV = "GOOGLE_APPLICATION_CREDENTIALS"
SCOPE = "https://www.googleapis.com/auth/cloud-platform"
_KEY_RE = re.compile(r"[\x21-\x7e]{8,200}")
"""What a key may be: printable ASCII without spaces, which a header can carry as it is."""

_lock = threading.Lock()
_loaded: dict[str, Any] = {}
"""The credentials loaded from each file, kept so that a token is asked for once an hour,
not once a request (refreshed by google-auth when it expires)."""


class CredentialsError(EngineError):
    """No access token for the credentials file: `refused` when the token endpoint said no
    (a wrong or revoked key), else passing (no answer)."""

    def __init__(self, message: str, refused: bool) -> None:
        super().__init__(message)
        self.status = 401 if refused else None
        self.refused = refused
        self.transient = not refused
        self.retry_after: float | None = None


def missing() -> EngineUnavailable:
    return EngineUnavailable(
        f"no Google Cloud credentials: set the environment variable {KEY_ENV} to an API key, "
        f"or {ADC_ENV} to a service account's JSON key file (never write either in "
        "podcast.toml)"
    )


def kind() -> str:
    """Which credentials the environment holds: "key" or "adc"; `EngineUnavailable` naming
    both variables when it holds none, or a key that could not be one (never shown)."""
    key = os.environ.get(KEY_ENV, "").strip()
    if key:
        if not _KEY_RE.fullmatch(key):
            raise EngineUnavailable(
                f"{KEY_ENV} does not hold a key: it has spaces, line breaks or other "
                "characters no key has (it is not shown here)"
            )
        return "key"
    path = os.environ.get(ADC_ENV, "").strip()
    if not path:
        raise missing()
    if not os.path.isfile(path):
        raise EngineUnavailable(f"{ADC_ENV} names no file: {path}")
    return "adc"


def headers() -> dict[str, str]:
    """The headers that prove a request: the key, or a fresh access token."""
    if kind() == "key":
        return {"X-Goog-Api-Key": os.environ[KEY_ENV].strip()}
    return _token_headers(os.environ[ADC_ENV].strip())


def secrets() -> list[str]:
    """What must never be shown, for scrubbing an answer before it is quoted."""
    found = [os.environ.get(KEY_ENV, "").strip()]
    found += [str(getattr(c, "token", "") or "") for c in _loaded.values()]
    return [s for s in found if s]


def _token_headers(path: str) -> dict[str, str]:
    try:
        import google.auth.exceptions
        import google.auth.transport.requests
        import google.oauth2.credentials
        import google.oauth2.service_account
    except ImportError:
        raise EngineUnavailable(
            f"{ADC_ENV} needs the google-auth library: pip install 'nashra[google-cloud]' "
            f"(or set {KEY_ENV} to an API key instead)"
        ) from None
    with _lock:
        try:
            credentials = _loaded.get(path)
            if credentials is None:
                declared = _file_kind(path)
                # google-auth's loaders are partly untyped: called through `Any`.
                loaders: dict[str, Any] = {
                    "service_account": google.oauth2.service_account.Credentials,
                    # `gcloud auth application-default login`
                    "authorized_user": google.oauth2.credentials.Credentials,
                }
                if declared == "service_account":
                    load = loaders[declared].from_service_account_file
                elif declared == "authorized_user":
                    load = loaders[declared].from_authorized_user_file
                else:
                    raise EngineUnavailable(
                        f"{ADC_ENV} ({path}) must name a service account's JSON key file "
                        f"(or gcloud's application default credentials), not {declared!r} ones"
                    )
                credentials = load(path, scopes=[SCOPE])
                _loaded[path] = credentials
            if not credentials.valid:
                credentials.refresh(google.auth.transport.requests.Request())
        except (ValueError, google.auth.exceptions.DefaultCredentialsError) as exc:
            raise EngineUnavailable(
                f"{ADC_ENV} ({path}) is not a credentials file google-auth can use "
                f"({_first_line(exc)})"
            ) from None
        except google.auth.exceptions.RefreshError as exc:
            passing = bool(getattr(exc, "retryable", False))
            raise CredentialsError(
                f"Google refused an access token for the credentials in {ADC_ENV} "
                f"({_first_line(exc)}); is the service account's key still valid?",
                refused=not passing,
            ) from None
        except google.auth.exceptions.TransportError as exc:
            raise CredentialsError(
                f"could not reach Google's token service for the credentials in {ADC_ENV} "
                f"({type(exc).__name__}); are you offline?",
                refused=False,
            ) from None
        found = {"Authorization": f"Bearer {credentials.token}"}
        project = getattr(credentials, "quota_project_id", None)
        if project:
            found["X-Goog-User-Project"] = str(project)
        return found


def _file_kind(path: str) -> str:
    """The `type` a credentials file says it holds; `EngineUnavailable` when it is no JSON."""
    try:
        with open(path, encoding="utf-8") as file:
            info = json.load(file)
    except (OSError, ValueError):
        raise EngineUnavailable(f"{ADC_ENV} ({path}) is not a JSON credentials file") from None
    return str(info.get("type", "")) if isinstance(info, dict) else ""


def _first_line(exc: Exception) -> str:
    text = str(exc.args[0] if exc.args else exc)
    return text.splitlines()[0][:200] if text else type(exc).__name__


def forget() -> None:
    """Drop the loaded credentials (tests, and a changed file)."""
    with _lock:
        _loaded.clear()
