"""benchmarks/arabic.py's report: every Arabic figure, each measured by the module that owns
it (connected speech, chunk ends, numbers, respelling classes, the hand-checked samples), and
a target missed by any of them fails `--check`."""

from __future__ import annotations

import csv
import dataclasses
import importlib
import json
import re
import sys
import zipfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.support import REPO

# A vowel-final word before the article (فِي الْمَدِينَةِ: fil-madiːnati), a sun letter
# after it (الطَّرِيق), a number, and a second sentence after a full stop.
ARTICLE = (
    "الطريق إلى المطار\n\n"
    "وصل الوزير إلى المدينة في الصباح وقال إن الطريق إلى المطار مغلق منذ 3 أيام. "
    "وأضاف أن العمل على الطريق يستمر حتى نهاية الشهر. وقالوا إن السائقين لم يتأخروا."
)


@pytest.fixture(scope="module")
def arabic() -> ModuleType:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        return importlib.import_module("arabic")
    finally:
        sys.path.remove(str(REPO / "benchmarks"))


@pytest.fixture(scope="module")
def built(arabic: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("articles") / "road.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return arabic.build([path])


def missed(verdicts: list[Any]) -> set[str]:
    return {v.figure for v in verdicts if not v.met}


def test_the_report_holds_the_figure_of_every_owner_and_nashra_meets_them(
    arabic: ModuleType, built: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    found = arabic.report("road", built, [])
    figures = [v.figure for v in found]
    for owned in (
        "road: pause positions in pause form",  # arabic.py
        "road: article words after a vowel said with ʔ",  # connected_speech.py
        "road: chunk ends inside a phrase",  # chunk_ends.py
        "road: digit strings left for the engine",  # number_reading.py
        "road: words misread by class",  # respellings.py
    ):
        assert any(figure.startswith(owned) for figure in figures), owned
    assert missed(found) == set()
    assert arabic.exit_status(found, check=True, quick=True) == 0
    shown = capsys.readouterr().out
    junctions = re.search(r"article words after a vowel-final word: (\d+)", shown)
    assert junctions is not None and int(junctions[1]) >= 6  # إِلَى الْمَدِينَةِ, فِي الصَّبَاحِ, ...
    assert re.search(r"sun letter after the article: 0 of [1-9]", shown)


def test_espeak_given_the_vowelled_text_without_its_respelling_misses_the_targets(
    arabic: ModuleType, built: Any
) -> None:
    """What espeak-ng was given before connected speech: the diacritizer's text as it is.
    It says ʔ after فِي and the plural's silent alif (وَقَالُوا: waqaːluːaː), and the check
    fails."""
    plain = dataclasses.replace(built, given=built.vowelled)
    found = arabic.report("road", plain, [])
    assert {
        "road: article words after a vowel said with ʔ",
        "road: words misread by class",
    } <= missed(found)
    assert arabic.exit_status(found, check=True, quick=True) == 1


def _sample(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, delimiter="\t", lineterminator="\n")
        out.writerow(["word", "given", "ipa", "judgement", "note", "chunk"])
        out.writerows(rows)


def test_a_sample_over_its_target_or_read_differently_since_judged_is_a_missed_target(
    arabic: ModuleType, built: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = arabic.sample_rows(built.scripts, built.given, 10, 5)
    judged = [[*row[:3], "ok", "", row[5]] for row in rows]
    sample = tmp_path / "sample.tsv"
    monkeypatch.setitem(arabic.SAMPLES, "road", ((sample, 10),))
    _sample(sample, judged)
    assert missed(arabic.sample_figures("road", built)) == set()

    judged[0][3] = "error"  # 1 of 10 is within 10 words of 100, not within 6
    _sample(sample, judged)
    assert missed(arabic.sample_figures("road", built)) == set()
    monkeypatch.setitem(arabic.SAMPLES, "road", ((sample, 6),))
    assert missed(arabic.sample_figures("road", built)) == {
        "road: hand-checked sample sample.tsv, words with an audible error"
    }

    judged[0][3] = "ok"
    judged[1][2] = "ʔ_" + judged[1][2]  # judged when espeak-ng said it otherwise
    _sample(sample, judged)
    assert missed(arabic.sample_figures("road", built)) == {
        "road: hand-checked sample sample.tsv, rows read differently from when judged"
    }

    sample.unlink()
    assert missed(arabic.sample_figures("road", built)) == {"road: hand-checked sample sample.tsv"}


def test_the_unseen_articles_hold_the_first_samples_articles_and_others(
    arabic: ModuleType, tmp_path: Path
) -> None:
    """The second unseen sample is drawn from unseen articles the first was not."""
    for day in ("2015-08-02", "2015-08-11"):
        with zipfile.ZipFile(tmp_path / f"{day}.zip", "w") as opened:
            found = [
                {"url": f"http://paper.example/{day}/{n}", "title": f"خبر {n}", "content": "نص."}
                for n in range(90)
            ]
            opened.writestr(f"{day}.json", json.dumps(found, ensure_ascii=False))
    every, first = arabic.unseen_articles(["2015-08-02", "2015-08-11"], tmp_path)
    names = [item.name for item in every]
    firsts = {item.name for item in first}
    assert len(first) == arabic.FIRST_SAMPLE_ARTICLES
    assert firsts <= set(names)
    assert len(names) == len(set(names)) >= arabic.UNSEEN_ARTICLES
    assert len(set(names) - firsts) >= 20


def test_every_sample_is_judged_row_by_row(arabic: ModuleType) -> None:
    """Each sample `arabic.py` checks holds 100 judged words, each error with its cause."""
    for samples in arabic.SAMPLES.values():
        for sample, _ in samples:
            with sample.open(encoding="utf-8", newline="") as handle:
                rows = list(csv.DictReader(handle, delimiter="\t"))
            assert len(rows) == 100, sample.name
            assert {row["judgement"] for row in rows} <= {"ok", "error"}, sample.name
            unexplained = [r["word"] for r in rows if r["judgement"] == "error" and not r["note"]]
            assert not unexplained, (sample.name, unexplained)
            assert all(row["word"] in row["chunk"].split() for row in rows), sample.name
