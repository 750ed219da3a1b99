"""Scrape debris run into the text: entities, glued captions and tails, signatures, sources.

The articles in `tests/data/corpus/debris/` are real SaudiNewsNet articles
(2015), each chosen for one kind of debris; the expectations were written by
reading each file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nashra.readers import bylines
from nashra.readers.bylines import SourcesFileError, is_source, load_names, parse_byline
from nashra.readers.debris import (
    is_debris_line,
    remove_hidden_addresses,
    signature,
    split_glued_caption,
    split_glued_tail,
    unescape,
)
from nashra.readers.text import read_text

DEBRIS = Path(__file__).parents[1] / "data" / "corpus" / "debris"
RLM = "\u200f"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(text, encoding="utf-8")
    return path


# -- real articles --------------------------------------------------------------

# (file, author, the lead's first words, the text's last words, what is dropped)
REAL = [
    # alweeam runs "link to the story in al-Weeam: TITLE" onto the last sentence.
    (
        "alweeam-link-glued.txt",
        None,
        "كشفت مصادر من داخل صنعاء",
        "قرار مجلس الأمن الدولي 2216.",
        ["رابط الخبر بصحيفة الوئام: عائلة صالح تغادر “صنعاء” ومفاوضات للسماح للمخلوع بالمغادرة"],
    ),
    # almadina glues the columnist's address to its SMS boilerplate.
    (
        "almadina-sms.txt",
        None,
        "خبرُ صحيفةِ عكاظ يومَ الاثنين",
        "أوضاعُنا الصحيةُ حينهَا!",
        [
            "aalorabi@hotmail.com",
            "للتواصل مع الكاتب ارسل رسالة SMS تبدأ بالرمز (10) ثم مسافة ثم نص الرسالة إلى"
            " 88591 - Stc 635031 - Mobily 737221 - Zain",
        ],
    ),
    # okaz puts them on two lines of their own.
    (
        "okaz-sms.txt",
        None,
        "ماذا لو شكلنا لجنة",
        "والمتحرش «يباري الساس»!.",
        [
            "jehat5@yahoo.com",
            "للتواصل أرسل sms إلى 88548 الاتصالات، 636250 موبايلي، 738303 زين تبدأ بالرمز 153"
            " مسافة ثم الرسالة",
        ],
    ),
    # The desk that wrote it, starred and run onto the last sentence: the author.
    (
        "aleqtisadiya-signature-glued.txt",
        "وحدة التقارير الاقتصادية",
        "خسر مؤشر سوق الأسهم السعودية",
        "بينما الدعم سيكون عند 9270.",
        ["*وحدة التقارير الاقتصادية"],
    ),
    # A closing "- NAME" line signs the article.
    (
        "aljazirah-signature-dash.txt",
        "فاطمة الحسين",
        "يحتفل العالم هذا العام 2015",
        "وما فائدة الطفل من ذلك؟",
        ["- فاطمة الحسين"],
    ),
    # ...and "NAME - PLACE" too.
    (
        "aljazirah-signature-place.txt",
        "أحلام الفهمي",
        "جوسلين.. المرأة البسيطة",
        "ما لا يستطيع المال شراءه.",
        ["أحلام الفهمي - الدمام"],
    ),
    # A poem signed under its last verse: the verses are read, the name is the author.
    (
        "aljazirah-poem-signature.txt",
        "محمد الخضري",
        "كنت ذات يوم هنا...",
        "ويعود بعد ألف عام",
        ["ربما...", "- محمد الخضري"],
    ),
    # The caption "من المعايدة" ("at the celebration") runs into the lead with only
    # a right-to-left mark between them.
    (
        "aljazirah-caption-glued.txt",
        None,
        "تواصلت فعاليات العيد بمركز",
        "لرسم البسمة على شفاه المرضى.",
        ["من المعايدة"],
    ),
    # A byline with tatweel for a dash.
    (
        "sabq-tatweel-dash.txt",
        "سبق",
        "ضبط مفتشو مكتب العمل بأبها",
        "للتأكد من تطبيق نظام الإقامة والعمل.",
        ["سبق ـ أبها:"],
    ),
    # A news service's credit after the text.
    (
        "aawsat-service-credit.txt",
        None,
        "استعانت الحكومة الهولندية",
        "752 مليار يورو عام 2013.",
        ["* خدمة «نيويورك تايمز»"],
    ),
    # The heading's dash is inside «…»: a title, not "NAME ـ SOURCE"; the real
    # byline is glued to the lead under it.
    (
        "aawsat-quoted-dash-heading.txt",
        "الشرق الأوسط",
        "تنطلق النسخة العربية من موقع",
        "في أبريل (نيسان) الماضي.",
        ["لندن - «الشرق الأوسط»:"],
    ),
    # Cloudflare's hidden address, left behind as text.
    (
        "alweeam-cloudflare-email.txt",
        None,
        "تختلف حاجات البشر",
        "الاستفسارات عبر البريد الإلكتروني:",
        ["[email protected] /* */"],  # a no-break space in the file
    ),
    # The Saudi Press Agency's dated dateline, end mark and time stamp.
    (
        "was-end-marks.txt",
        "واس",
        "هطلت يوم أمس أمطار",
        "وعم بنفعها أرجاء البلاد .",
        [
            "جدة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس",
            "// انتهى //",
            "15:11 ت م",
        ],
    ),
    # A tag list run onto the last sentence; presentation forms in the title.
    (
        "3alyoum-presentation-forms.txt",
        "أحمد البشيري",
        "صرح المتحدث الرسمي",
        "لمستشفى بلجرشي العام.",
        ["أحمد البشيري-الباحة", "سمات احتجاز الهلال الاحمر بالباحة محافظة بلجرشي"],
    ),
]


@pytest.mark.parametrize(("name", "author", "first", "last", "dropped"), REAL)
def test_real_debris(
    name: str, author: str | None, first: str, last: str, dropped: list[str]
) -> None:
    article = read_text(DEBRIS / name)
    assert article.author == author
    assert article.sections[0].paragraphs[0].startswith(first)
    assert article.sections[-1].paragraphs[-1].endswith(last)
    assert list(article.dropped) == dropped


def test_entities_and_presentation_forms_in_titles() -> None:
    assert read_text(DEBRIS / "alyaum-entities.txt").title == (
        "الهند تشدد الأمن على الحدود مع باكستان بعد هجوم في 'البنجاب'"
    )
    # ﻷ (U+FEF7) is the shape of لأ.
    assert read_text(DEBRIS / "3alyoum-presentation-forms.txt").title == (
        "احتجاز 3 أشخاص بعقبة الأبناء ببلجرشي"
    )


# -- the pieces, in small variants ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("&#39;سيناء&#39;", "'سيناء'"),
        ("سلطان ا&#65271;حمري", "سلطان الأحمري"),
        ("&quot;عمل أبها&quot;", '"عمل أبها"'),
        ("الأرباح &amp; الخسائر", "الأرباح & الخسائر"),
        ("&nbsp;متعب", "\xa0متعب"),
        ("&#x627;&#x644;", "ال"),
        ("AT&T و S&P 500", "AT&T و S&P 500"),  # a bare ampersand is text
        ("ﺍﻟﺤﻮﺛﻴﻴﻦ", "الحوثيين"),  # presentation forms, as aawsat has them
    ],
)
def test_unescape(text: str, plain: str) -> None:
    assert unescape(text) == plain


def test_glued_caption_needs_a_mark_and_a_lead() -> None:
    lead = "تواصلت فعاليات العيد بمركز الأمير فيصل بن بندر للأورام بالقصيم، وقام المشرف العام."
    assert split_glued_caption(f" من المعايدة{RLM}{lead}") == ("من المعايدة", lead)
    # A clitic split from its word by a mark (و‏في) is one word, not a caption.
    assert split_glued_caption(f"و{RLM}في عام 1981 أخرج فيلمه الأول عيون لا تنام بعد سنوات") is None
    # No mark, no caption: nothing shows where it would end.
    assert split_glued_caption(f"من المعايدة {lead}") is None
    # A short line is a heading, not a lead with a caption.
    assert split_glued_caption(f"من المعايدة{RLM}تواصلت الفعاليات") is None


@pytest.mark.parametrize(
    ("line", "caption"),
    [
        # The aljazirah caption again, glued this time to a dateline with no mark.
        ("من المعايدةالرياض - واس: تواصلت فعاليات العيد بمركز الأمير فيصل للأورام.", "من المعايدة"),
        ("الأمير خلال الحفلجدة - الجزيرة: رعى الأمير حفل تخريج الدفعة.", "الأمير خلال الحفل"),
    ],
)  # fmt: skip
def test_glued_caption_before_a_dateline(line: str, caption: str) -> None:
    found = split_glued_caption(line)
    assert found is not None and found[0] == caption
    assert found[1] == line[len(caption) :]


@pytest.mark.parametrize(
    "line",
    [
        # Clitics before a place, and a place inside the text, are no captions.
        "وبالرياض - واس: تواصلت فعاليات العيد بمركز الأمير فيصل بن بندر للأورام.",
        "سبق - جدة: تواصلت فعاليات العيد بمركز الأمير فيصل بن بندر للأورام.",
        "قال مدير الفرع بالرياض: إن الفعاليات تواصلت في مركز الأمير فيصل للأورام.",
    ],
)
def test_no_caption_before_a_dateline(line: str) -> None:
    assert split_glued_caption(line) is None


def test_glued_caption_only_on_the_lead(tmp_path: Path) -> None:
    lead = "تواصلت فعاليات العيد بمركز الأمير فيصل بن بندر للأورام بالقصيم، وقام المشرف العام."
    first = "نص أول طويل بما يكفي ليكون فقرة كاملة من فقرات الخبر."
    text = f"العنوان\n\n{first}\nمن المعايدة{RLM}{lead}\n"
    article = read_text(write(tmp_path, text))
    assert article.sections[0].paragraphs[1] == f"من المعايدة{lead}"
    assert article.dropped == ()


@pytest.mark.parametrize(
    ("paragraph", "text", "tail", "name"),
    [
        ("نص. رابط الخبر بصحيفة الوئام: عنوان", "نص.", "رابط الخبر بصحيفة الوئام: عنوان", None),
        ("نص. اقرأ أيضاً: ارتفاع أسعار النفط", "نص.", "اقرأ أيضاً: ارتفاع أسعار النفط", None),
        ("نص الخبر.أخبار ذات صلة", "نص الخبر.", "أخبار ذات صلة", None),
        ("نص الخبر. شارك هذا الخبر", "نص الخبر.", "شارك هذا الخبر", None),
        ("نص الخبر. تابعونا على تويتر", "نص الخبر.", "تابعونا على تويتر", None),
        ("نص المقال. name@example.com", "نص المقال.", "name@example.com", None),
        ("نص المقال.» @z4alajmi", "نص المقال.»", "@z4alajmi", None),
        ("نص. * وحدة التقارير", "نص.", "* وحدة التقارير", "وحدة التقارير"),
        ("نص. * كاتب من مصر", "نص.", "* كاتب من مصر", None),
        ("نص ...المزيد", "نص", "...المزيد", None),
        # From alweeam: the link after a hashtag, with no sentence ended before it.
        (
            "السُجــدا #تفجير_طوارئ_عسير رابط الخبر بصحيفة الوئام: “داعش“",
            "السُجــدا #تفجير_طوارئ_عسير",
            "رابط الخبر بصحيفة الوئام: “داعش“",
            None,
        ),
        # From almadina: the writer's name and address glued onto the last sentence.
        (
            "والعلم والرحمة.محمد حسين آل هويديnafezah@yahoo.com",
            "والعلم والرحمة.",
            "محمد حسين آل هويديnafezah@yahoo.com",
            "محمد حسين آل هويدي",
        ),
        ("نص الخبر. سمات الرياض الأمطار", "نص الخبر.", "سمات الرياض الأمطار", None),
    ],
)  # fmt: skip
def test_glued_tails(paragraph: str, text: str, tail: str, name: str | None) -> None:
    assert split_glued_tail(paragraph) == (text, tail, name)


@pytest.mark.parametrize(
    "paragraph",
    [
        # The same words inside a sentence are text.
        "وقال إن رابط الخبر لم يعمل. ثم أضاف أنه سيعود.",
        "ودعا الجميع إلى أن يقرأ أيضا ما كتب عن الموضوع.",
        "سمات القائد الناجح كثيرة، أهمها الصبر.",
        "وأضاف: نص. سمات القائد كثيرة، أهمها الصبر.",
        "الأرقام 3 * 4 تساوي 12.",
    ],
)
def test_no_glued_tail(paragraph: str) -> None:
    assert split_glued_tail(paragraph) is None


@pytest.mark.parametrize(
    "line",
    [
        "m.althaidy@asharqalawsat.com",
        "لمراسلة الكاتب: malmutairi@alriyadh.net",
        "twitter:@Dr_AhmedKhalil",
        "للتواصل : zrommany3@gmail.com",
        "20:26 ت م",
        "// انتهى //",
        "* بالاتفاق مع «بلومبيرغ»",
        "* خدمة: «واشنطن بوست»",
        "خاص بـ«الشرق الأوسط»",
        "...المزيد",
        "مقالات أخرى للكاتب",
        "737221 - Zain",
        "ثم الرسالة",
        "188 مسافة ثم الرسالة",
    ],
)
def test_debris_lines(line: str) -> None:
    assert is_debris_line(line)


def test_hidden_addresses_are_not_read() -> None:
    line = "أو البريد الإلكتروني [email\xa0protected] /* */، بدءاً من تاريخ 1"
    assert remove_hidden_addresses(line) == "أو البريد الإلكتروني، بدءاً من تاريخ 1"
    # Alone on its line it stays, to be dropped as a debris line.
    assert remove_hidden_addresses("[email protected] /* */") == "[email protected] /* */"


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("- خالد الدوس", "خالد الدوس"),
        ("- مندل عبدالله القباع", "مندل عبدالله القباع"),
        ("* وحدة التقارير الاقتصادية", "وحدة التقارير الاقتصادية"),
        ("— سليمان بن علي النهابي", "سليمان بن علي النهابي"),
        ("- تحفظ", None),  # one word is not a name
        ("* أكاديمي سعودي", None),  # about the writer
        ("* كاتب من مصر", None),
        ("- ترجمة/ بثينة الإبراهيم (بتصرّف)", None),
        ("- وادي الفرع", None),
        ("صالح الزهراني", None),  # unmarked: as often a caption
        ("- قال الوزير: لا.", None),
    ],
)
def test_signatures(line: str, name: str | None) -> None:
    assert signature(line) == name


def test_signature_names_the_author_over_a_paper(tmp_path: Path) -> None:
    text = "عنوان\nجدة - الجزيرة:\nنص الخبر الأول.\nنص ثان.\n- خالد الدوس\n"
    article = read_text(write(tmp_path, text))
    assert article.author == "خالد الدوس"
    assert article.sections[0].paragraphs == ("نص الخبر الأول.", "نص ثان.")


def test_a_person_in_the_byline_beats_the_signature(tmp_path: Path) -> None:
    text = "عنوان\nكتب: سارة علي\nنص الخبر الأول.\n- وحدة التقارير\n"
    assert read_text(write(tmp_path, text)).author == "سارة علي"


def test_last_item_of_a_dashed_list_is_not_a_signature(tmp_path: Path) -> None:
    text = "عنوان\nومن أهم التوصيات:\n- تحسين الخدمات الصحية\n- خالد الدوس\n"
    article = read_text(write(tmp_path, text))
    assert article.author is None
    assert article.sections[0].paragraphs[-1] == "خالد الدوس"


# -- bylines -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "author"),
    [
        # Real bylines from the archive's author fields.
        ("حمزة بوفهيد ـ الأحساء", "حمزة بوفهيد"),  # tatweel as a dash
        ("الرياض ـ الرياضية", "الرياضية"),
        ("&nbsp;\u200fمتعب العبيد (الرياض)", "متعب العبيد"),  # entity, mark, (PLACE)
        ("أبها - سلطان ا&#65271;حمري", "سلطان الأحمري"),
        ("الرس - أحمد الحمياني / تصوير - صالح العقيل:", "أحمد الحمياني"),
        ("جدة 25 شوال 1436 هـ الموافق 10 اغسطس 2015 م واس", "واس"),
        # Every other dash a keyboard or a word processor makes.
        ("محمد علي — دبي", "محمد علي"),
        ("محمد علي ‒ دبي", "محمد علي"),
        ("محمد علي − دبي", "محمد علي"),
        ("محمد علي ‐ دبي", "محمد علي"),
        ("محمد علي － دبي", "محمد علي"),
        ("محمد علي | دبي", "محمد علي"),
        # Papers and agencies across the Arab world.
        ("القاهرة - الأهرام", "الأهرام"),
        ("الرباط - هسبريس", "هسبريس"),
        ("الكويت - القبس", "القبس"),
        ("بيروت - النهار", "النهار"),
        ("عمّان - بترا", "بترا"),
        ("الجزائر - واج", "واج"),
        ("دبي - سكاي نيوز عربية", "سكاي نيوز عربية"),
        ("المنامة - بنا", "بنا"),
        ("تونس - وات", "وات"),
    ],
)
def test_more_byline_forms(tmp_path: Path, line: str, author: str) -> None:
    path = write(tmp_path, f"عنوان الخبر\n\n{line}\n\nنص الخبر الأول.\n")
    article = read_text(path)
    assert article.author == author
    assert article.sections[0].paragraphs == ("نص الخبر الأول.",)


@pytest.mark.parametrize(
    "line",
    [
        "انطلاق «هافينغتون بوست ـ عربي» اليوم",  # the dash is inside the quoted name
        "وزير الخارجية (السابق)",
        "ولد في 25 شوال 1436 هـ في قرية صغيرة",
    ],
)
def test_not_bylines(line: str) -> None:
    assert parse_byline(line) is None


def test_sources_are_data_across_the_arab_world() -> None:
    # At least 80 papers, channels and agencies, from the Gulf to the Maghreb.
    assert len(bylines.SOURCES) >= 80
    papers = ["الخليج", "القبس", "الراية", "النهار", "الأهرام", "هسبريس", "وات"]
    for name in [*papers, "اليوم السابع", "الشروق الجزائرية"]:
        assert is_source(name), name
    assert not is_source("خالد البراك")
    # A city that is also a paper is a place in a dateline.
    assert parse_byline("الرياض - عماد الصائغ") == parse_byline("عماد الصائغ - الرياض")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[places\n", "sources.toml"),
        ("[places]\na = []\n[sources]\nb = []\n", r"\[staff\] is missing"),
        ('[places]\na = "الرياض"\n[sources]\n[staff]\n', "places.a must be a list"),
        ('[places]\na = ["", "x"]\n[sources]\n[staff]\n', "places.a must be a list"),
    ],
)
def test_bad_sources_file(text: str, problem: str) -> None:
    with pytest.raises(SourcesFileError, match=problem):
        load_names(text)


def test_caption_glued_to_the_dateline_is_dropped_and_the_dateline_read(tmp_path: Path) -> None:
    lead = "من المعايدةالرياض - واس: تواصلت فعاليات العيد بمركز الأمير فيصل للأورام بالقصيم."
    article = read_text(write(tmp_path, f"مركز الأورام يعايد المرضى\n\n{lead}\n"))
    assert article.author == "واس"
    assert article.sections[0].paragraphs == (
        "تواصلت فعاليات العيد بمركز الأمير فيصل للأورام بالقصيم.",
    )
    assert article.dropped == ("من المعايدة", "الرياض - واس:")
