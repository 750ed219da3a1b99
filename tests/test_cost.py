"""What a build with a paid engine will send, said before it sends anything, and
`--max-characters`, which refuses a build that would send more (issue 27).

Azure is faked by a real local server (`tests.azure_server`); the figures the build
announces are checked against what that server received, counted as Azure bills them:
the characters inside `<voice>`, the voice and speak elements themselves not counted.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from nashra.config.settings import load_settings
from nashra.core.errors import EngineError, SettingsError
from nashra.core.model import Clip, Script, Utterance
from nashra.engines import create_engine, engine_names, register, unregister
from nashra.engines.azure.engine import AzureEngine, AzureOptions
from nashra.engines.base import Engine
from nashra.stages.cost import Budget, sending
from tests.azure_server import FakeAzure, Seen, serving
from tests.fake_engine import FakeEngine
from tests.support import CORPUS, make_project, set_key
from tests.test_cli import run

ARTICLES = [CORPUS / "saudinewsnet" / "04-alweeam.txt", CORPUS / "saudinewsnet" / "03-sabq.txt"]
COST = re.compile(r"cost: (\S+) will be sent (\d+) requests?, (\d+) characters")


@pytest.fixture
def azure(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAzure]:
    with serving(monkeypatch) as fake:
        yield fake


def _project(root: Path, engine: str = "azure", **azure: object) -> Path:
    options = {"backoff": 0.001, "request_rate": 1000.0, **azure}
    return make_project(root, ARTICLES, engine=engine, options={"azure": options})


def billed_at_the_server(seen: Seen) -> int:
    """What Azure bills for one request it received: every character inside `<voice>`
    as sent (text and the markup that adjusts it), not the speak and voice elements."""
    body = seen.body.decode("utf-8")
    inside = re.search(r"<voice [^>]*>(.*)</voice>", body, re.S)
    assert inside is not None, body
    return len(inside.group(1))


def _announced(err: str) -> tuple[str, int, int]:
    found = COST.search(err)
    assert found is not None, err
    return found.group(1), int(found.group(2)), int(found.group(3))


# The contract every engine has


def test_free_engines_are_not_paid_and_bill_a_requests_length() -> None:
    for name in engine_names():
        if name in ("azure", "google-cloud"):  # the paid ones, tested on their own
            continue
        try:
            engine: Engine = create_engine(name, None)
        except Exception:  # an engine that cannot be built here says nothing of money
            continue
        assert not engine.paid, name
        assert engine.price_per_million() is None
        assert engine.billed_characters("نشرة الأخبار") == len("نشرة الأخبار")


def test_azure_is_paid_and_bills_what_is_inside_the_voice(azure: FakeAzure) -> None:
    assert AzureEngine.paid
    engine = create_engine("azure", AzureOptions(style="newscast", rate=1.2))
    script = Script(
        utterances=(Utterance("قال زيد & عمرو", "", 350, 0), Utterance("ثم ذهب", "", 800, 0)),
        chapters=("عنوان",),
    )
    [request] = engine.plan(script).utterances
    engine.synthesize(request.speech)
    [seen] = azure.posts
    assert engine.billed_characters(request.speech) == billed_at_the_server(seen)
    # The break between the sentences and the style and rate are markup Azure bills.
    assert engine.billed_characters(request.speech) > len("قال زيد & عمرو ثم ذهب")


def test_price_per_million_is_read_from_speech_azure(tmp_path: Path) -> None:
    settings = load_settings(_project(tmp_path / "p", price_per_million=16))
    engine = create_engine("azure", settings.speech.options_for("azure"))
    assert engine.price_per_million() == 16.0
    unset = load_settings(_project(tmp_path / "q"))
    assert create_engine("azure", unset.speech.options_for("azure")).price_per_million() is None


@pytest.mark.parametrize("value", [0, -3, "16"])
def test_a_price_that_is_not_a_positive_number_is_refused_naming_the_key(
    tmp_path: Path, value: object
) -> None:
    with pytest.raises(SettingsError, match=r"price_per_million"):
        load_settings(_project(tmp_path / "p", price_per_million=value))


# The counting, plain data in and out


def test_sending_counts_the_billed_characters_and_the_cost() -> None:
    sent = sending("azure", "Azure", ["ab", "cde"], lambda text: 10 * len(text), 16.0)
    assert (sent.requests, sent.characters) == (2, 50)
    assert sent.cost == pytest.approx(50 * 16.0 / 1e6)
    assert "at 16 per million characters" in sent.line()
    unpriced = sending("azure", "Azure", ["ab"], len, None)
    assert unpriced.cost is None and "price_per_million" in unpriced.line()


def test_a_budget_keeps_what_the_first_engine_needs_from_a_fallback() -> None:
    budget = Budget(limit=100, engine="azure", reserved=80)
    assert not budget.allows("google-cloud", 30)  # 80 kept for azure's later batches
    assert budget.allows("google-cloud", 20)
    budget.charge("azure", 50)
    assert (budget.sent, budget.reserved) == (50, 30)
    assert budget.allows("azure", 30) and not budget.allows("azure", 51)


# Builds


def test_a_build_says_what_it_will_send_and_the_server_received_exactly_that(
    azure: FakeAzure, tmp_path: Path
) -> None:
    project = _project(tmp_path / "p", price_per_million=16)
    code, _, err = run("build", "-p", str(project))
    assert code == 0, err
    label, requests, characters = _announced(err)
    assert label == "Azure"
    assert requests == len(azure.posts) > 1
    assert characters == sum(billed_at_the_server(p) for p in azure.posts)
    priced = re.search(r": ([\d.,]+) at 16 per million characters", err)
    assert priced is not None, err
    assert float(priced.group(1)) == pytest.approx(characters * 16 / 1e6, abs=0.005)

    # Everything is in the clip cache: nothing sent, and nothing said about cost.
    azure.requests.clear()
    code, out, err = run("build", "-p", str(project))
    assert code == 0, err
    assert "cost:" not in out + err
    assert azure.posts == []


def test_without_a_price_the_line_says_how_to_set_one(azure: FakeAzure, tmp_path: Path) -> None:
    code, _, err = run("build", "-p", str(_project(tmp_path / "p")))
    assert code == 0, err
    _announced(err)
    assert "[speech.azure] price_per_million" in err and "per million characters" not in err


def test_max_characters_below_the_figure_refuses_before_any_request(
    azure: FakeAzure, tmp_path: Path
) -> None:
    project = _project(tmp_path / "p")
    code, _, err = run("build", "-p", str(project))
    needed = _announced(err)[2]
    # The same figure on a fresh project, with a limit one below it.
    fresh = _project(tmp_path / "q")
    azure.requests.clear()
    code, out, err = run("build", "--max-characters", str(needed - 1), "-p", str(fresh))
    assert code == 2, out + err
    assert f"{needed}" in err and f"--max-characters {needed - 1}" in err
    assert azure.requests == []
    assert not (fresh / "output" / "feed.xml").exists()


def test_max_characters_at_or_above_the_figure_builds(azure: FakeAzure, tmp_path: Path) -> None:
    project = _project(tmp_path / "p")
    code, out, err = run("plan", "--json", "-p", str(project))
    assert code == 0, err
    planned = sum(a["characters_to_send"]["azure"] for a in json.loads(out)["articles"])
    code, _, err = run("build", "--max-characters", str(planned), "-p", str(project))
    assert code == 0, err
    assert _announced(err)[2] == planned
    assert sum(billed_at_the_server(p) for p in azure.posts) == planned


def test_plan_shows_the_characters_a_paid_engine_would_be_sent(
    azure: FakeAzure, tmp_path: Path
) -> None:
    project = _project(tmp_path / "p", price_per_million=16)
    code, out, err = run("plan", "-p", str(project))
    assert code == 0, err
    assert re.search(r"\d+ characters to send to Azure", out), out
    assert "cost: Azure will be sent" in out and "at 16 per million characters" in out
    run("build", "-p", str(project))
    code, out, _ = run("plan", "--json", "-p", str(project))
    # Every paid engine is counted: Azure was built with, Google Cloud never was.
    sending = [a["characters_to_send"] for a in json.loads(out)["articles"]]
    assert [s["azure"] for s in sending] == [0, 0]
    assert all(s["google-cloud"] > 0 for s in sending)


def test_free_engines_print_no_cost_line(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", ARTICLES, engine="fake")
    code, out, err = run("build", "--max-characters", "1", "-p", str(project))
    assert code == 0, err
    assert "cost:" not in out + err
    # The plan shows what each paid engine would be sent, as it shows every engine's
    # requests, but the cost line only for the engine the project builds with.
    code, out, _ = run("plan", "-p", str(project))
    assert code == 0 and "cost:" not in out and "characters to send" not in out


def test_a_paid_fallback_never_sends_past_the_limit(azure: FakeAzure, tmp_path: Path) -> None:
    # The fake engine refuses every text with the article: its episodes fall back to Azure.
    project = make_project(
        tmp_path / "p",
        ARTICLES,
        engine="fake",
        fallback="azure",
        options={"fake": {"fail_on": "ال"}, "azure": {"backoff": 0.001, "request_rate": 1000.0}},
    )
    code, out, err = run("build", "--max-characters", "10", "-p", str(project))
    assert code == 1, out + err
    assert azure.posts == []
    assert "--max-characters 10" in err


def test_build_max_characters_in_podcast_toml_is_the_default_limit(
    azure: FakeAzure, tmp_path: Path
) -> None:
    project = _project(tmp_path / "p")
    toml = project / "podcast.toml"
    toml.write_text(set_key(toml.read_text(encoding="utf-8"), "build", "max_characters", 10))
    code, out, err = run("build", "-p", str(project))
    assert code == 2, out + err
    assert "[build] max_characters 10" in err and azure.posts == []
    # The command line's limit is the one that counts.
    code, _, err = run("build", "--max-characters", "1000000", "-p", str(project))
    assert code == 0, err
    assert azure.posts


@pytest.mark.parametrize("value", [-1, 1.5, "many", True])
def test_a_bad_build_max_characters_is_refused_naming_the_key(
    tmp_path: Path, value: object
) -> None:
    project = _project(tmp_path / "p")
    toml = project / "podcast.toml"
    toml.write_text(set_key(toml.read_text(encoding="utf-8"), "build", "max_characters", value))
    with pytest.raises(SettingsError, match=r"build\.max_characters` must be a whole number"):
        load_settings(project)


def test_a_bulletins_framing_is_never_sent_past_the_limit(
    azure: FakeAzure, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.bulletins.test_bulletin_build import dated_copies, enable

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1740859200")  # 1 March 2025, 20:00 UTC
    project = make_project(
        tmp_path / "p",
        dated_copies(tmp_path / "src"),
        engine="azure",
        options={"azure": {"backoff": 0.001, "request_rate": 1000.0}},
    )
    enable(project, enabled=True, timezone="Asia/Riyadh", hijri=False)
    code, out, err = run("plan", "--json", "-p", str(project))
    assert code == 0, err
    articles = sum(a["characters_to_send"]["azure"] for a in json.loads(out)["articles"])
    # Enough for the articles, not for the bulletin's opening and outro.
    code, out, err = run(
        "bulletin", "2025-03-01", "--max-characters", str(articles), "-p", str(project)
    )
    assert code == 1, out + err
    assert _announced(err)[2] == articles
    assert "bulletin 2025-03-01" in err and f"--max-characters {articles}" in err
    assert sum(billed_at_the_server(p) for p in azure.posts) == articles
    azure.requests.clear()
    code, out, err = run("bulletin", "2025-03-01", "-p", str(project))
    assert code == 0, out + err
    assert "cost:" not in err  # the articles are in the clip cache: only the framing
    assert azure.posts and "bulletins/bulletin-2025-03-01.mp3" in out


def test_a_refused_build_leaves_what_was_published_as_it_was(
    azure: FakeAzure, tmp_path: Path
) -> None:
    project = _project(tmp_path / "p")
    code, _, err = run("build", "-p", str(project))
    assert code == 0, err
    feed = (project / "output" / "feed.xml").read_bytes()
    published = sorted(p.name for p in (project / "output").rglob("*") if p.is_file())
    shutil.copy(CORPUS / "saudinewsnet" / "05-alriyadh.txt", project / "articles")
    (project / "articles" / ARTICLES[0].name).unlink()  # one episode would go, too
    azure.requests.clear()
    code, out, err = run("build", "--max-characters", "1", "-p", str(project))
    assert code == 2, out + err
    assert azure.requests == []
    assert (project / "output" / "feed.xml").read_bytes() == feed
    assert sorted(p.name for p in (project / "output").rglob("*") if p.is_file()) == published
    # The next build without the limit sees the same work to do.
    code, out, err = run("build", "-p", str(project))
    assert code == 0, err
    assert "built 1" in out and "removed 1" in out


class _Unreachable(FakeEngine):
    """A network engine `auto` tries first, which never answers."""

    name: ClassVar[str] = "unreachable"
    needs_network: ClassVar[bool] = True
    auto_priority: ClassVar[int | None] = 1000

    def synthesize(self, text: str) -> Clip:
        raise EngineError("no answer")


class _Metered(FakeEngine):
    """A paid network engine `auto` tries next, counting what it is sent."""

    name: ClassVar[str] = "metered"
    needs_network: ClassVar[bool] = True
    paid: ClassVar[bool] = True
    auto_priority: ClassVar[int | None] = 999
    sent: ClassVar[list[str]] = []

    def synthesize(self, text: str) -> Clip:
        _Metered.sent.append(text)
        return super().synthesize(text)


def test_auto_never_tries_a_paid_engine_past_the_limit(tmp_path: Path) -> None:
    register(_Unreachable)
    register(_Metered)
    try:
        project = make_project(tmp_path / "p", ARTICLES, engine="auto")
        # `auto` expects the first engine; when it does not answer, the paid one is next.
        code, out, err = run("build", "--max-characters", "10", "-p", str(project))
        assert code == 1, out + err
        assert _Metered.sent == []
        assert "--max-characters 10" in err
        code, out, err = run("build", "-p", str(project))
        assert code == 0, out + err
        assert _Metered.sent
    finally:
        unregister("metered")
        unregister("unreachable")
