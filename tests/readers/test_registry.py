"""Choosing a reader by extension, finding articles, and slugs from file names."""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

import pytest

from nashra.errors import ArticleError
from nashra.readers import READERS, find_articles, read_article, slug_for
from nashra.readers.markdown import read_markdown
from nashra.readers.text import read_text

SEED = Path(__file__).parents[1] / "data" / "corpus" / "seed" / "whatsapp-privacy.txt"


def test_registry_maps_extensions_to_readers() -> None:
    assert dict(READERS) == {".txt": read_text, ".md": read_markdown, ".markdown": read_markdown}


@pytest.mark.parametrize("name", ["a.md", "a.markdown", "A.MD"])
def test_markdown_extensions(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("# عنوان\n\nنص.\n", encoding="utf-8")
    article = read_article(path)
    assert article.title == "عنوان"
    assert article.sections[0].paragraphs == ("نص.",)


def test_txt_by_extension_in_any_case(tmp_path: Path) -> None:
    path = tmp_path / "Seed.TXT"
    path.write_bytes(SEED.read_bytes())
    article = read_article(path)
    assert article.author == "أحمد ماهر أبوالنصر"
    assert article.slug == "seed"


def test_unknown_extension(tmp_path: Path) -> None:
    path = tmp_path / "article.docx"
    path.write_text("x", encoding="utf-8")
    with pytest.raises(ArticleError, match=r"unknown file type '\.docx'.*\.md.*\.txt"):
        read_article(path)


def test_find_articles(tmp_path: Path) -> None:
    for name in ["b.md", "a.txt", "c.markdown", "D.TXT", ".hidden.txt", "notes.docx", "x.md~"]:
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "inner.txt").write_text("x", encoding="utf-8")
    (tmp_path / "folder.txt").mkdir()
    assert [p.name for p in find_articles(tmp_path)] == ["D.TXT", "a.txt", "b.md", "c.markdown"]


def test_find_articles_in_a_missing_folder(tmp_path: Path) -> None:
    assert find_articles(tmp_path / "articles") == []


def fallback(name: str) -> str:
    return "article-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:10]


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("whatsapp-privacy.txt", "whatsapp-privacy"),
        ("07-3alyoum.txt", "07-3alyoum"),
        ("My First Article!.md", "my-first-article"),
        ("  spaced__out--name .txt", "spaced-out-name"),
        ("café crème.md", "cafe-creme"),
        ("report.2024.final.md", "report-2024-final"),
        ("2021-تقرير.txt", "2021"),
        ("خبر عاجل.txt", fallback("خبر عاجل.txt")),
        ("مقال-٢.md", fallback("مقال-٢.md")),
    ],
)
def test_slug_for(name: str, slug: str) -> None:
    assert slug_for(Path("articles") / name) == slug


def test_slug_fallback_is_stable_across_unicode_forms() -> None:
    composed = "آخر الأخبار.txt"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert slug_for(Path(decomposed)) == slug_for(Path(composed)) == fallback(composed)


def test_slug_ignores_the_folder() -> None:
    assert slug_for(Path("/tmp/مقالات/news.txt")) == "news"
