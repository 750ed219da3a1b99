"""The script maker on the seed article, on the corpus and on small made-up articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from nashra.config.settings import Audio
from nashra.core.model import Article, Script, Section
from nashra.readers import read_article
from nashra.stages.script import LIMIT, make_script
from nashra.text.normalize import normalize

CORPUS = Path(__file__).parent / "data" / "corpus"
SEED = CORPUS / "seed" / "whatsapp-privacy.txt"
SEED_TITLE = "خبير تسويق إلكتروني: تسريب اهتمامات الأشخاص لا يقتصر على واتساب فقط"
# Distinct values, so that every pause in a script says which break it is. No comma
# pause: sentences stay whole here (tests/test_comma_pause.py cuts them at commas).
AUDIO = Audio(comma_pause_ms=0, sentence_pause_ms=111, paragraph_pause_ms=222, section_pause_ms=333)
SENTENCE, PARAGRAPH, SECTION = 111, 222, 333


def seed_script(limit: int = LIMIT) -> Script:
    return make_script(read_article(SEED), AUDIO, limit=limit)


def article(*sections: Section, title: str = "العنوان", author: str | None = None) -> Article:
    return Article(source=Path("a.txt"), slug="a", title=title, sections=sections, author=author)


def squash(text: str) -> str:
    return "".join(text.split())


# -- the seed ------------------------------------------------------------------


def test_seed_chapters_are_the_title_and_sub_headings() -> None:
    assert seed_script().chapters == (
        SEED_TITLE,
        "إدارة واتساب طمأنت المستخدمين",
        "واتساب بدأت مشاركة بعض بيانات المستخدمين مع فيس بوك من 2016",
        "تسريب اهتمامات المستخدمين",
        "تحليل نفسية المستخدمين",
    )


def test_seed_intro_is_title_then_byline() -> None:
    title, byline = seed_script().utterances[:2]
    assert (title.speech, title.written) == (SEED_TITLE, SEED_TITLE)
    assert (title.chapter, title.section, title.pause_after_ms) == (0, -1, PARAGRAPH)
    assert byline.speech == "بقلم أحمد ماهر أبوالنصر"
    # The untitled lead follows in the same chapter: a paragraph pause, not a section pause.
    assert (byline.chapter, byline.section, byline.pause_after_ms) == (0, -1, PARAGRAPH)


def test_seed_lead_is_one_sentence_in_three_chunks_at_googles_limit() -> None:
    lead = [u for u in seed_script(limit=100).utterances if u.section == 0]
    # One 226-character sentence ending in "خسائر فادحة.", then the first sub-heading.
    assert [u.pause_after_ms for u in lead] == [0, 0, SECTION]
    assert {u.chapter for u in lead} == {0}
    assert lead[0].written.startswith("بعد الجدل الكبير")
    assert lead[-1].written.endswith("خسائر فادحة.")


def test_seed_section_titles_are_spoken_with_a_paragraph_pause() -> None:
    script = seed_script()
    for chapter, heading in enumerate(script.chapters[1:], start=1):
        first = next(u for u in script.utterances if u.chapter == chapter)
        assert first.written == heading
        assert first.speech == normalize(heading)
        assert first.section == chapter  # the untitled lead is section 0
        assert first.pause_after_ms == PARAGRAPH


def test_seed_last_section_has_two_paragraphs_and_ends_in_silence() -> None:
    last = [u for u in seed_script().utterances if u.chapter == 4]
    assert last[0].speech == "تحليل نفسية المستخدمين"
    pauses = [u.pause_after_ms for u in last]
    assert pauses[-1] == 0
    assert pauses.count(PARAGRAPH) == 2  # after the heading and after the first paragraph
    assert last[-1].written.endswith("على الإعلانات.")


def test_seed_debris_is_not_spoken() -> None:
    script = seed_script()
    texts = [u.speech for u in script.utterances] + [u.written for u in script.utterances]
    assert not any("مواضيع متعلقة" in t for t in texts)
    assert not any("كتب:" in t for t in texts)
    assert [u.speech for u in script.utterances].count(SEED_TITLE) == 1


def test_seed_speech_fits_the_limit_and_reads_every_paragraph() -> None:
    source = read_article(SEED)
    script = make_script(source, AUDIO)
    assert all(0 < len(u.speech) <= LIMIT for u in script.utterances)
    # The 226-character lead is one sentence: one utterance, not cut for any engine.
    lead = [u for u in script.utterances if u.section == 0]
    assert lead[0].written.startswith("بعد الجدل الكبير")
    assert lead[0].written.endswith("خسائر فادحة.")
    for index, section in enumerate(source.sections):
        written = "".join(u.written for u in script.utterances if u.section == index)
        spoken_title = section.title or ""
        assert squash(written) == squash(spoken_title + "".join(section.paragraphs))


def test_a_newspaper_is_announced_as_the_source_not_as_a_pen() -> None:
    # 07's byline «عين اليوم – الرياض» names the paper only.
    script = make_script(read_article(CORPUS / "saudinewsnet" / "07-3alyoum.txt"), AUDIO)
    assert script.utterances[1].speech == "المصدر: عين اليوم"
    for author, spoken in [("واس", "المصدر: واس"), ("الشرق الأوسط", "المصدر: الشرق الأوسط")]:
        byline = make_script(article(Section(None, ("نص.",)), author=author), AUDIO)
        assert byline.utterances[1].speech == spoken
    person = make_script(article(Section(None, ("نص.",)), author="عين الحياة"), AUDIO)
    assert person.utterances[1].speech == "بقلم عين الحياة"


# -- pauses, sentences and normalization ---------------------------------------


def test_sentence_pauses_after_arabic_semicolons() -> None:
    script = make_script(read_article(CORPUS / "saudinewsnet" / "03-sabq.txt"), AUDIO)
    assert script.utterances[1].speech == "بقلم عبدالله البرقاوي"
    first = script.utterances[2]
    assert first.written == "أصيب إعلامي سوري يعمل في السعودية، وتوفيت زوجته السورية؛"
    assert first.pause_after_ms == SENTENCE


def test_speech_is_normalized_but_written_is_not() -> None:
    script = make_script(read_article(CORPUS / "saudinewsnet" / "01-alwatan.txt"), AUDIO)
    title = script.utterances[0]
    assert title.written == "90% من ديون التعاون مسددة"
    assert title.speech == "تسعون بالمئة من ديون التعاون مسددة"


def test_chunks_are_cut_again_when_normalizing_makes_them_too_long() -> None:
    # 91 characters written, 100 spoken ("90%" -> "تسعين بالمئة"): over a limit of 95.
    sentence = (
        "وأوضح أن إدارته سددت ما يقارب 90% من الديون المترتبة على ناديه، "
        "عقب تسلمهم المكرمة الملكية."
    )
    script = make_script(article(Section(None, (sentence,))), AUDIO, limit=95)
    body = [u for u in script.utterances if u.section == 0]
    assert len(body) == 2
    assert all(len(u.speech) <= 95 for u in body)
    assert squash("".join(u.written for u in body)) == squash(sentence)
    assert any("تسعين بالمئة" in u.speech for u in body)


def test_punctuation_only_text_is_skipped_and_its_pause_kept() -> None:
    script = make_script(
        article(
            Section(None, ("نص أول.", "...")),
            Section("— — —", ("!!!",)),
            Section("قسم", ("نص ثان.",)),
        ),
        AUDIO,
    )
    assert [(u.speech, u.pause_after_ms, u.chapter) for u in script.utterances] == [
        ("العنوان", PARAGRAPH, 0),
        ("نص أول.", SECTION, 0),
        ("قسم", PARAGRAPH, 1),
        ("نص ثان.", 0, 1),
    ]
    # The unspeakable section gets no chapter of its own.
    assert script.chapters == ("العنوان", "قسم")


def test_titled_first_section_starts_chapter_one_after_a_section_pause() -> None:
    script = make_script(article(Section("قسم", ("جملة أولى. جملة ثانية.",))), AUDIO)
    assert [(u.speech, u.pause_after_ms, u.chapter, u.section) for u in script.utterances] == [
        ("العنوان", SECTION, 0, -1),
        ("قسم", PARAGRAPH, 1, 0),
        ("جملة أولى.", SENTENCE, 1, 0),
        ("جملة ثانية.", 0, 1, 0),
    ]
    assert script.chapters == ("العنوان", "قسم")


def test_no_byline_without_an_author() -> None:
    script = make_script(article(Section(None, ("نص.",))), AUDIO)
    assert [u.speech for u in script.utterances] == ["العنوان", "نص."]


def test_without_intro_only_the_text_is_spoken() -> None:
    script = make_script(
        article(Section(None, ("فقرة أولى.", "فقرة ثانية.")), title="", author="أحمد"),
        AUDIO,
        intro=False,
    )
    assert [(u.speech, u.pause_after_ms, u.chapter) for u in script.utterances] == [
        ("فقرة أولى.", PARAGRAPH, 0),
        ("فقرة ثانية.", 0, 0),
    ]


def test_long_title_is_chunked_without_pauses_inside() -> None:
    title = "عنوان " * 60
    script = make_script(article(Section(None, ("نص.",)), title=title.strip()), AUDIO)
    intro = [u for u in script.utterances if u.section == -1]
    assert len(intro) == 2
    assert [u.pause_after_ms for u in intro] == [0, PARAGRAPH]


# -- the whole corpus ----------------------------------------------------------


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*/*.txt")), ids=lambda p: p.name)
@pytest.mark.parametrize("limit", [100, 40])
def test_corpus_scripts(path: Path, limit: int) -> None:
    source = read_article(path)
    script = make_script(source, AUDIO, limit=limit)
    utterances = script.utterances
    assert utterances[0].written.startswith(source.title.split()[0])
    assert utterances[-1].pause_after_ms == 0
    previous_chapter = 0
    for u in utterances:
        assert 0 < len(u.speech) <= limit
        assert u.speech == u.speech.strip() and "  " not in u.speech
        assert any(char.isalnum() for char in u.speech)
        assert u.pause_after_ms in (0, SENTENCE, PARAGRAPH, SECTION)
        assert previous_chapter <= u.chapter < len(script.chapters)
        previous_chapter = u.chapter
    assert {u.chapter for u in utterances} == set(range(len(script.chapters)))
    assert make_script(source, AUDIO, limit=limit) == script
