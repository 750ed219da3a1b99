"""Real article folders hold junk: each case is reported by file, and the rest still builds."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import podcastparser
import pytest

from nashra.config.settings import load_settings
from nashra.stages.builder import build
from tests.support import CORPUS, make_project

pytestmark = pytest.mark.slow

ARTICLE = CORPUS / "saudinewsnet" / "04-alweeam.txt"


def enclosure_urls(project: Path) -> list[str]:
    settings = load_settings(project)
    xml = (settings.output_dir / "feed.xml").read_bytes()
    feed = podcastparser.parse(settings.feed_url, io.BytesIO(xml))
    return sorted(e["enclosures"][0]["url"] for e in feed["episodes"])


def test_awkward_file_names_give_clean_urls(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", [])
    text = ARTICLE.read_text(encoding="utf-8")
    for name in ["خبر عاجل.txt", "My Article (final).txt", "..hidden-dots..txt", "a..b.txt"]:
        (project / "articles" / name).write_text(text.replace("فتح", f"فتح {len(name)}", 1))
    report = build(load_settings(project), jobs=2)
    assert report.ok, report.failed
    urls = enclosure_urls(project)
    assert len(urls) == 3  # the dot-file is hidden, as in any folder listing
    for url in urls:
        assert url.isascii() and " " not in url and ".." not in url
    outside = [p for p in tmp_path.rglob("*.mp3") if project / "output" not in p.parents]
    assert outside == []


def test_front_matter_image_cannot_leave_the_project(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", [ARTICLE])
    (project / "articles" / "escape.md").write_text(
        "---\ntitle: عنوان\nimage: ../../../etc/passwd.png\n---\n\nنص المقالة هنا.\n",
        encoding="utf-8",
    )
    report = build(load_settings(project), jobs=2)
    assert [(f.source.name, "inside the project" in f.reason) for f in report.failed] == [
        ("escape.md", True)
    ]
    assert report.built == ["04-alweeam"]


def test_text_with_no_arabic_warns_and_still_builds(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", [ARTICLE])
    (project / "articles" / "english.md").write_text(
        "# Market report\n\nOil prices rose on Wednesday. Gulf markets recovered.\n",
        encoding="utf-8",
    )
    report = build(load_settings(project), jobs=2)
    assert report.ok
    assert [w.source.name for w in report.warnings] == ["english.md"]
    assert "english" in report.built


def test_markup_in_titles_reaches_the_feed_escaped(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", [])
    (project / "articles" / "markup.md").write_text(
        '---\ntitle: "<b>أخبار</b> & \\"تقارير\\" \\u200fاليوم"\n---\n\nنص المقالة هنا.\n',
        encoding="utf-8",
    )
    settings = load_settings(project)
    assert build(settings, jobs=1).ok
    xml = (settings.output_dir / "feed.xml").read_text(encoding="utf-8")
    assert "<b>" not in xml and "&lt;b&gt;أخبار&lt;/b&gt; &amp;" in xml
    feed = podcastparser.parse(settings.feed_url, io.BytesIO(xml.encode("utf-8")))
    assert feed["episodes"][0]["title"] == '<b>أخبار</b> & "تقارير" اليوم'


# VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss across exec, so a child
# of a large pytest process would report pytest's size rather than its own.
MEMORY_CHILD = r"""
import json, sys
from pathlib import Path
from nashra.stages.builder import build
from nashra.config.settings import load_settings
report = build(load_settings(Path(sys.argv[1])), jobs=2)
peak = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(json.dumps({"ok": report.ok, "failed": [f.reason for f in report.failed],
                  "seconds": report.audio_seconds, "rss_mb": int(peak.split()[1]) / 1024}))
"""


def test_a_300000_character_article_builds_in_bounded_memory(tmp_path: Path) -> None:
    # Spoken fast so the test takes a minute, not ten: the size of the text is the point.
    project = make_project(tmp_path / "p", [], engine="espeak", options={"espeak": {"rate": 450}})
    paragraphs: list[str] = []
    size = 0
    sources = sorted((CORPUS / "saudinewsnet").glob("*.txt"))
    while size < 300_000:
        for source in sources:
            for line in source.read_text(encoding="utf-8").splitlines()[2:]:
                if line.strip():
                    paragraphs.append(f"{line.strip()} ({len(paragraphs)})")
                    size += len(paragraphs[-1]) + 1
    text = "مقالة طويلة جدا للاختبار\n\n" + "\n".join(paragraphs) + "\n"
    assert len(text) >= 300_000
    (project / "articles" / "long.txt").write_text(text, encoding="utf-8")

    done = subprocess.run(
        [sys.executable, "-c", MEMORY_CHILD, str(project)],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["ok"], result["failed"]
    assert result["seconds"] > 3600  # more than an hour of speech, even at 450 words a minute
    assert result["rss_mb"] < 250, result


def test_skipped_files_are_reported_once_each_with_what_to_do(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from nashra.cli import cli

    project = make_project(tmp_path / "p", [ARTICLE])
    articles = project / "articles"
    (articles / "saved-page.html").write_text("<html><body>مقال</body></html>", encoding="utf-8")
    (articles / "report.docx").write_bytes(b"PK\x03\x04")
    (articles / "sub").mkdir()
    (articles / "sub" / "x.txt").write_text(ARTICLE.read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "-p", str(project), "-j", "2"])
    assert result.exit_code == 0, result.output
    for name, advice in [
        ("saved-page.html", "copy the article's text into a .txt file"),
        ("report.docx", "save it as plain text (.txt)"),
        ("sub/x.txt", "move it there to publish it"),
    ]:
        lines = [line for line in result.output.splitlines() if f"articles/{name}:" in line]
        assert len(lines) == 1, (name, result.output)
        assert lines[0].startswith("warning: ") and advice in lines[0]


def test_arabic_file_names_get_readable_slugs_and_published_ones_keep_theirs(
    tmp_path: Path,
) -> None:
    import dataclasses

    from nashra.storage.paths import state_file
    from nashra.storage.state import BuildState

    project = make_project(tmp_path / "p", [])
    text = ARTICLE.read_text(encoding="utf-8")
    # Published by a nashra that named Arabic files by a hash of the name, as this one
    # still names files in other scripts: built under such a name, then recorded as
    # the Arabic file that nashra read.
    (project / "articles" / "新闻.txt").write_text(text, encoding="utf-8")
    settings = load_settings(project)
    assert build(settings, jobs=2).ok
    state = BuildState.load(state_file(settings.work_dir))
    ((old_slug, record),) = state.episodes.items()
    assert old_slug.startswith("article-")
    state.episodes[old_slug] = dataclasses.replace(record, source="articles/خبر عاجل.txt")
    state.save(state_file(settings.work_dir))
    (project / "articles" / "新闻.txt").rename(project / "articles" / "خبر عاجل.txt")
    old = BuildState.load(state_file(settings.work_dir)).episodes
    assert old[old_slug].source == "articles/خبر عاجل.txt"
    feed_before = (settings.output_dir / "feed.xml").read_bytes()

    (project / "articles" / "مقال عربي جديد.txt").write_text(
        text.replace("فتح", "فتح جديد", 1), encoding="utf-8"
    )
    report = build(settings, jobs=2)
    assert report.ok, report.failed
    assert report.unchanged == [old_slug] and report.built == ["mqal-arbi-jdid"]
    new = BuildState.load(state_file(settings.work_dir)).episodes
    assert new[old_slug] == old[old_slug]  # file names, GUID, everything
    assert new["mqal-arbi-jdid"].file == "episodes/mqal-arbi-jdid.mp3"
    urls = enclosure_urls(project)
    assert any(url.endswith(f"/episodes/{old_slug}.mp3") for url in urls)
    assert any(url.endswith("/episodes/mqal-arbi-jdid.mp3") for url in urls)
    assert feed_before != (settings.output_dir / "feed.xml").read_bytes()  # one more episode

    build(settings, jobs=2)  # and stable across rebuilds
    assert BuildState.load(state_file(settings.work_dir)).episodes == new
