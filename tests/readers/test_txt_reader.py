"""The .txt reader on the real corpus and on small variants made in the test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nashra.errors import ArticleError
from nashra.readers.text import read_text

CORPUS = Path(__file__).parents[1] / "data" / "corpus"
SEED = CORPUS / "seed" / "whatsapp-privacy.txt"
SAUDI = CORPUS / "saudinewsnet"
SEED_TITLE = "خبير تسويق إلكتروني: تسريب اهتمامات الأشخاص لا يقتصر على واتساب فقط"


def write(tmp_path: Path, text: str, name: str = "article.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- the seed ------------------------------------------------------------------


def test_seed_title_author_and_slug() -> None:
    article = read_text(SEED)
    assert article.title == SEED_TITLE
    assert article.author == "أحمد ماهر أبوالنصر"
    assert article.slug == "whatsapp-privacy"
    assert article.source == SEED


def test_seed_sections_are_its_sub_headings() -> None:
    article = read_text(SEED)
    assert [s.title for s in article.sections] == [
        None,
        "إدارة واتساب طمأنت المستخدمين",
        "واتساب بدأت مشاركة بعض بيانات المستخدمين مع فيس بوك من 2016",
        "تسريب اهتمامات المستخدمين",
        "تحليل نفسية المستخدمين",
    ]
    assert [len(s.paragraphs) for s in article.sections] == [1, 1, 1, 1, 2]
    lead = article.sections[0].paragraphs[0]
    assert lead.startswith("بعد الجدل الكبير الذي تسبب فيه التحديث الجديد لتطبيق واتساب،")
    assert lead.endswith("الأمر الذي كبّد الشركة خسائر فادحة.")
    assert article.sections[-1].paragraphs[-1].startswith("وأوضح أنّ الأمر لا ينطبق")


def test_seed_debris_is_dropped_and_kept_aside() -> None:
    article = read_text(SEED)
    # The title twice more under the byline, and the related-topics header.
    assert article.dropped == (SEED_TITLE, SEED_TITLE, "مواضيع متعلقة")
    body = [p for s in article.sections for p in s.paragraphs]
    assert not any("مواضيع متعلقة" in p or "كتب:" in p for p in body)


def test_seed_headings_lose_their_no_break_spaces() -> None:
    # "تسريب اهتمامات المستخدمين\xa0" in the file.
    article = read_text(SEED)
    assert all(s.title is None or s.title == s.title.strip() for s in article.sections)
    assert not any("\xa0" in p for s in article.sections for p in s.paragraphs)


# -- the Saudi newspapers ------------------------------------------------------


@pytest.mark.parametrize(
    "entry", json.loads((SAUDI / "index.json").read_text(encoding="utf-8")), ids=lambda e: e["file"]
)
def test_every_corpus_article_reads_with_its_original_title(entry: dict[str, str]) -> None:
    article = read_text(SAUDI / entry["file"])
    assert article.title == entry["title"].strip()
    assert article.sections
    for section in article.sections:
        for paragraph in section.paragraphs:
            assert paragraph == " ".join(paragraph.split())
            assert paragraph != article.title


def test_dash_byline_on_its_own_line() -> None:
    article = read_text(SAUDI / "07-3alyoum.txt")
    assert article.author == "عين اليوم – الرياض"
    assert article.sections[0].paragraphs[0].startswith("وصف مفتي عام المملكة")
    assert len(article.sections[0].paragraphs) == 4


def test_trailing_tag_line_is_dropped() -> None:
    article = read_text(SAUDI / "07-3alyoum.txt")
    assert article.dropped == ("سمات ابها المفتي تفجير عبدالعزيز بن عبدالله آل الشيخ عسير",)


def test_trailing_news_link_line_is_dropped() -> None:
    article = read_text(SAUDI / "04-alweeam.txt")
    assert article.dropped == ("رابط الخبر بصحيفة الوئام: فتح مطار عدن أمام الطيران المدني غداَ",)
    assert len(article.sections[0].paragraphs) == 3
    assert article.sections[0].paragraphs[-1].startswith("وأشار الرحبي")


def test_byline_glued_to_the_first_paragraph() -> None:
    article = read_text(SAUDI / "03-sabq.txt")
    assert article.author == "عبدالله البرقاوي-سبق-الرياض"
    paragraph = article.sections[0].paragraphs[0]
    assert paragraph.startswith("أصيب إعلامي سوري يعمل في السعودية،")
    # The file has runs of spaces and no-break spaces between sentences.
    assert "الجهات الأمنية. وكان الإعلامي" in paragraph


def test_short_punctuated_lines_are_paragraphs_not_headings() -> None:
    # 02-alyaum ends with one line per stock market, each a short sentence.
    article = read_text(SAUDI / "02-alyaum.txt")
    assert len(article.sections) == 1
    assert article.sections[0].title is None
    assert (
        article.sections[0].paragraphs[-1] == "البحرين.. انخفض المؤشر 0.1 في المئة إلى 1332 نقطة."
    )
    assert "وفيما يلي إغلاق مؤشرات أسواق الأسهم في الشرق الأوسط:" in article.sections[0].paragraphs
    assert article.author is None


def test_numbered_sub_headings_of_the_long_article() -> None:
    article = read_text(SAUDI / "12-alyaum.txt")
    titles = [s.title for s in article.sections]
    assert titles[:3] == [None, "1- التطورات الأخيرة", "2- التطورات المستقبلية للأسعار"]
    assert "ثانياً: آثار تراجع الأسعار على المالية العامة" in titles
    assert "2-الفوائض النفطية والسيولة العالمية" in titles
    assert titles[-1] == "3- السياسات متوسطة الأمد"
    # A heading straight above another heading has no text of its own.
    assert article.dropped == ("أولاً: الأسعار",)


# -- bylines, debris and headings in small variants ----------------------------


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("كتب: أحمد ماهر أبوالنصر", "أحمد ماهر أبوالنصر"),
        ("كتب أحمد ماهر", "أحمد ماهر"),
        ("كتبت: سارة علي", "سارة علي"),
        ("بقلم: خالد البراك", "خالد البراك"),
        ("بقلم خالد البراك", "خالد البراك"),
        ("رويترز - دبي", "رويترز - دبي"),
        ("الرياض - عماد الصائغ", "الرياض - عماد الصائغ"),
        ("عين اليوم – الرياض", "عين اليوم – الرياض"),
    ],
)
def test_byline_forms(tmp_path: Path, line: str, author: str) -> None:
    path = write(tmp_path, f"عنوان الخبر\n\n{line}\n\nنص الخبر الأول.\n")
    article = read_text(path)
    assert article.author == author
    assert article.sections[0].paragraphs == ("نص الخبر الأول.",)


@pytest.mark.parametrize(
    "line",
    [
        # A sentence that happens to start with "wrote".
        "كتب الرئيس رسالة طويلة إلى نظيره الأمريكي يشرح فيها موقف المملكة من الاتفاق النووي.",
        "كتب الوزير، أمس، مقالا.",
    ],
)
def test_sentences_starting_with_kataba_are_body(tmp_path: Path, line: str) -> None:
    article = read_text(write(tmp_path, f"عنوان الخبر\n{line}\n"))
    assert article.author is None
    assert article.sections[0].paragraphs == (line,)


def test_byline_only_before_the_text(tmp_path: Path) -> None:
    # Later on, a short "NAME - PLACE" line is a sub-heading, not the author.
    text = "عنوان\nنص أول.\nرويترز - دبي\nنص ثان.\n"
    article = read_text(write(tmp_path, text))
    assert article.author is None
    assert [s.title for s in article.sections] == [None, "رويترز - دبي"]


def test_read_also_block_at_the_end(tmp_path: Path) -> None:
    text = (
        "عنوان الخبر\n"
        "نص الخبر.\n"
        "اقرأ أيضاً:\n"
        "وزير الخارجية يستقبل نظيره الأردني في الرياض لبحث العلاقات الثنائية بين البلدين الشقيقين\n"
        "ارتفاع أسعار النفط\n"
    )
    article = read_text(write(tmp_path, text))
    assert article.sections[0].paragraphs == ("نص الخبر.",)
    assert article.dropped[0] == "اقرأ أيضاً:"
    assert len(article.dropped) == 3


def test_read_also_line_in_the_middle(tmp_path: Path) -> None:
    text = "عنوان الخبر\nنص أول.\nاقرأ أيضا: ارتفاع أسعار النفط\nنص ثان.\n"
    article = read_text(write(tmp_path, text))
    assert article.sections[0].paragraphs == ("نص أول.", "نص ثان.")
    assert article.dropped == ("اقرأ أيضا: ارتفاع أسعار النفط",)


def test_last_paragraph_starting_with_simat_is_text(tmp_path: Path) -> None:
    # سمات also means "traits"; only an unpunctuated last line is a tag list.
    text = "عنوان\nنص أول.\nسمات القائد الناجح كثيرة، أهمها الصبر.\n"
    article = read_text(write(tmp_path, text))
    assert article.sections[0].paragraphs[-1] == "سمات القائد الناجح كثيرة، أهمها الصبر."
    assert article.dropped == ()


def test_heading_with_nothing_under_it_is_dropped(tmp_path: Path) -> None:
    text = "عنوان\nنص أول.\nعنوان فرعي\nنص ثان.\nعنوان فرعي أخير\n"
    article = read_text(write(tmp_path, text))
    assert [s.title for s in article.sections] == [None, "عنوان فرعي"]
    assert article.dropped == ("عنوان فرعي أخير",)


def test_heading_before_the_first_paragraph(tmp_path: Path) -> None:
    article = read_text(write(tmp_path, "عنوان\nمقدمة\nنص أول.\n"))
    assert [s.title for s in article.sections] == ["مقدمة"]


def test_title_repeat_with_different_spacing(tmp_path: Path) -> None:
    article = read_text(write(tmp_path, "عنوان   الخبر\nعنوان الخبر\xa0\nنص.\n"))
    assert article.title == "عنوان الخبر"
    assert article.dropped == ("عنوان الخبر",)


def test_windows_line_endings_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeffعنوان\r\n\r\nنص أول.\r\nنص ثان.\r\n".encode())
    article = read_text(path)
    assert article.title == "عنوان"
    assert article.sections[0].paragraphs == ("نص أول.", "نص ثان.")


# -- errors --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty"),
        (b" \n\t\r\n  \n", "only whitespace"),
        ("\xa0\n".encode(), "only whitespace"),
        ("عنوان فقط\n".encode(), "no body text"),
        ("عنوان\nعنوان\n".encode(), "no body text"),
        ("Café au lait\nUn texte français.\n".encode("latin-1"), "not UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("عنوان\n\x00نص.\n".encode(), "binary"),
    ],
)
def test_unreadable_articles(tmp_path: Path, data: bytes, problem: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(ArticleError, match=problem) as info:
        read_text(path)
    assert info.value.path == path


def test_not_utf8_suggests_resaving(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes("Café au lait\nUn texte français.\n".encode("latin-1"))
    with pytest.raises(ArticleError, match="re-save it as UTF-8"):
        read_text(path)


def test_os_error_becomes_article_error(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match="cannot be read"):
        read_text(tmp_path / "missing.txt")
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    with pytest.raises(ArticleError, match="cannot be read"):
        read_text(folder)
