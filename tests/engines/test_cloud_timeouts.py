"""Azure and Google Cloud when they answer too slowly: each against its real local fake
(`tests.azure_server`, `tests.google_cloud_server`), which holds a request 5 s while the
engine waits `timeout = 0.2`. The fakes release their held requests when they stop, so no
server thread outlives a test.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from nashra.core.errors import EngineError
from nashra.core.model import Script, Utterance
from nashra.engines import create_engine
from nashra.engines.base import Engine
from tests import azure_server, google_cloud_server
from tests.azure_server import FakeAzure
from tests.google_cloud_server import FakeGoogle
from tests.gtts_mock import tiny_mp3
from tests.support import CORPUS, make_project, set_key
from tests.test_cli import run

SLOW = 5.0
"""How long the fake holds a slow request: far past any timeout here, on any machine."""
TIMEOUT = 0.2
FAST = {"backoff": 0.001, "request_rate": 1000.0}
ARTICLES = [CORPUS / "saudinewsnet" / "04-alweeam.txt"]
LATER = CORPUS / "saudinewsnet" / "03-sabq.txt"


@dataclass
class Service:
    engine: str
    label: str
    fake: FakeAzure | FakeGoogle
    keys: tuple[str, ...]
    """Secrets of the service that must never be shown."""


@pytest.fixture(params=["azure", "google-cloud"])
def service(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Service]:
    if request.param == "azure":
        with azure_server.serving(monkeypatch) as azure:
            yield Service("azure", "Azure", azure, (azure_server.KEY,))
    else:
        with google_cloud_server.serving(monkeypatch) as google:
            yield Service("google-cloud", "Google Cloud", google, (google_cloud_server.KEY,))


def _engine(service: Service, **options: object) -> Engine:
    engine = create_engine(service.engine, None)
    return create_engine(service.engine, type(engine.options)(**{**FAST, **options}))


def _request(engine: Engine) -> str:
    script = Script(utterances=(Utterance("مرحبا بكم", "", 350, 0),), chapters=("عنوان",))
    [request] = engine.plan(script).utterances
    return request.speech


def test_a_timeout_passes_and_the_next_try_is_answered(service: Service) -> None:
    # The answered try must not itself be timed out on a loaded machine: a generous timeout.
    engine = _engine(service, timeout=1.0, retries=3)
    service.fake.delays.append(SLOW)
    assert engine.synthesizer()(_request(engine)).data == tiny_mp3()
    assert len(service.fake.posts) == 2


def test_timeouts_are_retried_then_given_up_with_one_message(service: Service) -> None:
    engine = _engine(service, timeout=TIMEOUT, retries=3, breaker=10)
    service.fake.delays.extend([SLOW] * 3)
    with pytest.raises(EngineError) as info:
        engine.synthesizer()(_request(engine))
    message = str(info.value)
    assert len(service.fake.posts) == 3
    assert message.startswith(f"{service.label} (")
    assert f"did not answer within {TIMEOUT:g} s" in message
    assert f"[speech.{service.engine}]" in message and "gave up after 3 tries" in message
    assert message.count("did not answer") == 1
    assert not any(key in message for key in service.keys)


def _everything(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@contextlib.contextmanager
def _published_then_slow(service: Service, project: Path) -> Iterator[dict[str, bytes]]:
    """A first build answered at once; then a new article, and the service too slow."""
    code, _, err = run("build", "-p", str(project))
    assert code == 0, err
    published = _everything(project / "output")
    toml = project / "podcast.toml"
    text = toml.read_text(encoding="utf-8")
    for key, value in (("timeout", TIMEOUT), ("retries", 2), ("breaker", 2)):
        text = set_key(text, f"speech.{service.engine}", key, value)
    toml.write_text(text, encoding="utf-8")
    (project / "articles" / LATER.name).write_bytes(LATER.read_bytes())
    service.fake.requests.clear()
    service.fake.delays.extend([SLOW] * 50)
    yield published


def test_a_build_against_a_slow_service_fails_its_episodes_and_keeps_the_published(
    service: Service, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    project = make_project(
        tmp_path / "p", ARTICLES, engine=service.engine, options={service.engine: FAST}
    )
    with _published_then_slow(service, project) as published:
        code, out, err = run("build", "-p", str(project))
    assert code == 1, out + err
    # The article is named, with the service and its timeout (the breaker's cause).
    [failed] = [line for line in err.splitlines() if line.startswith("error:")]
    assert "03-sabq.txt" in failed and f"{service.label} could not voice" in failed
    assert f"did not answer within {TIMEOUT:g} s" in failed
    assert "Error: 1 article(s) failed; the others were published" in err
    # Nothing published is lost or changed; the new episode is not half there.
    assert _everything(project / "output") == published
    # The breaker (2) stopped the calls: the requests in flight (2) and their retries.
    assert 1 <= len(service.fake.posts) <= 4
    assert not any(key in out + err + caplog.text for key in service.keys)


def test_a_build_against_a_slow_service_falls_back(service: Service, tmp_path: Path) -> None:
    project = make_project(
        tmp_path / "p",
        ARTICLES,
        engine=service.engine,
        fallback="fake",
        options={service.engine: FAST},
    )
    with _published_then_slow(service, project) as published:
        code, out, err = run("build", "-p", str(project))
    assert code == 0, out + err
    assert (
        f"note: {service.label} failed for 1 episode(s) (03-sabq); voiced them with the fake "
        "engine" in err
    )
    now = _everything(project / "output")
    assert {k: v for k, v in now.items() if k in published and "04-alweeam" in k} == {
        k: v for k, v in published.items() if "04-alweeam" in k
    }
    assert "episodes/03-sabq.mp3" in now
