"""Sentence splitting and chunk packing, on cases from the corpus and over the whole corpus."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from nashra.text.sentences import pack_chunks, sentence_ends, split_sentences

CORPUS = Path(__file__).parents[1] / "data" / "corpus"
ARTICLES = sorted(CORPUS.glob("*/*.txt"))


def corpus_paragraphs() -> list[str]:
    paragraphs = []
    for path in ARTICLES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                paragraphs.append(line)
    return paragraphs


def corpus_sentences() -> list[str]:
    return [s for paragraph in corpus_paragraphs() for s in split_sentences(paragraph)]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        # 03-sabq: the Arabic semicolon ends a sentence; runs of spaces go.
        (
            "أصيب إعلامي سوري يعمل في السعودية، وتوفيت زوجته السورية؛ إثر حادثة إطلاق نار "
            "تعرضا لها على أحد طرق ضواحي بيروت، فجر أمس الأربعاء؛ حيث تولت التحقيقات فيها "
            "الجهات الأمنية.   وكان الإعلامي قد أعلن",
            [
                "أصيب إعلامي سوري يعمل في السعودية، وتوفيت زوجته السورية؛",
                "إثر حادثة إطلاق نار تعرضا لها على أحد طرق ضواحي بيروت، فجر أمس الأربعاء؛",
                "حيث تولت التحقيقات فيها الجهات الأمنية.",
                "وكان الإعلامي قد أعلن",
            ],
        ),
        # 02-alyaum: decimals are not sentence ends.
        (
            "وزاد المؤشر 0.2 في المئة. وتراجع السهم 1.3 في المئة",
            ["وزاد المؤشر 0.2 في المئة.", "وتراجع السهم 1.3 في المئة"],
        ),
        # 09-aawsat: a question, and an ellipsis in mid-paragraph.
        (
            "فإن السؤال يبقى: أين مصلحة الولايات المتحدة في تجاهل العالم العربي... "
            "وهي التي لم تتوانَ يومًا؟ من هذا المنظور",
            [
                "فإن السؤال يبقى: أين مصلحة الولايات المتحدة في تجاهل العالم العربي...",
                "وهي التي لم تتوانَ يومًا؟",
                "من هذا المنظور",
            ],
        ),
        # 10-okaz: a full stop glued to the next word is left alone.
        (
            "ووري الثرى بمدينته الروحية الإسكندرية.تاركا فيلموغرافيا",
            ["ووري الثرى بمدينته الروحية الإسكندرية.تاركا فيلموغرافيا"],
        ),
        ("انتهى الأمر! ثم ماذا؟! لا شيء.", ["انتهى الأمر!", "ثم ماذا؟!", "لا شيء."]),
        ("قالت: «هل انتهى الأمر؟» ثم سكتت.", ["قالت: «هل انتهى الأمر؟»", "ثم سكتت."]),
        ('وقال "انتهى الموسم." ثم غادر.', ['وقال "انتهى الموسم."', "ثم غادر."]),
        (
            "وقع الاتفاقية د. عبد الرحمن اليوبي. ثم غادر",
            ["وقع الاتفاقية د. عبد الرحمن اليوبي.", "ثم غادر"],
        ),
        ("حضر أ.د. عبد الرحمن المالكي وم. خالد.", ["حضر أ.د. عبد الرحمن المالكي وم. خالد."]),
        ("العنوان ص.ب. 1234 جدة. والهاتف", ["العنوان ص.ب. 1234 جدة.", "والهاتف"]),
        ("حضر أ. محمد و ج. ك. رولينغ.", ["حضر أ. محمد و ج. ك. رولينغ."]),
        ("في عام 2015. ثم", ["في عام 2015.", "ثم"]),
        ("", []),
        ("   ", []),
    ],
)
def test_split_sentences(paragraph: str, expected: list[str]) -> None:
    assert split_sentences(paragraph) == expected


def test_split_sentences_on_the_seed_quote() -> None:
    paragraph = next(p for p in corpus_paragraphs() if p.startswith("يقول باسم قياتي"))
    sentences = split_sentences(paragraph)
    # One sentence: the quote has commas but no full stop until after the closing ».
    assert len(sentences) == 1
    assert sentences[0].endswith("أرباح أكتر».")


def test_split_sentences_keeps_every_word_of_the_corpus() -> None:
    for paragraph in corpus_paragraphs():
        assert " ".join(split_sentences(paragraph)).split() == paragraph.split()


def test_sentences_end_with_their_punctuation() -> None:
    for paragraph in corpus_paragraphs():
        for sentence in split_sentences(paragraph)[:-1]:
            assert sentence.rstrip("»\"”’')")[-1] in ".!?؟…؛", sentence


# -- pack_chunks ---------------------------------------------------------------


def test_short_sentence_is_one_chunk() -> None:
    assert pack_chunks("ولي ولي العهد يصل عمان في زيارة رسمية للأردن") == [
        "ولي ولي العهد يصل عمان في زيارة رسمية للأردن"
    ]


def test_whitespace_is_collapsed_and_empty_gives_nothing() -> None:
    assert pack_chunks("  تحليل\xa0 نفسية   المستخدمين ") == ["تحليل نفسية المستخدمين"]
    assert pack_chunks("   ") == []


def test_cut_prefers_the_comma() -> None:
    # 03-sabq. Two chunks are needed at limit 60; a cut after the comma gives
    # two, so the comma wins over any space.
    sentence = (
        "يشار إلى أن الحادثة وجدت تعاطفاً كبيراً، من رواد مواقع التواصل الاجتماعي ودشنوا هاشتاجا"
    )
    assert pack_chunks(sentence, 60) == [
        "يشار إلى أن الحادثة وجدت تعاطفاً كبيراً،",
        "من رواد مواقع التواصل الاجتماعي ودشنوا هاشتاجا",
    ]


def test_cut_before_wa_rather_than_at_a_plain_space() -> None:
    sentence = (
        "يشار إلى أن الحادثة وجدت تعاطفاً كبيراً من رواد مواقع التواصل الاجتماعي ودشنوا هاشتاجا"
    )
    assert pack_chunks(sentence, 80) == [
        "يشار إلى أن الحادثة وجدت تعاطفاً كبيراً من رواد مواقع التواصل الاجتماعي",
        "ودشنوا هاشتاجا",
    ]


def test_cut_before_opening_guillemet() -> None:
    sentence = "يوضح الخبير أن التسريب ليس فقط على واتساب «أحيانا نبحث عن حاجة على جوجل»"
    assert pack_chunks(sentence, 50) == [
        "يوضح الخبير أن التسريب ليس فقط على واتساب",
        "«أحيانا نبحث عن حاجة على جوجل»",
    ]


def test_adjacent_clauses_are_packed_together() -> None:
    sentence = "أولا، ثانيا، ثالثا، رابعا، خامسا"
    assert pack_chunks(sentence, 20) == ["أولا، ثانيا، ثالثا،", "رابعا، خامسا"]


def test_fewest_chunks_even_if_a_cut_falls_between_words() -> None:
    # A comma cut would leave "أ،" alone and need three requests; two will do.
    sentence = "أ، " + " ".join(["كلمة"] * 30)
    chunks = pack_chunks(sentence, 100)
    assert len(chunks) == 2


def test_detached_punctuation_never_starts_a_chunk() -> None:
    # 02-alyaum writes "النفط ، وارتفعت" with a space before the comma.
    sentence = next(s for s in corpus_sentences() if s.startswith("وتراجع السهم هذا الأسبوع"))
    for limit in (30, 50, 100):
        for chunk in pack_chunks(sentence, limit):
            assert not chunk.startswith("،"), chunk


def test_number_and_percent_sign_stay_together() -> None:
    sentence = "ارتفع المؤشر العام بنسبة 90 % في الربع الأول من العام"
    for limit in range(8, 60):
        for chunk in pack_chunks(sentence, limit):
            assert chunk != "%" and not chunk.startswith("%")


@pytest.mark.parametrize(
    ("sentence", "limit", "expected"),
    [
        # 12-alyaum: not "بحوالي 88 | بليون دولار", which reads 88 without its
        # noun (nor "في | الربع", a preposition without its noun).
        (
            "ارتفع المؤشر بحوالي 88 بليون دولار في الربع الثاني",
            25,
            ["ارتفع المؤشر", "بحوالي 88 بليون دولار", "في الربع الثاني"],
        ),
        # 12-alyaum: not "في عام 2008 | بسبب", nor "في عام | 2008", nor "في | عام".
        (
            "تراجع الأسعار في عام 2008 بسبب الأزمة المالية العالمية",
            25,
            ["تراجع الأسعار", "في عام 2008 بسبب الأزمة", "المالية العالمية"],
        ),
    ],
)
def test_a_number_stays_with_the_words_around_it(
    sentence: str, limit: int, expected: list[str]
) -> None:
    assert pack_chunks(sentence, limit) == expected


def test_overlong_word_is_cut_hard() -> None:
    chunks = pack_chunks("قال " + "ب" * 250 + " ثم", 100)
    assert [len(c) for c in chunks] == [100, 100, 57]
    assert chunks[0] == "قال " + "ب" * 96
    assert chunks[-1] == "ب" * 54 + " ثم"


def test_hard_cut_keeps_harakat_with_their_letter() -> None:
    word = "كَتَبَ" * 30
    for limit in (5, 7, 10, 33):
        for chunk in pack_chunks(word, limit):
            assert len(chunk) <= limit
            assert not unicodedata.combining(chunk[0]), (limit, chunk)
        assert "".join(pack_chunks(word, limit)) == word


def test_limit_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        pack_chunks("نص", 0)


def greedy_count(sentence: str, limit: int) -> int:
    """The fewest chunks when cutting only between words: fill each chunk as far as it goes."""
    count, length = 0, 0
    for word in sentence.split():
        if length and length + 1 + len(word) <= limit:
            length += 1 + len(word)
        else:
            count += 1
            length = len(word)
    return count


@pytest.mark.parametrize("limit", [100, 60, 30])
def test_corpus_chunks_fit_and_give_back_the_sentence(limit: int) -> None:
    sentences = corpus_sentences()
    assert len(sentences) > 200
    for sentence in sentences:
        chunks = pack_chunks(sentence, limit)
        assert chunks
        for chunk in chunks:
            assert 0 < len(chunk) <= limit
            assert chunk == chunk.strip()
        if max(len(word) for word in sentence.split()) <= limit:
            assert " ".join(chunks).split() == sentence.split()
            assert len(chunks) == greedy_count(sentence, limit), sentence
        else:
            assert "".join("".join(chunks).split()) == "".join(sentence.split())


def test_corpus_with_a_tiny_limit_cuts_words() -> None:
    for sentence in corpus_sentences()[:50]:
        chunks = pack_chunks(sentence, 5)
        assert all(0 < len(chunk) <= 5 for chunk in chunks)
        assert "".join("".join(chunks).split()) == "".join(sentence.split())


def test_sentence_ends_cut_where_split_sentences_does() -> None:
    paragraph = "قال د. أحمد إن النمو بلغ 3.5 في المئة.  «هل يستمر؟» سأل المذيع"
    ends = sentence_ends(paragraph)
    assert ends[-1] == len(paragraph)
    starts = [0, *ends[:-1]]
    pieces = [paragraph[start:end] for start, end in zip(starts, ends, strict=True)]
    assert "".join(pieces) == paragraph
    assert [" ".join(piece.split()) for piece in pieces] == split_sentences(paragraph)
    assert len(pieces) == 3
    assert sentence_ends("") == [0] and split_sentences("") == []
