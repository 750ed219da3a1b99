"""A photo caption run into the lead with no space and no mark: the lead's verb shows where.

Lines of the SaudiNewsNet archive (2015) as scraped (day and place in the day's file).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nashra.readers import read_article
from nashra.readers.debris import split_glued_caption

CAPTIONS = [
    (  # aljazirah 2015-07-23 #289: a name, then أعلن
        "الشعيبيأعلن معهد الإدارة العامة استمرار استقباله طلبات ترشيح الأجهزة الحكومية",
        "الشعيبي",
        "أعلن معهد الإدارة العامة",
    ),
    (  # aljazirah 2015-07-23 #294
        "سليمان الحربشأعلن أمس مدير عام صندوق الأوبك للتنمية الدولية (أوفيد) سليمان جاسر الحربش",
        "سليمان الحربش",
        "أعلن أمس مدير عام",
    ),
    (  # aljazirah 2015-07-23 #322: a phrase ending in ة, then the feminine أقامت
        "من المعايدةأقامت إدارة الدفاع المدني بالمجمعة معايدة لمنسوبيها، وذلك بمناسبة عيد الفطر",
        "من المعايدة",
        "أقامت إدارة الدفاع المدني",
    ),
    (  # aljazirah 2015-07-23 #432: a title with its dot
        "م. فهد المقحمبدأت الجمعية العلمية للطلبة السعوديين بالمملكة المتحدة باستقبال طلبات",
        "م. فهد المقحم",
        "بدأت الجمعية العلمية",
    ),
    (  # aljazirah 2015-07-23 #283: a shadda in the caption
        "الدخيّل خلال اجتماعأكد وزير التعليم الدكتور عزام بن محمد الدخيّل في الاجتماع الأول",
        "الدخيّل خلال اجتماع",
        "أكد وزير التعليم",
    ),
    (  # aljazirah 2015-07-22 #454: استقبلت after a plural
        "حلوى وابتسامة للمسافريناستقبلت جوازات مطار الملك عبدالله بمنطقة جازان المسافرين",
        "حلوى وابتسامة للمسافرين",
        "استقبلت جوازات مطار",
    ),
]

# Leads whose words end like a lead verb but are one word: not cut.
LEADS = [
    # alyaum 2015-07-22 #1734: للأرقام (قام)
    "اختتمت موبايلي مزاد «راقي» للأرقام المميزة الذي أقيم مؤخراً بفندق الفورسيزون بالرياض",
    # aawsat 2015-07-26 #124: استعادت (عادت)
    "استعادت السعودية حصتها النفطية في السوق الصينية في شهر يونيو (حزيران) الماضي",
    # alwatan 2015-08-10 #1030: تسارعت (رعت)
    "تسارعت الخطوات في نادي الاتحاد لحسم ملف اللاعبين الأجانب في الفريق الأول لكرة القدم",
    # alweeam 2015-07-22 #1505: استقدمت (a verb after است)
    "قالت مصادر خاصة أن “ميليشيا الحوثي وصالح استقدمت عدد من الشباب من عدة مناطق",
    # sabq 2015-07-25 #1517, after its dateline: سيتوجه (وجه)
    "سيتوجه بمشيئة الله تعالى خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود",
]


@pytest.mark.parametrize(("line", "caption", "lead"), CAPTIONS)
def test_caption_glued_to_the_lead_verb_is_cut(line: str, caption: str, lead: str) -> None:
    split = split_glued_caption(line)
    assert split is not None
    assert split[0] == caption
    assert split[1].startswith(lead)


@pytest.mark.parametrize("line", LEADS)
def test_a_word_ending_like_a_verb_is_not_a_caption(line: str) -> None:
    assert split_glued_caption(line) is None


def test_the_reader_drops_the_caption(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(f"العنوان\n\n{CAPTIONS[1][0]}.\n", encoding="utf-8")
    article = read_article(path)
    assert article.sections[0].paragraphs[0].startswith("أعلن أمس مدير عام")
    assert "سليمان الحربش" in article.dropped
