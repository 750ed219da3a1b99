"""An imported article's author field read as the byline it is (bylines.author_of).

The cases are author fields of the SaudiNewsNet archive (2015), as the papers
wrote them: a place, an agency, a paper and a person in every order.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from nashra.config.settings import Audio
from nashra.readers import read_article
from nashra.readers.bylines import author_of, split_byline
from nashra.readers.importing import import_files
from nashra.stages.script import BYLINE_PREFIX, SOURCE_PREFIX, make_script


@pytest.mark.parametrize(
    ("field", "author"),
    [
        # PLACE - AGENCY, AGENCY - PLACE, with or without the closing colon
        ("الرياض - واس:", "واس"),
        ("الرياض - واس", "واس"),
        ("واس - الرياض", "واس"),
        ("الرياض-الوئام:", "الوئام"),
        ("جدة : واس", "واس"),
        ("لندن - د ب أ", "د ب أ"),
        ("بغداد - د. ب. أ", "د. ب. أ"),
        ("سوروتش - (أ.ف.ب):", "أ.ف.ب"),
        ("ميامي - (رويترز):", "رويترز"),
        ("دكار - أ ف ب", "أ ف ب"),  # a place our lists lack, beside an agency
        # PLACE: «PAPER», the place known or not
        ("لندن: «الشرق الأوسط»", "الشرق الأوسط"),
        ("لندن: «الشرق الأوسط أونلاين»", "الشرق الأوسط أونلاين"),
        ("تل أبيب: «الشرق الأوسط»", "الشرق الأوسط"),
        ("واشنطن - لندن: «الشرق الأوسط»", "الشرق الأوسط"),
        ("سروج (تركيا) - لندن: {الشرق الأوسط}", "الشرق الأوسط"),
        # PAPER من PLACE, NAME من PLACE
        ("«الاقتصادية» من الرياض", "الاقتصادية"),
        ("الاقتصادية الإلكترونية من الرياض", "الاقتصادية الإلكترونية"),
        ("سايمون موندي من سيئول", "سايمون موندي"),
        ("* أحمد الرشيد من الرياض", "أحمد الرشيد"),
        # PLACE - PERSON, PERSON - PLACE, PERSON (PLACE), PLACE: PERSON
        ("جدة - صالح الرويس", "صالح الرويس"),
        ("محمد سعيد الشريف - جدة", "محمد سعيد الشريف"),
        ("عبدالله الحرازي - الرياض", "عبدالله الحرازي"),
        ("الجزيرة - عبدالرحمن المصيبيح:", "عبدالرحمن المصيبيح"),
        ("فارس القحطاني (الرياض)", "فارس القحطاني"),
        ("نادر العنزي (تبوك ـ هاتفياً عمان)", "نادر العنزي"),
        ("الحديدة (اليمن): وائل حزام", "وائل حزام"),
        ("تل أبيب: نظير مجلي", "نظير مجلي"),
        ("عكاظ (جدة)", "عكاظ"),
        ("رويترز (مانيلا)", "رويترز"),
        ("كتب - عيسى الحكمي:", "عيسى الحكمي"),
        ("حائل، تحقيق - منال الزايد", "منال الزايد"),
        ("الرياض - أسامة النعيمة، حمد الصويلحي", "أسامة النعيمة"),
        ("عبدالله الصقير (جدة) عبدالعزيز الرويلي (تبوك)", "عبدالله الصقير"),
        # a name alone stays as written, titles and all
        ("رويترز", "رويترز"),
        ("فهد عامر الأحمدي", "فهد عامر الأحمدي"),
        ("د. سليمان الخطاف", "د. سليمان الخطاف"),
        ("اللواء الركن م. سلامة بن هذال بن سعيدان", "اللواء الركن م. سلامة بن هذال بن سعيدان"),
        ("مـازن السديري*", "مـازن السديري"),
        # a place alone, two places, or a scraped paragraph: nobody
        ("لندن", None),
        ("الرياض", "الرياض"),  # alone, the paper (it is a city too)
        ("دبي - الرياض", None),
        # 2015-08-11: a scraper's time stamp, places and agencies our lists lacked, a
        # place with no dash, the paper's "exclusive", its envoy; a number is no name
        ("| Tuesday, 11 August 2015 - 00:00 am", None),
        ("برلين - (أ ف ب) | Tuesday, 11 August 2015 - 13:07 pm", "أ ف ب"),
        ("باريس – الرياضية | Tuesday, 11 August 2015 - 18:07 pm", "الرياضية"),
        ("لوس أنجليس - د ب أ", "د ب أ"),
        ("لوس انجليس - (رويترز):", "رويترز"),
        ("ساو باولو ـ رويترز:", "رويترز"),
        ("تبيليسي ـ الفرنسية:", "الفرنسية"),
        ("وكالات- رود أيلاند", "وكالات"),
        ("كاليفورنيا - الرياض", None),
        ("برلين أ ف ب", "أ ف ب"),
        ("الرياض محمد الهمزاني", "محمد الهمزاني"),
        ("صنعاء - خاص بالرياض", "الرياض"),
        ("دبي - الموفد الإعلامي - علي الأحمدي:", "علي الأحمدي"),
        ("المهندس بندر 77", None),
        ('"سبق" تقول للمسؤول: الفساد.. الفساد.. كلمة مخيفة، مرعبة، وقبيحة', None),
        ("- هل نحن مقبلون على انهيار كبير لأسعار النفط؟ وما الذي ينتظرنا بعده", None),
    ],
)
def test_author_fields_of_the_archive(field: str, author: str | None) -> None:
    assert author_of(field) == author


def test_an_imported_byline_is_spoken_as_its_author_not_as_a_pen(tmp_path: Path) -> None:
    records = [
        {
            "source": "aawsat",
            "url": f"http://aawsat.com/{n}",
            "date_extracted": "2015-07-22 10:00:00",
            "title": f"خبر رقم {n}",
            "author": author,
            "content": "فقرة من الخبر.",
        }
        for n, author in enumerate(["لندن: «الشرق الأوسط»", "الرياض - واس:", "جدة - صالح الرويس"])
    ]
    day = tmp_path / "2015-07-22.zip"
    with zipfile.ZipFile(day, "w") as archive:
        archive.writestr("2015-07-22.json", json.dumps(records, ensure_ascii=False))
    written = import_files("saudinewsnet", [day], tmp_path / "articles").written
    spoken = set()
    for path in written:
        article = read_article(path)
        script = make_script(article, Audio())
        spoken.add(script.utterances[1].written)
    assert spoken == {
        f"{SOURCE_PREFIX} الشرق الأوسط",
        f"{SOURCE_PREFIX} واس",
        f"{BYLINE_PREFIX} صالح الرويس",
    }


def _import_day(tmp_path: Path, records: list[tuple[str | None, str]]) -> list[Path]:
    """Import (author field, content) records as SaudiNewsNet's 2015-08-11 holds them."""
    items = [
        {
            "source": "3alyoum",
            "url": f"http://3alyoum.com/{n}",
            "date_extracted": "2015-08-11 10:00:00",
            "title": f"خبر رقم {n}",
            "author": author or "",
            "content": content,
        }
        for n, (author, content) in enumerate(records)
    ]
    day = tmp_path / "2015-08-11.zip"
    with zipfile.ZipFile(day, "w") as archive:
        archive.writestr("2015-08-11.json", json.dumps(items, ensure_ascii=False))
    written = import_files("saudinewsnet", [day], tmp_path / "articles").written
    return sorted(written, key=lambda p: read_article(p).title)


TEXT = "أعلنت الوزارة اليوم عن خطة جديدة لتطوير الخدمات."


@pytest.mark.parametrize(
    ("field", "content", "author", "said"),
    [
        # the byline as the text's first line, and no author field
        (None, f"داليا أبوالعيش – عين اليوم\n{TEXT}", "داليا أبوالعيش", "بقلم داليا أبوالعيش"),
        (None, f"عين اليوم – جدة\n{TEXT}", "عين اليوم", "المصدر: عين اليوم"),
        (None, f"Next Previous عين اليوم – جدة\n{TEXT}", "عين اليوم", "المصدر: عين اليوم"),
        (
            None,
            f"الدمام 26 شوال 1436 هـ الموافق 11 اغسطس 2015 م واس\n{TEXT}",
            "واس",
            "المصدر: واس",
        ),
        # glued before the first paragraph's colon
        (None, f"الرياض - واس: {TEXT}", "واس", "المصدر: واس"),
        # a writer in the text beats an agency in the field; a writer in the field stays
        ("الرياض - واس:", f"الرياض - محمد الحيدر\n{TEXT}", "محمد الحيدر", "بقلم محمد الحيدر"),
        ("صالح الرويس", f"عين اليوم – جدة\n{TEXT}", "صالح الرويس", "بقلم صالح الرويس"),
    ],
)
def test_a_byline_the_text_starts_with_is_not_read_as_text(
    tmp_path: Path, field: str | None, content: str, author: str, said: str
) -> None:
    [path] = _import_day(tmp_path, [(field, content)])
    article = read_article(path)
    spoken = [u.written for u in make_script(article, Audio()).utterances]

    assert article.author == author
    assert article.lead == TEXT
    assert spoken == ["خبر رقم 0", said, TEXT]
    assert "byline: " in path.read_text(encoding="utf-8")  # what the import took, kept


@pytest.mark.parametrize(
    ("paragraphs", "author", "taken", "rest"),
    [
        (["نايف عبدالله – عين اليوم", TEXT], "نايف عبدالله", ["نايف عبدالله – عين اليوم"], [TEXT]),
        # the writer, then a credit; a name alone is no byline, a second one the text's
        (["حاتم النجيمي", "تربة - سبق", TEXT], None, [], ["حاتم النجيمي", "تربة - سبق", TEXT]),
        (["خالد خليل- سبق- متابعة:", "تصوير: علي أحمد", TEXT], "خالد خليل", 2, [TEXT]),
        (["جدة - صالح الرويس", "الرياض - محمد الحيدر", TEXT], "صالح الرويس", 1, None),
        # a text that is all byline is left whole
        (["داليا أبوالعيش – عين اليوم"], None, [], ["داليا أبوالعيش – عين اليوم"]),
        ([TEXT], None, [], [TEXT]),
    ],
)
def test_split_byline(
    paragraphs: list[str], author: str | None, taken: list[str] | int, rest: list[str] | None
) -> None:
    byline, took, after = split_byline(paragraphs)

    assert (byline.author if byline else None) == author
    assert took == (paragraphs[:taken] if isinstance(taken, int) else taken)
    assert after == (paragraphs[len(took) :] if rest is None else rest)
