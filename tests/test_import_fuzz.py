"""Fuzzed import records: each one imports or is reported by file and line (or article
number); never a traceback, never a file written outside articles/."""

from __future__ import annotations

import contextlib
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from nashra.core.errors import NashraError
from nashra.readers import read_article
from nashra.readers.importing import Imported, import_files

CHARACTERS = st.one_of(
    st.characters(),
    st.characters(categories=["Cs"]),  # lone surrogates, which JSON can escape
    st.sampled_from(list("<>&\"'\\/:.-#*=`~\n\r\t\x00\x85\u200f\u2028\ufeffعربي ")),
)
TEXT = st.text(CHARACTERS, max_size=40)
LINKS = st.sampled_from(
    [
        "https://sabq.org/a",
        "http://www.aleqt.com/2015/08/05/article_979257.html",
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "//evil.example",
        "../../etc/passwd",
        "",
    ]
)
STAMPS = st.one_of(
    st.datetimes().map(lambda d: d.isoformat(sep=" ")),
    st.dates().map(str),
    st.sampled_from(["0001-01-01", "9999-12-31 23:59:59", "2015-13-45", "1969-12-31T23:59:59"]),
    TEXT,
)
JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TEXT)
VALUES = st.one_of(
    TEXT,
    JSON_SCALARS,
    st.lists(JSON_SCALARS, max_size=3),
    st.dictionaries(TEXT, JSON_SCALARS, max_size=2),
)
SOURCES = st.one_of(TEXT, st.sampled_from(["../../x", "a/b", "CON", "x" * 300, "sabq"]))


def records(date_key: str) -> st.SearchStrategy[dict[str, Any]]:
    """Mostly well-formed records with hostile values; sometimes any JSON value per key."""
    fields = {
        "body": VALUES,
        "author": st.one_of(TEXT, VALUES),
        date_key: st.one_of(STAMPS, VALUES),
        "url": st.one_of(LINKS, TEXT, VALUES),
        "source": st.one_of(SOURCES, VALUES),
    }
    return st.fixed_dictionaries(
        {"title": st.one_of(TEXT, VALUES), "content": st.one_of(TEXT, VALUES)},
        optional=fields,
    )


def json_line(value: Any, ascii_only: bool) -> str:
    return json.dumps(value, ensure_ascii=ascii_only, allow_nan=True)


LINES = st.one_of(
    st.tuples(st.one_of(records("date"), VALUES), st.booleans()).map(lambda v: json_line(*v)),
    st.binary(max_size=30).map(lambda b: b.decode("latin-1")),
    st.sampled_from(["[" * 5000, "{not json", '"\\ud800"', "\ufeff{}"]),
)


def blank(line: bytes, *, first: bool) -> bool:
    """A line with nothing but white space (Python's, as `str.strip` sees it) is skipped."""
    try:
        return not line.decode("utf-8-sig" if first else "utf-8").strip()
    except UnicodeDecodeError:
        return False


def written_outside(root: Path, articles: Path, inputs: set[Path]) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and p not in inputs and p.parent != articles]


def check_imported(result: Imported, where: list[str], root: Path, inputs: set[Path]) -> None:
    """Every record accounted for once, each report naming its place; nothing outside."""
    articles = root / "articles"
    reports = result.failed + result.empty
    assert len(result.written) + result.existing + len(reports) == len(where)
    for report in reports:
        assert any(report.startswith(f"{place}: ") for place in where), report
    assert written_outside(root, articles, inputs) == []
    for path in result.written:
        assert path.parent == articles and path.suffix == ".md"
        # What the reader refuses, the build reports by file name: no traceback.
        with contextlib.suppress(NashraError):
            read_article(path)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINES, min_size=1, max_size=6))
def test_fuzzed_json_lines_import_or_are_reported_by_line(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source = root / "feed.jsonl"
        data = "\n".join(lines).encode("utf-8", "surrogatepass")
        source.write_bytes(data)
        result = import_files("jsonl", [source], root / "articles")
        numbered = [
            f"{source}:{number}"
            for number, line in enumerate(data.split(b"\n"), 1)
            if not blank(line, first=number == 1)
        ]
        check_imported(result, numbered, root, {source})


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example([{"title": "نصف \ud800", "content": "نص", "source": "x" * 300}], True, "a.json")
@given(
    st.lists(st.one_of(records("date_extracted"), VALUES), max_size=5),
    st.booleans(),
    st.sampled_from(["2015-08-01.json", "../../escape.json", "/abs.json", "a/b.json"]),
)
def test_fuzzed_saudinewsnet_records_import_or_are_reported_by_number(
    items: list[Any], ascii_only: bool, member: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        day = root / "2015-08-01.zip"
        with zipfile.ZipFile(day, "w") as archive:
            archive.writestr(member, json_line(items, ascii_only).encode("utf-8", "surrogatepass"))
        result = import_files("saudinewsnet", [day], root / "articles")
        places = [f"{day}:{member} article {n}" for n in range(1, len(items) + 1)]
        if not items:
            assert result.written == [] and result.failed == []
            return
        if not ascii_only and result.failed and "not JSON" in result.failed[0]:
            # A lone surrogate written raw is not UTF-8: the member is reported whole.
            assert result.failed == [result.failed[0]] and result.failed[0].startswith(
                f"{day}:{member}: not JSON"
            )
            return
        check_imported(result, places, root, {day})
