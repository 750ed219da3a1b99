"""A paper, its bureau or a place is never announced as the article's writer.

Bylines of the SaudiNewsNet archive (2015): author fields as `nashra import`
reads them, and first lines as the text reader reads them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nashra.config.settings import Audio
from nashra.core.model import Article, Section
from nashra.readers import read_article
from nashra.readers.bylines import author_of
from nashra.stages.script import make_script


@pytest.mark.parametrize(
    ("field", "author"),
    [
        ("المدينة ـ جدة", "المدينة"),  # almadina, 2015-07-22 #466
        ("المدينة - جدة", "المدينة"),
        ("المدينة _ جدة", "المدينة"),  # 2015-07-24 #1180: an underscore for a dash
        ("مكتب المدينة - المدينة", "المدينة"),  # 2015-07-24 #1155: the paper's bureau
        ("المدينة - متابعات", "المدينة"),
        ("سبق- الولايات المتحدة:", "سبق"),  # 2015-07-22 #1944: a country
        ("سبق- أستراليا:", "سبق"),  # 2015-07-22 #2044
        ("خالد الشاماني- سبق- المدينة المنورة:", "خالد الشاماني"),
    ],
)
def test_author_fields_name_the_paper_not_a_pen(field: str, author: str) -> None:
    assert author_of(field) == author


def intro(author: str | None) -> list[str]:
    article = Article(Path("a.txt"), "a", "العنوان", (Section(None, ("نص.",)),), author=author)
    return [u.written for u in make_script(article, Audio()).utterances if u.chapter == 0][:2]


@pytest.mark.parametrize(
    "field", ["المدينة ـ جدة", "المدينة _ جدة", "مكتب المدينة - المدينة", "سبق- أستراليا:"]
)
def test_a_paper_is_spoken_as_the_source(field: str) -> None:
    assert intro(author_of(field))[1] == f"المصدر: {author_of(field)}"


@pytest.mark.parametrize(
    "first_line",
    [
        # sabq, 2015-07-22 #2041 and #2044: the paper and the dateline's place.
        "سبق- بلقرن: أغلقت فرقة ميدانية تتبع لبلدية بلقرن محل فوال، بعد تقدم مواطن بشكوى.",
        "سبق- أستراليا: توفى شيخ شمل قبائل أكلب، الشيخ سعيد آل عطيان، والد المبتعثة.",
        "سبق- الولايات المتحدة: أقام النادي السعودي بجامعة بارك بمدينة كانساس حفل معايدة.",
    ],
)
def test_a_dateline_place_is_not_the_writer(tmp_path: Path, first_line: str) -> None:
    path = tmp_path / "a.txt"
    path.write_text(f"العنوان\n\n{first_line}\n", encoding="utf-8")
    article = read_article(path)
    assert article.author == "سبق"
    assert intro(article.author)[1] == "المصدر: سبق"
