"""Choosing a reader by extension, finding articles, and slugs from file names."""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

import pytest

from nashra.core.errors import ArticleError
from nashra.readers import (
    READERS,
    article_slugs,
    choose_slug,
    find_articles,
    ignored_files,
    read_article,
    slug_for,
)
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
        ("2021-تقرير.txt", "2021-tqrir"),
        ("中文.txt", fallback("中文.txt")),
        # Arabic, transliterated by the table in nashra.readers.slugs (ALA-LC's
        # consonants without diacritics; و/ي as w/y or u/i; ال as al-).
        ("مقال عربي جديد.txt", "mqal-arbi-jdid"),
        ("الطاقة الشمسية.md", "al-taqa-al-shmsya"),
        ("أزمة المياه في مصر.txt", "azma-al-myah-fi-msr"),
        ("يوسف شاهين.txt", "yusf-shahin"),
        ("خبر عاجل.txt", "khbr-aajl"),
        ("تقرير ٢٠٢٤.txt", "tqrir-2024"),
        ("مقال-٢.md", "mqal-2"),
        ("مَقالٌ.txt", "maqalun"),  # short vowels, when the name has them
        ("پژوهش.txt", "pzhuhsh"),
        ("سوريا.txt", "surya"),
        ("عـــاجل.txt", "aajl"),  # tatweel
    ],
)
def test_slug_for(name: str, slug: str) -> None:
    assert slug_for(Path("articles") / name) == slug


def test_slug_is_stable_across_unicode_forms() -> None:
    composed = "آخر الأخبار.txt"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert slug_for(Path(decomposed)) == slug_for(Path(composed)) == "akhr-al-akhbar"
    other = "中文.txt"
    assert slug_for(Path(unicodedata.normalize("NFD", other))) == fallback(other)


def test_a_published_episode_keeps_its_slug() -> None:
    published = {"articles/خبر عاجل.txt": "article-3f0a1c2b4d", "articles/b.txt": "b"}
    assert choose_slug(Path("/p/articles/خبر عاجل.txt"), published) == "article-3f0a1c2b4d"
    nfd = unicodedata.normalize("NFD", "خبر عاجل.txt")
    assert choose_slug(Path("articles") / nfd, published) == "article-3f0a1c2b4d"
    assert choose_slug(Path("articles/مقال عربي جديد.txt"), published) == "mqal-arbi-jdid"
    paths = [Path("articles/خبر عاجل.txt"), Path("articles/c.md")]
    assert article_slugs(paths, published) == {
        paths[0]: "article-3f0a1c2b4d",
        paths[1]: "c",
    }


def test_ignored_files_are_listed_once_each_with_what_to_do(tmp_path: Path) -> None:
    for name in ["a.txt", "saved-page.html", "report.docx", "notes.xyz", "cover.jpg", "x.md~"]:
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\0")
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "sub" / "x.txt").write_text("x", encoding="utf-8")
    (tmp_path / "sub" / "deeper" / "y.md").write_text("x", encoding="utf-8")
    (tmp_path / "sub" / "photo.png").write_bytes(b"x")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "z.txt").write_text("x", encoding="utf-8")
    ignored = {path.relative_to(tmp_path).as_posix(): why for path, why in ignored_files(tmp_path)}
    assert sorted(ignored) == [
        "notes.xyz",
        "report.docx",
        "saved-page.html",
        "sub/deeper/y.md",
        "sub/x.txt",
    ]
    assert "saved web page; copy the article's text into a .txt file" in ignored["saved-page.html"]
    assert "save it as plain text (.txt)" in ignored["report.docx"]
    assert "save its text as a .txt or .md file" in ignored["notes.xyz"]
    assert "move it there to publish it" in ignored["sub/x.txt"]
    assert ignored_files(tmp_path / "missing") == []


def test_slug_ignores_the_folder() -> None:
    assert slug_for(Path("/tmp/مقالات/news.txt")) == "news"
