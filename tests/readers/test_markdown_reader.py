"""The Markdown reader: front matter, headings, paragraphs and inline syntax."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from nashra.core.errors import ArticleError
from nashra.readers.markdown import read_markdown, strip_inline

FULL = """\
---
title: "خبير تسويق إلكتروني: تسريب الاهتمامات لا يقتصر على واتساب"
author: أحمد ماهر أبوالنصر
date: 2021-01-14
url: https://example.com/news/whatsapp
image: cover.jpg
description: ملخص قصير للمقال.
tags: [تقنية, خصوصية]
---

بعد **الجدل الكبير** الذي تسبب فيه التحديث الجديد لتطبيق
[واتساب](https://www.whatsapp.com)، ألمح البعض إلى إمكانية تسريب المحادثات.

![صورة التطبيق](whatsapp.png)

## إدارة واتساب طمأنت المستخدمين

طمأنت إدارة _واتساب_ المستخدمين بأنّ التحديث لا يعني انتهاك الخصوصية.

> «لو بنتكلم مع شخص آخر فويس على واتساب،
> بنلاقي بعدها فيس بوك عارض حاجات عن كلامنا».

### ما الذي تجمعه الشركات؟

- الاهتمامات من *المحادثات*
- المواقع التي يزورها المستخدم
  عبر المتصفح
1. أرقام الهواتف
2) جهات الاتصال و`البيانات الوصفية`
"""


def write(tmp_path: Path, text: str, name: str = "article.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_front_matter_fields(tmp_path: Path) -> None:
    article = read_markdown(write(tmp_path, FULL, "whatsapp.md"))
    assert article.title == "خبير تسويق إلكتروني: تسريب الاهتمامات لا يقتصر على واتساب"
    assert article.author == "أحمد ماهر أبوالنصر"
    assert article.date == datetime(2021, 1, 14, tzinfo=UTC)
    assert article.url == "https://example.com/news/whatsapp"
    assert article.image == "cover.jpg"
    assert article.description == "ملخص قصير للمقال."
    assert article.slug == "whatsapp"


def test_sections_and_paragraphs(tmp_path: Path) -> None:
    article = read_markdown(write(tmp_path, FULL))
    assert [s.title for s in article.sections] == [
        None,
        "إدارة واتساب طمأنت المستخدمين",
        "ما الذي تجمعه الشركات؟",
    ]
    lead, reassured, collected = article.sections
    assert lead.paragraphs == (
        "بعد الجدل الكبير الذي تسبب فيه التحديث الجديد لتطبيق واتساب، "
        "ألمح البعض إلى إمكانية تسريب المحادثات.",
    )
    assert reassured.paragraphs == (
        "طمأنت إدارة واتساب المستخدمين بأنّ التحديث لا يعني انتهاك الخصوصية.",
        "«لو بنتكلم مع شخص آخر فويس على واتساب، بنلاقي بعدها فيس بوك عارض حاجات عن كلامنا».",
    )
    assert collected.paragraphs == (
        "الاهتمامات من المحادثات",
        "المواقع التي يزورها المستخدم عبر المتصفح",
        "أرقام الهواتف",
        "جهات الاتصال والبيانات الوصفية",
    )
    assert article.dropped == ("![صورة التطبيق](whatsapp.png)",)


def test_title_from_the_first_heading(tmp_path: Path) -> None:
    text = "# تباشير عهد فيينا\n\nنص المقال.\n\n## قسم\n\nنص القسم.\n"
    article = read_markdown(write(tmp_path, text))
    assert article.title == "تباشير عهد فيينا"
    assert [s.title for s in article.sections] == [None, "قسم"]
    assert article.author is None and article.date is None and article.url is None


def test_front_matter_title_wins_and_a_repeated_heading_is_dropped(tmp_path: Path) -> None:
    text = "---\ntitle: العنوان\n---\n# العنوان\n\nنص.\n\n# جزء أول\n\nنص ثان.\n"
    article = read_markdown(write(tmp_path, text))
    assert article.title == "العنوان"
    assert [s.title for s in article.sections] == [None, "جزء أول"]
    assert article.dropped == ("# العنوان",)


def test_heading_markup_and_closing_hashes(tmp_path: Path) -> None:
    text = "# **العنوان** #\n\n## [قسم](https://x.y) ##\n\nنص.\n\n#وسم ليس عنوانا\n"
    article = read_markdown(write(tmp_path, text))
    assert article.title == "العنوان"
    assert article.sections[0].title == "قسم"
    assert article.sections[0].paragraphs == ("نص.", "#وسم ليس عنوانا")


def test_code_blocks_and_rules_are_not_read(tmp_path: Path) -> None:
    text = "# ع\n\nقبل.\n\n```python\nprint('x')\n```\n\n---\n\nبعد.\n"
    article = read_markdown(write(tmp_path, text))
    assert article.sections[0].paragraphs == ("قبل.", "بعد.")
    assert article.dropped == ("```python", "print('x')", "```", "---")


def test_heading_without_text_under_it_is_dropped(tmp_path: Path) -> None:
    text = "# ع\n\nنص.\n\n## فارغ\n\n## ممتلئ\n\nنص.\n"
    article = read_markdown(write(tmp_path, text))
    assert [s.title for s in article.sections] == [None, "ممتلئ"]
    assert article.dropped == ("فارغ",)


@pytest.mark.parametrize(
    ("text", "titles", "dropped"),
    [
        # A parent heading straight above its first sub-heading: one section, both titles.
        (
            "## أولاً: الأسعار\n\n### التطورات الأخيرة\n\nنص.\n",
            ["أولاً: الأسعار — التطورات الأخيرة"],
            (),
        ),
        (
            "## الاقتصاد\n### النفط\n#### الإنتاج\nنص.\n\n### الغاز\n\nنص.\n",
            ["الاقتصاد — النفط — الإنتاج", "الغاز"],
            (),
        ),
        # A sibling with nothing under it introduces nothing, nor does a deeper empty one.
        ("## أ\n\n### ب\n\n## ج\n\nنص.\n", ["ج"], ("أ", "ب")),
        # The parent kept, as the .txt reader keeps أولاً: above 1- …
        ("## قبل\n\nنص.\n\n## الأول\n\n### الفرع\n\nنص.\n", ["قبل", "الأول — الفرع"], ()),
    ],
)
def test_a_parent_heading_above_a_sub_heading_is_kept(
    tmp_path: Path, text: str, titles: list[str], dropped: tuple[str, ...]
) -> None:
    article = read_markdown(write(tmp_path, "# ع\n\n" + text))
    assert [s.title for s in article.sections] == titles
    assert article.dropped == dropped


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-01-14", datetime(2021, 1, 14, tzinfo=UTC)),
        ("2021-01-14 09:30:00", datetime(2021, 1, 14, 9, 30, tzinfo=UTC)),
        (
            "2021-01-14T09:30:00+03:00",
            datetime(2021, 1, 14, 9, 30, tzinfo=timezone(timedelta(hours=3))),
        ),
        ('"2021-01-14T09:30:00Z"', datetime(2021, 1, 14, 9, 30, tzinfo=UTC)),
        ('"2021-01-14"', datetime(2021, 1, 14, tzinfo=UTC)),
    ],
)
def test_dates_become_aware(tmp_path: Path, value: str, expected: datetime) -> None:
    article = read_markdown(write(tmp_path, f"---\ntitle: ع\ndate: {value}\n---\nنص.\n"))
    assert article.date == expected
    assert article.date is not None and article.date.tzinfo is not None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1900-01-01", datetime(1900, 1, 1, tzinfo=UTC)),
        ("1899-12-31T23:30:00-01:00", datetime(1900, 1, 1, 0, 30, tzinfo=UTC)),
        ("1969-12-31", datetime(1969, 12, 31, tzinfo=UTC)),
        ("9998-12-31T23:59:59+05:00", datetime(9998, 12, 31, 18, 59, 59, tzinfo=UTC)),
    ],
)
def test_dates_at_the_edges_a_feed_can_carry(
    tmp_path: Path, value: str, expected: datetime
) -> None:
    article = read_markdown(write(tmp_path, f"---\ntitle: ع\ndate: {value}\n---\nنص.\n"))
    assert article.date == expected


def test_control_characters_never_reach_the_article(tmp_path: Path) -> None:
    # YAML escapes make them in front matter; damage leaves them in the text.
    path = write(
        tmp_path,
        '---\ntitle: "خبر\\0 عاجل\\x1b[31m"\nauthor: "أحمد\\x07\\x85محمد"\n---\n'
        + "مقدمة طويلة. " * 500  # a NUL in the first 8 KiB is a binary file's
        + "\n\nنص\x00 المقالة\x7f هنا\ufffe.\n",
    )
    article = read_markdown(path)
    assert (article.title, article.author) == ("خبر عاجل[31m", "أحمد محمد")
    assert article.sections[0].paragraphs[-1] == "نص المقالة هنا."


def test_numeric_title_is_text(tmp_path: Path) -> None:
    article = read_markdown(write(tmp_path, "---\ntitle: 1984\n---\nنص.\n"))
    assert article.title == "1984"


def test_bom_before_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes("\ufeff---\ntitle: ع\n---\nنص.\n".encode())
    assert read_markdown(path).title == "ع"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("---\ntitle: [غير مغلق\n---\nنص.\n", "not valid YAML"),
        ("---\n- عنصر\n- آخر\n---\nنص.\n", "must be `key: value` lines, not a list"),
        ("---\nمجرد نص\n---\nنص.\n", "must be `key: value` lines, not a str"),
        ("---\ntitle: ع\nنص بلا نهاية للترويسة\n", "no closing `---`"),
        ("---\ntitle: ع\ndate: أمس\n---\nنص.\n", "`date` is not a date"),
        ("---\ntitle: ع\ndate: 2021-13-45\n---\nنص.\n", "impossible value: month must be"),
        (
            "---\ntitle: خبير: تسريب\n---\nنص.\n",
            "at line 2; put a value that contains `: ` in quotes",
        ),
        ("---\ntitle: [أ, ب]\n---\nنص.\n", "`title` must be text, not list"),
        ("---\ntitle: ع\nauthor: true\n---\nنص.\n", "`author` must be text, not bool"),
        ("نص بلا عنوان.\n", "no title"),
        ("---\nauthor: أحمد\n---\nنص.\n", "no title"),
        ("# عنوان فقط\n", "no body text"),
        ("# عنوان\n\n![صورة](a.png)\n", "no body text"),
        ("", "empty"),
        (
            "---\ntitle: ع\ndate: 0001-01-01\n---\nنص.\n",
            "`date` 0001-01-01T00:00:00",
        ),
        ("---\ntitle: ع\ndate: 1899-12-31\n---\nنص.\n", "from 1900 to 9998"),
        ("---\ntitle: ع\ndate: 9999-12-31 23:59:59-05:00\n---\nنص.\n", "out of range"),
        ("---\ntitle: ع\ndate: '9999-01-01'\n---\nنص.\n", "out of range"),
        ("---\ntitle: ع\ndate: !!timestamp قريبا\n---\nنص.\n", "`!!` tag does not allow"),
        ("---\ntitle: !!bool ربما\n---\nنص.\n", "`!!` tag does not allow"),
        ("---\ntitle: !!int x\n---\nنص.\n", "impossible value"),
        ("---\ntitle: " + "9" * 5000 + "\n---\nنص.\n", "impossible value"),
    ],
)
def test_bad_markdown(tmp_path: Path, text: str, problem: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ArticleError, match=problem) as info:
        read_markdown(path)
    assert info.value.path == path


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("نص **عريض** و*مائل* و**عريض** و_مائل_", "نص عريض ومائل وعريض و_مائل_"),
        ("نص __عريض__ و _مائل_", "نص عريض و مائل"),
        ("انظر [الموقع](https://example.com) للمزيد", "انظر الموقع للمزيد"),
        ("قبل ![صورة](a.png) بعد", "قبل بعد"),
        ("الأمر `git status` مفيد", "الأمر git status مفيد"),
        ("اسم_ملف_طويل يبقى كما هو", "اسم_ملف_طويل يبقى كما هو"),
        ("2 * 3 * 4 = 24", "2 * 3 * 4 = 24"),
        ("[رابط **عريض**](u)", "رابط عريض"),
        ("نص عادي، بلا رموز.", "نص عادي، بلا رموز."),
    ],
)
def test_strip_inline(given: str, expected: str) -> None:
    assert strip_inline(given) == expected


def test_entities_in_front_matter_headings_and_text(tmp_path: Path) -> None:
    # The title as alyaum's page had it, and entities where Markdown allows them.
    text = (
        "---\n"
        "title: الهند تشدد الأمن على الحدود بعد هجوم في &#39;البنجاب&#39;\n"
        "---\n\n"
        "## الأرباح &amp; الخسائر\n\n"
        "قال &quot;المتحدث&quot; إن السلطات&nbsp;تحقق.\n"
    )
    article = read_markdown(write(tmp_path, text))
    assert article.title == "الهند تشدد الأمن على الحدود بعد هجوم في 'البنجاب'"
    assert article.sections[-1].title == "الأرباح & الخسائر"
    assert article.sections[-1].paragraphs == ('قال "المتحدث" إن السلطات تحقق.',)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,x",
        "//evil.example",
    ],
)
def test_a_front_matter_link_that_is_not_http_fails_the_article_naming_the_key(
    tmp_path: Path, url: str
) -> None:
    path = write(tmp_path, f'---\ntitle: عنوان\nurl: "{url}"\n---\n\nنص المقالة.\n')
    with pytest.raises(ArticleError, match=r"front matter `url` .* is refused: ") as caught:
        read_markdown(path)
    assert caught.value.path == path
