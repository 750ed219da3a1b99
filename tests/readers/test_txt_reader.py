"""The .txt reader on the real corpus and on small variants made in the test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nashra.core.errors import ArticleError
from nashra.core.model import Section
from nashra.readers.text import read_text
from nashra.text.normalize import normalize

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
    # The byline (its name is the author), the title twice more, and the
    # related-topics header.
    assert article.dropped == ("كتب: أحمد ماهر أبوالنصر", SEED_TITLE, SEED_TITLE, "مواضيع متعلقة")
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
    # The paper and the dateline, no person: the paper is the author.
    assert article.author == "عين اليوم"
    assert article.sections[0].paragraphs[0].startswith("وصف مفتي عام المملكة")
    assert len(article.sections[0].paragraphs) == 4


def test_trailing_tag_line_is_dropped() -> None:
    article = read_text(SAUDI / "07-3alyoum.txt")
    assert article.dropped[-1] == "سمات ابها المفتي تفجير عبدالعزيز بن عبدالله آل الشيخ عسير"


def test_trailing_news_link_line_is_dropped() -> None:
    article = read_text(SAUDI / "04-alweeam.txt")
    assert article.dropped == ("رابط الخبر بصحيفة الوئام: فتح مطار عدن أمام الطيران المدني غداَ",)
    assert len(article.sections[0].paragraphs) == 3
    assert article.sections[0].paragraphs[-1].startswith("وأشار الرحبي")


def test_byline_glued_to_the_first_paragraph() -> None:
    article = read_text(SAUDI / "03-sabq.txt")
    # NAME-SOURCE-PLACE: the person is the author; the paper and the place are not read.
    assert article.author == "عبدالله البرقاوي"
    assert article.dropped == ("عبدالله البرقاوي-سبق-الرياض:",)
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
    assert titles[:3] == [
        None,
        "أولاً: الأسعار — 1- التطورات الأخيرة",
        "2- التطورات المستقبلية للأسعار",
    ]
    assert "ثانياً: آثار تراجع الأسعار على المالية العامة" in titles
    assert "2-الفوائض النفطية والسيولة العالمية" in titles
    assert titles[-1] == "3- السياسات متوسطة الأمد"
    # A parent heading straight above its first sub-heading joins its title.
    assert article.dropped == ()


# -- bylines, debris and headings in small variants ----------------------------


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("كتب: أحمد ماهر أبوالنصر", "أحمد ماهر أبوالنصر"),
        ("كتب أحمد ماهر", "أحمد ماهر"),
        ("كتبت: سارة علي", "سارة علي"),
        ("بقلم: خالد البراك", "خالد البراك"),
        ("بقلم خالد البراك", "خالد البراك"),
        ("رويترز - دبي", "رويترز"),
        ("الرياض - عماد الصائغ", "عماد الصائغ"),
        ("عين اليوم – الرياض", "عين اليوم"),
        ("رياض منصور - عمان", "رياض منصور"),
        ("عبدالله البرقاوي-سبق-الرياض:", "عبدالله البرقاوي"),
        ("جدة - الجزيرة:", "الجزيرة"),
        ("بريدة: خالد البراك", "خالد البراك"),
        ("«الاقتصادية» من الرياض", "الاقتصادية"),
        ("رؤية: سعيد بوكرامي", "سعيد بوكرامي"),
        ("حوار: منى العتيبي", "منى العتيبي"),
        ("سبق - متابعة:", "سبق"),
        ("كتب: خالد البراك - بريدة", "خالد البراك"),
        ("بيروت - أ ف ب", "أ ف ب"),
        ("محمد العتيبي – مكتب الخرج", "محمد العتيبي"),
        # Two-word places and sources are looked up whole, not word by word.
        ("محمد علي - رام الله", "محمد علي"),
        ("الشرق الأوسط - لندن", "الشرق الأوسط"),
        ("أبو ظبي - وام", "وام"),
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


@pytest.mark.parametrize(
    "line",
    [
        "الرياض - متابعة:",  # الرياض the city or the paper: either way nobody
        "الرياض",
        "جدة:",
        "تصوير: فهد الغامدي",  # the photographer is not the author
    ],
)
def test_datelines_and_credits_name_no_author(tmp_path: Path, line: str) -> None:
    article = read_text(write(tmp_path, f"عنوان الخبر\n{line}\nنص الخبر الأول.\n"))
    assert article.author is None
    assert article.dropped == (line,)
    assert article.sections[0].paragraphs == ("نص الخبر الأول.",)


def test_dateline_after_the_author_is_dropped_and_keeps_the_author(tmp_path: Path) -> None:
    article = read_text(write(tmp_path, "عنوان\nكتب: خالد البراك\nبريدة\nنص.\n"))
    assert article.author == "خالد البراك"
    assert article.dropped == ("كتب: خالد البراك", "بريدة")


@pytest.mark.parametrize(
    ("paragraph", "author", "rest"),
    [
        ("جدة - الجزيرة: وقع مدير الجامعة اتفاقية.", "الجزيرة", "وقع مدير الجامعة اتفاقية."),
        ("الرياض - واس: أعلنت الوزارة النتائج.", "واس", "أعلنت الوزارة النتائج."),
        ("الرياض: أعلنت الوزارة النتائج.", None, "أعلنت الوزارة النتائج."),
    ],
)
def test_datelines_glued_to_the_first_paragraph(
    tmp_path: Path, paragraph: str, author: str | None, rest: str
) -> None:
    article = read_text(write(tmp_path, f"عنوان\n{paragraph}\nنص ثان.\n"))
    assert article.author == author
    assert article.sections[0].paragraphs == (rest, "نص ثان.")


@pytest.mark.parametrize(
    "paragraph",
    [
        # A colon after a speaker or a heading-like phrase is not a dateline.
        "المفتي: مفجرو المساجد فئة ضالة.",
        "وقال في مداخلة مع قناة الإخبارية : المصاب مصاب الجميع.",
    ],
)
def test_colons_in_the_first_paragraph_are_text(tmp_path: Path, paragraph: str) -> None:
    article = read_text(write(tmp_path, f"عنوان\n{paragraph}\n"))
    assert article.author is None
    assert article.sections[0].paragraphs == (paragraph,)


def test_interview_marks_become_spoken_cues(tmp_path: Path) -> None:
    text = (
        "حوار مع الفنان\n"
        "حوار: منى العتيبي\n"
        "التقينا الفنان في مرسمه.\n"
        "* متى بدأت الرسم؟\n"
        "- في الطفولة، مع أبي.\n"
        "وكان ذلك في أبها.\n"
        "*ما مشروعك القادم؟»\n"
        "-معرض في جدة.\n"
        "س: وهل تدرّس الرسم؟\n"
        "ج: نعم، للأطفال.\n"
    )
    article = read_text(write(tmp_path, text))
    assert article.author == "منى العتيبي"
    assert article.sections[0].paragraphs == (
        "التقينا الفنان في مرسمه.",
        "سؤال: متى بدأت الرسم؟",
        "جواب: في الطفولة، مع أبي.",
        "وكان ذلك في أبها.",
        "سؤال: ما مشروعك القادم؟»",
        "جواب: معرض في جدة.",
        "سؤال: وهل تدرّس الرسم؟",
        "جواب: نعم، للأطفال.",
    )


def test_bullet_items_are_paragraphs_without_their_marks(tmp_path: Path) -> None:
    text = (
        "عنوان\n"
        "وتشمل الاتفاقية:\n"
        "- تبادل الأساتذة\n"
        "• أبحاث السرطان\n"
        "* منح للطلاب\n"
        "▪ معامل مشتركة.\n"
        "المميزات\n"
        "- سريع\n"
        "- رخيص\n"
    )
    article = read_text(write(tmp_path, text))
    assert [s.title for s in article.sections] == [None, "المميزات"]
    assert article.sections[0].paragraphs == (
        "وتشمل الاتفاقية:",
        "تبادل الأساتذة",
        "أبحاث السرطان",
        "منح للطلاب",
        "معامل مشتركة.",
    )
    # A dash after a paragraph that is no question is a list mark, not an answer.
    assert article.sections[1].paragraphs == ("سريع", "رخيص")


def test_ordinal_and_numbered_headings(tmp_path: Path) -> None:
    text = (
        "عنوان\n"
        "مقدمة المقال.\n"
        "أولاً: الأسعار:\n"
        "1- التطورات الأخيرة\n"
        "نص أول.\n"
        "2- التطورات المستقبلية\n"
        "نص ثان.\n"
        "ثانياً\n"
        "نص ثالث.\n"
    )
    article = read_text(write(tmp_path, text))
    assert [s.title for s in article.sections] == [
        None,
        "أولاً: الأسعار — 1- التطورات الأخيرة",
        "2- التطورات المستقبلية",
        "ثانياً",
    ]
    assert article.dropped == ()


def test_short_numbered_siblings_are_a_list_not_empty_headings(tmp_path: Path) -> None:
    text = "عنوان\nنص أول.\nالمنتجات\n1- البنزين\n2- الديزل\n3- الكيروسين\nنص أخير.\n"
    article = read_text(write(tmp_path, text))
    assert [s.title for s in article.sections] == [None, "المنتجات"]
    assert article.sections[1].paragraphs == (
        "1- البنزين",
        "2- الديزل",
        "3- الكيروسين",
        "نص أخير.",
    )
    assert article.dropped == ()


@pytest.mark.parametrize(
    "tail",
    [
        ["شارك"],
        ["شارك الخبر:"],
        ["تويتر فيسبوك واتساب"],
        ["شارك الخبر", "Twitter | Facebook | WhatsApp"],
        ["الكلمات الدالة: أبها، المطر"],
        ["وسوم", "أبها"],
        ["أخبار ذات صلة", "أمطار على أبها", "شارك:"],
        ["اقرأ أيضًا:", "ارتفاع أسعار النفط"],
        ["شارك", "سمات أبها المطر", "مواضيع متعلقة", "أمطار على أبها"],
    ],
)
def test_trailing_share_rows_tags_and_links_are_dropped(tmp_path: Path, tail: list[str]) -> None:
    text = "عنوان\nنص الخبر.\n" + "\n".join(tail) + "\n"
    article = read_text(write(tmp_path, text))
    assert article.sections == (Section(None, ("نص الخبر.",)),)
    if tail[0] != "وسوم":
        assert article.dropped == tuple(tail)


def test_share_words_in_the_text_are_text(tmp_path: Path) -> None:
    text = "عنوان\nشارك في الحفل أكثر من ألف زائر.\nتويتر\nنص عن تويتر.\n"
    article = read_text(write(tmp_path, text))
    assert article.sections[0].paragraphs == ("شارك في الحفل أكثر من ألف زائر.",)
    assert article.sections[1] == Section("تويتر", ("نص عن تويتر.",))


def test_invisible_marks_and_symbol_rows(tmp_path: Path) -> None:
    text = (
        "\u200fعنوان الخبر\u200e\n"
        "\u200f\n"  # a blank line that is not empty
        "\u202bعنوان الخبر\u202c\n"  # the title again, wrapped in bidi controls
        "* * *\n"
        "نص\u200b الخبر.\n"
        "ـــــــ\n"
        "🔴🔴\n"
    )
    article = read_text(write(tmp_path, text))
    assert article.title == "عنوان الخبر"
    assert article.sections[0].paragraphs == ("نص الخبر.",)
    assert article.dropped == ("عنوان الخبر", "* * *", "ـــــــ", "🔴🔴")


@pytest.mark.parametrize(
    "repeat",
    ["«عنوان الخبر»", "عنوان الخبر.", "عنـــوان الخبر", "عُنوان الخبر", "  عنوان   الخبر  "],
)
def test_title_repeated_with_decoration(tmp_path: Path, repeat: str) -> None:
    article = read_text(write(tmp_path, f"عنوان الخبر\n{repeat}\nنص.\n"))
    assert article.sections[0].paragraphs == ("نص.",)
    assert len(article.dropped) == 1


def test_slashes_used_as_quotes_become_guillemets() -> None:
    # 07-3alyoum quotes a verse between // and //; espeak-ng says "slash slash".
    article = read_text(SAUDI / "07-3alyoum.txt")
    paragraph = article.sections[0].paragraphs[1]
    assert "قال الله تعالى «ومن أظلم ممن منع مساجد الله" in paragraph
    assert "عذاب عظيم» , هذا عمل إجرامي" in paragraph
    assert "//" not in paragraph


def test_dates_with_slashes_are_left_alone(tmp_path: Path) -> None:
    article = read_text(write(tmp_path, "عنوان\nفي 1436/10/5 هـ وصل 50 كم/ساعة.\n"))
    assert article.sections[0].paragraphs == ("في 1436/10/5 هـ وصل 50 كم/ساعة.",)


@pytest.mark.parametrize(
    ("line", "spoken"),
    [
        # The reader keeps the written form; normalization makes it speakable.
        (
            "حلت في27 يوليو2015 ذكرى وفاته.",
            "حلت في السابع والعشرين من يوليو ألفين وخمسة عشر ذكرى وفاته.",
        ),
        (
            "الملك عبدالعزيز ـ طيب الله ثراه ـ أسس المملكة.",
            "الملك عبدالعزيز طيب الله ثراه أسس المملكة.",
        ),
        ("مهرجان «أبها يجمعنا» 1436هـ.", "مهرجان «أبها يجمعنا» ألف وأربعمئة وستة وثلاثون هجرية."),
        ("زار یک مدرسه في کابل.", "زار يك مدرسه في كابل."),
        ("مطر 🌧️ غزير على أبها.", "مطر غزير على أبها."),
        ("قالت \u201cنعم\u201d للمشروع.", "قالت \u201cنعم\u201d للمشروع."),
    ],
)
def test_reader_keeps_typography_and_normalize_speaks_it(
    tmp_path: Path, line: str, spoken: str
) -> None:
    article = read_text(write(tmp_path, f"عنوان\n{line}\n"))
    assert article.sections[0].paragraphs == (line,)
    assert normalize(article.sections[0].paragraphs[0]) == spoken


# -- errors --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty"),
        (b" \n\t\r\n  \n", "only whitespace"),
        ("\xa0\n".encode(), "only whitespace"),
        ("عنوان فقط\n".encode(), "no body text"),
        ("عنوان\nعنوان\n".encode(), "no body text"),
        (b"***\n---\n", "only symbols"),
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
