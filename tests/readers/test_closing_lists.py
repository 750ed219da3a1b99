"""What closes an article: the list its last paragraph announces, and glued share rows.

The articles in `tests/data/readers/` are real SaudiNewsNet articles (see its
README); the expectations were written by reading each file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nashra.core.model import Article
from nashra.readers.debris import holds_address, split_share_rows
from nashra.readers.text import read_text

DATA = Path(__file__).parents[1] / "data" / "readers"
SHARE_ROW = "شارك من خلال تويتر فيسبوك جوجل بلس اكتب رأيك"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(text, encoding="utf-8")
    return path


def read_aloud(article: Article) -> list[str]:
    return [p for section in article.sections for p in section.paragraphs]


# -- a closing list that its paragraph announced ----------------------------------


def test_the_womens_ranking_closing_the_article_is_read() -> None:
    article = read_text(DATA / "aawsat-tennis-rankings.txt")
    paragraphs = read_aloud(article)
    men = paragraphs.index("ترتيب اللاعبين العشرة الأوائل:")
    women = paragraphs.index("ترتيب اللاعبات العشر الأوليات:")
    assert paragraphs[men + 1] == "1 - الصربي نوفاك ديوكوفيتش 13755 نقطة"
    assert paragraphs[women + 1] == "1 - الأميركية سيرينا ويليامس 12371 نقطة"
    assert paragraphs[-1] == "10 - الإسبانية كارلا سواريز نافارو 3195"
    assert len(paragraphs) - women - 1 == women - men - 1 == 10
    assert article.dropped == ()


def test_the_womens_id_numbers_closing_the_article_are_read() -> None:
    article = read_text(DATA / "alweeam-accepted-ids.txt")
    paragraphs = read_aloud(article)
    women = paragraphs.index("المقبولات من النساء:")
    assert paragraphs[women + 1] == "1071966582"
    assert paragraphs[-1] == "1073806273"
    assert len(paragraphs) - women - 1 == 44
    # Only the paper's link to the story is dropped.
    assert [line.split(":")[0] for line in article.dropped] == ["رابط الخبر بصحيفة الوئام"]


LEAD = (
    "أعلنت الوزارة اليوم نتائج القبول المبدئي لبرنامج التدريب المنتهي بالتوظيف، ودعت المقبولين"
    " إلى مراجعة الإدارة في الموعد المحدد."
)


def test_short_lines_after_a_paragraph_that_announces_nothing_are_dropped(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, f"عنوان\n\n{LEAD}\nأخبار الوزارة\nنتائج القبول\nصور من الحفل\n")
    article = read_text(path)
    assert read_aloud(article) == [LEAD]
    assert article.dropped == ("أخبار الوزارة", "نتائج القبول", "صور من الحفل")


@pytest.mark.parametrize(
    ("after", "read", "dropped"),
    [
        # An address ends what was announced: the rest is the columnist's contact.
        (
            ["{وما تنفقوا من خير يعلمه الله}", "aokhayat@yahoo.com", "الاتصالات ,636250 موبايلي"],
            ["{وما تنفقوا من خير يعلمه الله}"],
            ["aokhayat@yahoo.com", "الاتصالات ,636250 موبايلي"],
        ),
        # A link announced by "the link below:" is not read.
        (
            ["http://www.mcs.gov.sa/InformationCenter/News"],
            [],
            ["http://www.mcs.gov.sa/InformationCenter/News"],
        ),
        # A handle written backwards by a right-to-left page.
        (["قصيدة", "تويتر: mohsnAlMutlaq@"], ["قصيدة"], ["تويتر: mohsnAlMutlaq@"]),
    ],
)
def test_an_announced_list_ends_at_an_address(
    tmp_path: Path, after: list[str], read: list[str], dropped: list[str]
) -> None:
    text = "\n".join(
        ["عنوان", "", LEAD, "وللاطلاع على الأسماء، يمكن الانتقال إلى الرابط التالي:", *after]
    )
    article = read_text(write(tmp_path, text))
    assert read_aloud(article) == [
        LEAD,
        "وللاطلاع على الأسماء، يمكن الانتقال إلى الرابط التالي:",
        *read,
    ]
    assert list(article.dropped) == dropped


def test_announced_photo_captions_are_dropped(tmp_path: Path) -> None:
    # arriyadiyah, 2015-08-11: "photo captions:" and the caption after the text.
    caption = "صورة جماعية لبعثة المنتخب السعودي للتايكوندو في تركيا"
    article = read_text(write(tmp_path, f"عنوان\n\n{LEAD}\nشرح الصور:\n{caption}\n"))
    assert read_aloud(article) == [LEAD, "شرح الصور:"]
    assert article.dropped == (caption,)


# -- okaz's share row, run into the lead -------------------------------------------


def test_okaz_share_row_glued_to_the_lead_is_dropped() -> None:
    article = read_text(DATA / "okaz-share-row.txt")
    lead = read_aloud(article)[0]
    assert lead.startswith("اختار السيرك العالمي الإيطالي «بيلوتشي» جدة محطة لفعالياته")
    assert article.dropped == (SHARE_ROW,)
    assert not any("تويتر" in p or "اكتب رأيك" in p for p in read_aloud(article))


@pytest.mark.parametrize(
    ("paragraph", "text", "rows"),
    [
        (f"{SHARE_ROW} اختار السيرك جدة.", "اختار السيرك جدة.", [SHARE_ROW]),
        (f"اختار السيرك جدة. {SHARE_ROW}", "اختار السيرك جدة.", [SHARE_ROW]),
        (f"اختار السيرك جدة.{SHARE_ROW}", "اختار السيرك جدة.", [SHARE_ROW]),
        (SHARE_ROW, "", [SHARE_ROW]),
        ("شارك عبر: تويتر | فيسبوك | واتساب", "", ["شارك عبر: تويتر | فيسبوك | واتساب"]),
    ],
)
def test_share_rows_run_into_a_paragraph(paragraph: str, text: str, rows: list[str]) -> None:
    assert split_share_rows(paragraph) == (text, rows)


@pytest.mark.parametrize(
    "paragraph",
    [
        # The verb with its object, not a row of buttons (okaz and aljazirah, 2015).
        "شارك من خلال برامج تنمية الإبداع وحل المشكلات والتفكير الناقد.",
        "وشارك في حملة التبرع التي استمرت سبع ساعات عدد من المواطنين.",
        # One network, or two joined by "و", is a sentence about them.
        "شارك من خلال تويتر في النقاش.",
        "شارك عبر تويتر وفيسبوك آلاف المستخدمين في الحملة.",
    ],
)
def test_not_share_rows(paragraph: str) -> None:
    assert split_share_rows(paragraph) == (paragraph, [])


@pytest.mark.parametrize(
    ("line", "holds"),
    [
        ("http://www.oco.org.om/Default.aspx", True),
        ("الموقع www.burberry.com", True),
        ("rb-khozama@alriyadh.com", True),
        ("NOUF8558@", True),
        ("حساب المكتب في بنك البلاد:", False),
        ("1 - الصربي نوفاك ديوكوفيتش 13755 نقطة", False),
    ],
)
def test_holds_address(line: str, holds: bool) -> None:
    assert holds_address(line) is holds


def test_a_row_of_buttons_and_a_line_of_buttons_know_the_same_networks(tmp_path: Path) -> None:
    # Snapchat was known to lines of buttons only, YouTube to rows run into a paragraph.
    row = "شارك عبر: سناب شات | يوتيوب"
    assert split_share_rows(f"اختار السيرك جدة. {row}") == ("اختار السيرك جدة.", [row])
    buttons = "تويتر | يوتيوب"
    article = read_text(write(tmp_path, f"عنوان\n\n{LEAD}\n{buttons}\n"))
    assert (read_aloud(article), article.dropped) == ([LEAD], (buttons,))
