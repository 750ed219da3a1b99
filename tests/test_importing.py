"""`nashra import`: archive records into article files, once each."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import zipfile
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from nashra.cli import cli
from nashra.readers import read_article
from nashra.readers.importing import (
    MAX_FILE_BYTES,
    MAX_LINE_BYTES,
    Record,
    import_files,
    read_jsonl,
    read_saudinewsnet,
)
from tests.support import DATA, make_project
from tests.test_cli import runner

RECORD = DATA / "saudinewsnet-2015-08-06-record.json"
SAUDI = timezone(timedelta(hours=3))


def day_zip(folder: Path, day: str, records: list[dict[str, str]]) -> Path:
    """A day file shaped as SaudiNewsNet publishes them: YYYY-MM-DD.zip holding YYYY-MM-DD.json."""
    path = folder / f"{day}.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{day}.json", json.dumps(records, ensure_ascii=False))
    return path


def record(url: str, title: str, when: str, **more: str) -> dict[str, str]:
    return {
        "source": "sabq",
        "url": url,
        "date_extracted": when,
        "title": title,
        "author": "",
        "content": " فقرة أولى من الخبر.\n \n فقرة ثانية من الخبر. ",
        **more,
    }


def test_a_real_record_becomes_an_article_with_its_metadata(tmp_path: Path) -> None:
    result = import_files("saudinewsnet", [RECORD], tmp_path / "articles")
    assert len(result.written) == 1 and not result.failed
    article = read_article(result.written[0])
    assert article.title == "زجاج تعلن عن نتائج اجتماع الجمعية العامة الغير عادية"
    assert article.author == "الاقتصادية الإلكترونية"  # the paper; the dateline is not read
    assert article.url == "http://www.aleqt.com/2015/08/05/article_979257.html"
    assert article.date == datetime(2015, 8, 6, 1, 28, tzinfo=SAUDI)
    paragraphs = [p.lstrip("\u200f") for s in article.sections for p in s.paragraphs]
    # Four lines of content, four paragraphs; the numbered resolutions keep their numbers.
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("أعلنت شركة الصناعات الزجاجية الوطنية")
    assert [p[:2] for p in paragraphs[1:]] == ["1.", "2.", "3."]


def test_duplicates_and_reruns_write_nothing_new(tmp_path: Path) -> None:
    first = day_zip(
        tmp_path,
        "2015-08-01",
        [
            record("http://sabq.org/a", "خبر أول", "2015-08-01 10:00:00"),
            record("http://sabq.org/b", "خبر ثان", "2015-08-01 11:00:00"),
            record("http://sabq.org/c", "", "2015-08-01 12:00:00"),
        ],
    )
    # The same article scraped again the next day, and one new one.
    second = day_zip(
        tmp_path,
        "2015-08-02",
        [
            record("http://sabq.org/a", "خبر أول", "2015-08-02 09:00:00"),
            record("http://sabq.org/d", "خبر ثالث", "2015-08-02 09:30:00"),
        ],
    )
    articles = tmp_path / "articles"
    result = import_files("saudinewsnet", [second, first], articles)
    assert len(result.written) == 3 and result.existing == 1
    assert len(result.empty) == 1 and "article 3: `title` is empty" in result.empty[0]
    titles = {read_article(p).title: read_article(p).date for p in articles.iterdir()}
    # The article met on two days keeps its first day.
    assert titles["خبر أول"] == datetime(2015, 8, 1, 10, tzinfo=SAUDI)
    again = import_files("saudinewsnet", [first, second], articles)
    assert again.written == [] and again.existing == 4
    assert len(list(articles.iterdir())) == 3


def test_the_same_article_under_another_address_is_imported_once(tmp_path: Path) -> None:
    """SaudiNewsNet's day of 2015-08-11 holds 1,686 records: 291 repeat an article under its
    address with a query (`?live`, `?weekly`), and a few carry an article's whole text under
    another address. Their duplicate titles then made `nashra check` block the podcast."""
    text = " ".join(["نص الخبر الكامل كما نشرته الصحيفة في موقعها."] * 8)
    day = day_zip(
        tmp_path,
        "2015-08-11",
        [
            record("http://www.al-madina.com/node/1/a.html", "خبر أول", "2015-08-11 10:00:00"),
            record("http://www.al-madina.com/node/1/a.html?live", "خبر أول", "2015-08-11 10:05:00"),
            record("http://www.al-madina.com/node/1/a.html#top", "خبر أول", "2015-08-11 10:06:00"),
            record("http://sabq.org/x", "خبر ثان", "2015-08-11 11:00:00", content=text),
            record("http://sabq.org/y", "خبر ثان", "2015-08-11 11:30:00", content=text),
            record("http://sabq.org/z", "خبر ثالث", "2015-08-11 12:00:00"),
        ],
    )
    articles = tmp_path / "articles"
    result = import_files("saudinewsnet", [day], articles)
    assert sorted(read_article(p).title for p in result.written) == [
        "خبر أول",
        "خبر ثالث",
        "خبر ثان",
    ]
    assert result.existing == 2 and result.same_text == 1
    # The first address met is the one kept, without its query.
    first = next(p for p in result.written if read_article(p).title == "خبر أول")
    assert read_article(first).url == "http://www.al-madina.com/node/1/a.html"
    again = import_files("saudinewsnet", [day], articles)
    assert again.written == []


def test_an_article_imported_before_is_not_imported_again_under_another_address(
    tmp_path: Path,
) -> None:
    """The text check reaches back to the articles an earlier import wrote."""
    text = " ".join(["نص الخبر الكامل كما نشرته الصحيفة في موقعها."] * 8)
    articles = tmp_path / "articles"
    first = day_zip(
        tmp_path,
        "2015-08-11",
        [record("http://sabq.org/x", "خبر", "2015-08-11 11:00:00", content=text)],
    )
    assert len(import_files("saudinewsnet", [first], articles).written) == 1
    later = day_zip(
        tmp_path,
        "2015-08-12",
        [record("http://sabq.org/y", "خبر", "2015-08-12 09:00:00", content=text)],
    )
    again = import_files("saudinewsnet", [later], articles)
    assert (again.written, again.same_text) == ([], 1)


def test_an_article_imported_under_its_address_with_a_query_is_not_imported_again(
    tmp_path: Path,
) -> None:
    """Imports before addresses lost their query named files by the whole address."""
    articles = tmp_path / "articles"
    articles.mkdir()
    legacy = "sabq-" + hashlib.sha256(b"http://sabq.org/a?live").hexdigest()[:12] + ".md"
    (articles / legacy).write_text("---\ntitle: خبر\n---\nفقرة.\n", encoding="utf-8")
    day = day_zip(
        tmp_path, "2015-08-12", [record("http://sabq.org/a?live", "خبر", "2015-08-12 10:00:00")]
    )
    result = import_files("saudinewsnet", [day], articles)
    assert result.written == [] and result.existing == 1


def test_backfill_since_skips_older_articles(tmp_path: Path) -> None:
    day = day_zip(
        tmp_path,
        "2015-07-31",
        [
            record("http://sabq.org/old", "قديم", "2015-07-30 23:59:00"),
            record("http://sabq.org/new", "جديد", "2015-07-31 00:00:00"),
        ],
    )
    result = import_files("saudinewsnet", [day], tmp_path / "articles", since=date(2015, 7, 31))
    assert result.too_old == 1
    assert [read_article(p).title for p in result.written] == ["جديد"]


def test_json_lines_import_and_a_bad_line(tmp_path: Path) -> None:
    source = tmp_path / "feed.jsonl"
    lines = [
        json.dumps(
            {
                "title": "عنوان",
                "body": "نص الخبر.",
                "date": "2024-03-01",
                "url": "https://example.org/u1",
            }
        ),
        "{not json",
        json.dumps({"title": "آخر", "content": "# ليس عنوانا\nنص.", "author": "كاتب"}),
    ]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_files("jsonl", [source], tmp_path / "articles")
    assert len(result.written) == 2
    assert len(result.failed) == 1 and result.failed[0].startswith(f"{source}:2: not JSON")
    read = {a.title: a for a in map(read_article, result.written)}
    assert read["عنوان"].date == datetime(2024, 3, 1, tzinfo=UTC)
    assert read["آخر"].author == "كاتب"
    # A line starting with `#` is the article's text, not a heading.
    assert [s.title for s in read["آخر"].sections] == [None]
    assert read["آخر"].sections[0].paragraphs[0].lstrip("\u200f") == "# ليس عنوانا"


def test_cli_import_reports_and_honours_backfill_since(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", [])
    toml = project / "podcast.toml"
    toml.write_text("backfill_since = 2015-08-06\n" + toml.read_text(encoding="utf-8"))
    old = day_zip(
        tmp_path, "2015-08-01", [record("http://sabq.org/x", "قديم", "2015-08-01 10:00:00")]
    )
    args = ["import", "saudinewsnet", str(RECORD), str(old), "--project", str(project)]
    result = runner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "1 article(s) imported, 1 dated before backfill_since" in result.output
    result = runner().invoke(cli, args)
    assert "0 article(s) imported, 1 already there" in result.output
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"not a zip")
    result = runner().invoke(cli, ["import", "saudinewsnet", str(broken), "-p", str(project)])
    assert result.exit_code == 1
    assert f"{broken}: not a zip file" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_backfill_since_must_be_a_date(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", [])
    toml = project / "podcast.toml"
    toml.write_text('backfill_since = "last year"\n' + toml.read_text(encoding="utf-8"))
    result = runner().invoke(cli, ["import", "jsonl", str(RECORD), "-p", str(project)])
    assert result.exit_code == 2
    assert "`backfill_since` must be a date" in result.stderr


def test_a_record_whose_link_is_not_http_is_refused_with_its_line(tmp_path: Path) -> None:
    source = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"title": "سليم", "content": "نص.", "url": "https://example.org/1"}),
        json.dumps({"title": "خبيث", "content": "نص.", "url": "javascript:alert(1)"}),
        json.dumps({"title": "بلا رابط", "content": "نص."}),
    ]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_files("jsonl", [source], tmp_path / "articles")
    assert sorted(read_article(p).title for p in result.written) == ["بلا رابط", "سليم"]
    assert len(result.failed) == 1
    assert result.failed[0].startswith(f"{source}:2: `url` ('javascript:alert(1)') is refused")
    day = day_zip(tmp_path, "2015-08-01", [record("data:text/html,x", "خبيث", "2015-08-01 10:00")])
    result = import_files("saudinewsnet", [day], tmp_path / "articles")
    assert result.written == [] and f"{day}:2015-08-01.json article 1: `url`" in result.failed[0]


def bomb_zip(path: Path, good: list[dict[str, str]], spaces: int) -> Path:
    """A day zip holding a good member and `spaces` bytes of spaces (a few KB per MiB)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("2015-08-01-good.json", json.dumps(good, ensure_ascii=False))
        with archive.open("2015-08-01.json", "w", force_zip64=True) as member:
            chunk = b" " * 2**20
            for _ in range(spaces // len(chunk)):
                member.write(chunk)
    return path


def test_a_zip_member_over_the_limit_is_refused_by_name_and_the_rest_imported(
    tmp_path: Path,
) -> None:
    good = [record("http://sabq.org/1", "خبر سليم", "2015-08-01 10:00:00")]
    bomb = bomb_zip(tmp_path / "2015-08-01.zip", good, MAX_FILE_BYTES + 2**20)
    assert bomb.stat().st_size < 2**20
    result = import_files("saudinewsnet", [bomb], tmp_path / "articles")
    assert [read_article(p).title for p in result.written] == ["خبر سليم"]
    assert result.failed == [
        f"{bomb}:2015-08-01.json: refused, larger than 64 MiB (the limit for one file of "
        "records); split it into smaller files"
    ]


def test_a_json_file_is_read_no_further_than_the_limit(tmp_path: Path) -> None:
    day = tmp_path / "2015-08-01.json"
    day.write_text(json.dumps([record("http://sabq.org/1", "خبر", "2015-08-01 10:00:00")]))
    assert [type(r).__name__ for r in read_saudinewsnet(day, limit=2**20)] == ["Record"]
    assert list(read_saudinewsnet(day, limit=100)) == [
        f"{day}: refused, larger than 100 bytes (the limit for one file of records); "
        "split it into smaller files"
    ]


def test_a_json_lines_line_over_the_limit_is_refused_with_its_number(tmp_path: Path) -> None:
    source = tmp_path / "feed.jsonl"
    with source.open("w", encoding="utf-8") as out:
        for title, content in [("أول", "نص."), ("طويل", "ن" * (MAX_LINE_BYTES // 2)), ("ثالث", "")]:
            item = {"title": title, "content": content or "نص."}
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    result = import_files("jsonl", [source], tmp_path / "articles")
    assert sorted(read_article(p).title for p in result.written) == ["أول", "ثالث"]
    assert result.failed == [
        f"{source}:2: refused, the line is longer than 4 MiB (the limit for one record)"
    ]
    # The limit is on bytes, whatever splits the line up.
    records = list(read_jsonl(source, limit=64))
    assert [r.title if isinstance(r, Record) else r for r in records] == [
        "أول",
        f"{source}:2: refused, the line is longer than 64 bytes (the limit for one record)",
        "ثالث",
    ]


def test_a_lone_surrogate_fails_its_record_only_and_the_import_exits_1(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", [])
    source = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"title": "أول", "content": "نص."}),
        '{"title": "نصف \\ud800 حرف", "content": "نص."}',
        '{"title": "ثان", "content": "نص", "author": "\\udfff"}',
        b"\xff\xfe not utf-8".decode("latin-1"),
        json.dumps({"title": "أخير", "content": "نص."}),
    ]
    source.write_bytes("\n".join(lines).encode("utf-8").replace("ÿþ".encode(), b"\xff\xfe"))
    result = runner().invoke(cli, ["import", "jsonl", str(source), "-p", str(project)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output + result.stderr
    assert f"{source}:2: `title` holds \\ud800, half of a UTF-16 surrogate pair" in result.stderr
    assert f"{source}:3: `author` holds \\udfff" in result.stderr
    assert f"{source}:4: not UTF-8 text (invalid start byte at byte 1)" in result.stderr
    assert "2 article(s) imported" in result.stdout
    titles = sorted(read_article(p).title for p in (project / "articles").iterdir())
    assert titles == ["أخير", "أول"]


# VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss across exec (see test_bad_input).
MEMORY_CHILD = r"""
import json, sys
from pathlib import Path
from nashra.readers.importing import import_files
result = import_files("saudinewsnet", [Path(sys.argv[1])], Path(sys.argv[2]))
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"written": len(result.written), "failed": result.failed,
                  "rss_mb": int(peak.split()[1]) / 1024}))
"""


@pytest.mark.slow
def test_a_zip_bomb_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    # 128 MiB of spaces in a 130 KB zip took 280 MB to refuse, read whole; 1 GiB took 2.1 GB.
    good = [record("http://sabq.org/1", "خبر سليم", "2015-08-01 10:00:00")]
    bomb = bomb_zip(tmp_path / "2015-08-01.zip", good, 128 * 2**20)
    child = subprocess.run(
        [sys.executable, "-c", MEMORY_CHILD, str(bomb), str(tmp_path / "articles")],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    seen = json.loads(child.stdout)
    assert seen["written"] == 1 and len(seen["failed"]) == 1
    assert seen["rss_mb"] < 100, seen


def test_an_import_removes_what_a_killed_import_left(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    left = articles / ".jsonl-abc.md.k2j3h4.part"  # as `atomic_write` names its temporary file
    left.write_text("نصف مقال", encoding="utf-8")
    source = tmp_path / "feed.jsonl"
    source.write_text(json.dumps({"title": "عنوان", "body": "نص."}) + "\n", encoding="utf-8")
    result = import_files("jsonl", [source], articles)
    assert len(result.written) == 1
    assert not left.exists()
    assert sorted(p.name for p in articles.iterdir()) == [result.written[0].name]
