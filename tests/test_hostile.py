"""Hostile articles stay harmless: no script link, no outside file, no markup in the feed."""

from __future__ import annotations

import io
import os
from pathlib import Path

import podcastparser
import pytest

from nashra.config.settings import load_settings
from nashra.core.errors import ArticleError
from nashra.stages.article_cache import ScriptReader
from nashra.stages.builder import build
from tests.support import CORPUS, make_project

ARTICLE = CORPUS / "saudinewsnet" / "04-alweeam.txt"


@pytest.mark.slow
def test_a_symlink_to_a_file_outside_the_project_is_refused_naming_it(tmp_path: Path) -> None:
    secret = tmp_path / "private" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("عنوان سري\n\nنص سري لا يجوز نشره أبدا.\n", encoding="utf-8")
    project = make_project(tmp_path / "p", [ARTICLE])
    (project / "articles" / "leak.txt").symlink_to(secret)
    (project / "notes").mkdir()
    inside = project / "notes" / "inside.txt"
    inside.write_text("عنوان داخلي\n\nنص داخل المشروع.\n", encoding="utf-8")
    (project / "articles" / "inside.txt").symlink_to(os.path.relpath(inside, project / "articles"))

    report = build(load_settings(project), jobs=1)

    assert [(f.source.name, f.reason) for f in report.failed] == [
        (
            "leak.txt",
            f"is a symbolic link to {secret}, outside the project; copy the file into "
            "articles/ to publish it",
        )
    ]
    assert sorted(report.built) == ["04-alweeam", "inside"]
    output = b"".join(p.read_bytes() for p in (project / "output").rglob("*") if p.is_file())
    assert "نص سري".encode() not in output and "عنوان سري".encode() not in output


@pytest.mark.slow
@pytest.mark.parametrize(
    "url", ["javascript:alert(document.cookie)", "  JavaScript:alert(1)", "//evil.example/"]
)
def test_an_article_with_a_script_link_fails_and_the_others_build(tmp_path: Path, url: str) -> None:
    project = make_project(tmp_path / "p", [ARTICLE])
    (project / "articles" / "xss.md").write_text(
        f'---\ntitle: عنوان\nurl: "{url}"\n---\n\nنص المقالة هنا.\n', encoding="utf-8"
    )
    report = build(load_settings(project), jobs=1)
    assert [f.source.name for f in report.failed] == ["xss.md"]
    assert "front matter `url`" in report.failed[0].reason
    assert report.built == ["04-alweeam"]
    pages = [p.read_text(encoding="utf-8") for p in (project / "output").rglob("*.html")]
    assert pages and not any("javascript:" in page.lower() or "evil" in page for page in pages)


@pytest.mark.slow
def test_markup_in_an_article_reaches_the_feed_and_transcripts_as_text(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", [])
    (project / "articles" / "markup.md").write_text(
        "---\ntitle: عنوان\nauthor: '<img src=x onerror=alert(1)>كاتب'\n---\n\n"
        "نص <img src=x onerror=alert(1)> المقالة <script>alert(2)</script> هنا.\n",
        encoding="utf-8",
    )
    settings = load_settings(project)
    assert build(settings, jobs=1).ok
    xml = (settings.output_dir / "feed.xml").read_bytes()
    [episode] = podcastparser.parse(settings.feed_url, io.BytesIO(xml))["episodes"]
    for text in (episode["description"], episode.get("description_html", "")):
        assert "<img" not in text and "<script" not in text
    for transcript in (settings.output_dir / "episodes").glob("*.[sv][rt]t"):
        assert "<" not in transcript.read_text(encoding="utf-8")


def test_the_reader_refuses_an_outside_symlink_before_reading_it(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", [ARTICLE])
    link = project / "articles" / "passwd.txt"
    link.symlink_to("/etc/passwd")
    reader = ScriptReader(load_settings(project))
    with pytest.raises(ArticleError, match="symbolic link to /etc/passwd, outside the project"):
        reader.read(link)
    # A symlink inside the project is an ordinary article.
    (project / "articles" / "same.txt").symlink_to(ARTICLE.name)
    assert reader.read(project / "articles" / "same.txt")[0].title
