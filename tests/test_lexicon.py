"""The pronunciation lexicon: matching rules, the file format, and its effect on plans."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from nashra.cli import cli
from nashra.config.settings import Audio
from nashra.core.errors import SettingsError
from nashra.readers import read_article
from nashra.stages.script import make_script
from nashra.text.lexicon import (
    Lexicon,
    load_lexicon,
    load_news_lexicon,
    match_key,
    vowel_news_words,
)
from tests.support import CORPUS, make_project

LEXICON = Lexicon({match_key("واتساب"): "واتس آب", match_key("أكسفورد"): "أوكسفورد"})


@pytest.mark.parametrize(
    ("written", "spoken"),
    [
        ("تطبيق واتساب", "تطبيق واتس آب"),  # the seed
        ("وَاتْسَاب", "واتس آب"),  # diacritics ignored
        ("واتســاب", "واتس آب"),  # tatweel ignored
        ("جامعة اكسفورد", "جامعة أوكسفورد"),  # 06-aljazirah writes both alef forms
        ("بجامعة إكسفورد", "بجامعة أوكسفورد"),
        ("وواتساب", "وواتس آب"),  # clitics kept as written
        ("بالواتساب", "بالواتس آب"),
        ("فبأكسفورد", "فبأوكسفورد"),
        ("للواتساب", "للواتس آب"),  # ل + ال
        ("واتسابية", "واتسابية"),  # a longer word is another word
        ("WhatsApp", "WhatsApp"),
    ],
)
def test_matching(written: str, spoken: str) -> None:
    assert LEXICON.apply(written) == spoken


def test_file_format(tmp_path: Path) -> None:
    assert not load_lexicon(tmp_path)
    (tmp_path / "lexicon.toml").write_text('[words]\n"واتساب" = "واتس آب"\n', encoding="utf-8")
    assert load_lexicon(tmp_path).apply("واتساب") == "واتس آب"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[word]\n", "unknown section"),
        ('[words]\n"واتساب" = ""\n', "non-empty"),
        ('[words]\n"two words" = "x"\n', "one Arabic word"),
        ("[words\n", "cannot read"),
    ],
)
def test_bad_files(tmp_path: Path, text: str, problem: str) -> None:
    (tmp_path / "lexicon.toml").write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError, match=problem):
        load_lexicon(tmp_path)


def test_script_speaks_the_lexicon_and_keeps_the_written_text() -> None:
    article = read_article(CORPUS / "seed" / "whatsapp-privacy.txt")
    script = make_script(article, Audio(), lexicon=LEXICON)
    assert any("واتس آب" in u.speech and "واتساب" in u.written for u in script.utterances)
    assert not any("واتساب" in u.speech for u in script.utterances)


def test_plan_speech_shows_what_each_engine_is_given(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", [CORPUS / "seed" / "whatsapp-privacy.txt"])
    (project / "lexicon.toml").write_text('[words]\n"واتساب" = "واتس آب"\n', encoding="utf-8")
    article = project / "articles" / "whatsapp-privacy.txt"
    result = CliRunner().invoke(
        cli, ["plan", "-p", str(project), "--speech", str(article), "--json"]
    )
    assert result.exit_code == 0, result.output
    sections = json.loads(result.output)
    assert [s["title"] for s in sections][:2] == ["(intro)", "(lead)"]
    chunks = [c for s in sections for c in s["chunks"]]
    assert any("واتس آب" in c["gtts"] for c in chunks)
    assert all("\u064e" not in c["gtts"] for c in chunks)  # Google gets no added marks
    assert any("\u064e" in c["espeak"] for c in chunks)  # espeak gets diacritized text
    # Google's requests: the same words, each within Google's 100 characters.
    requests = [r for s in sections for r in s["gtts_requests"]]
    assert all(len(r) <= 100 for r in requests) and len(requests) > len(chunks) / 2
    assert " ".join(requests).replace(".", "").split() == (
        " ".join(c["gtts"] for c in chunks).replace(".", "").split()
    )
    assert sections[0]["gtts_requests"][0].startswith(sections[0]["chunks"][0]["gtts"] + ".")
    plain = CliRunner().invoke(cli, ["plan", "-p", str(project), "--speech", str(article)])
    assert plain.exit_code == 0 and "§ تحليل نفسية المستخدمين" in plain.output
    assert "Google's requests" in plain.output


def test_plan_json_reflects_the_lexicon(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", [CORPUS / "seed" / "whatsapp-privacy.txt"])
    (project / "lexicon.toml").write_text('[words]\n"واتساب" = "واتس آب"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["plan", "-p", str(project), "--json"])
    assert result.exit_code == 0, result.output
    chunks = json.loads(result.output)["articles"][0]["sections"][0]["chunks"]
    assert any("واتس آب" in c for c in chunks)


# -- the built-in news lexicon ---------------------------------------------------

NEWS = load_news_lexicon()
_VOWELS = re.compile("[\u064b-\u0652\u0670]")


def test_news_lexicon_only_adds_vowels() -> None:
    assert len(NEWS.entries) >= 200
    for key, spoken in NEWS.entries.items():
        # The same letters (a compound name may be split in two), with vowels.
        assert match_key(spoken).replace(" ", "") == key, (key, spoken)
        assert _VOWELS.search(spoken), key


# Each spoken form is the one grammar books and news readers give, not the
# diacritizer's: الْمَلِك "the king" (not الْمِلْك "property"), جُدَّة the city
# (not جِدَّة "newness"), verbs with their shadda, names as they are said.
@pytest.mark.parametrize(
    ("written", "vowelled"),
    [
        ("وصل الملك إلى جدة", "وصل الْمَلِك إلى جُدَّة"),
        ("للملك", "للْمَلِك"),  # ل before the article drops its alef
        ("بالدمام", "بالدَّمَّام"),
        ("وأكد الوزير", "وأَكَّد الوزير"),
        ("سمو ولي العهد", "سُمُوّ وَلِيّ العهد"),
        ("عبدالعزيز", "عبد الْعَزِيز"),  # a compound name said as two words
        ("أبها والأحساء وتعز", "أَبْهَا والْأَحْسَاء وتَعِزّ"),
        ("حفظه الله", "حَفِظَه اللّٰه"),  # the dagger alef espeak-ng needs for ā
        ("رحب الأمير", "رَحَّب الأمير"),
        ("مصر", "مِصْر"),
        ("الملكية", "الملكية"),  # royal or ownership: not in the lexicon
        ("إمام الحرم", "إمام الحرم"),  # matching ignores hamzas: no أمام entry
        ("محرم", "محرم"),  # the month, a guardian, a pilgrim
    ],
)
def test_news_words(written: str, vowelled: str) -> None:
    assert vowel_news_words(written) == vowelled


def test_vowelled_words_keep_their_vowels() -> None:
    # A word the writer or the project's lexicon vowelled is theirs.
    assert vowel_news_words("الْمُلْك لله") == "الْمُلْك لِلّٰه"
    assert vowel_news_words("جِدة") == "جِدة"


def test_the_project_lexicon_comes_first() -> None:
    project = Lexicon({match_key("ملك"): "مُلْك"})
    # The project's entry matches الملك through its article, and wins.
    assert vowel_news_words(project.apply("الملك")) == "المُلْك"
    assert vowel_news_words(Lexicon().apply("الملك")) == "الْمَلِك"


def test_espeak_reads_every_news_entry_with_its_vowels() -> None:
    # espeak-ng's own phonemes are the judge: no entry, diacritized as a build
    # would, leaves a run of consonants with the vowel lost (عَبْدَالسْلَام → ʕabdaːlslaːm).
    from nashra.engines.espeak.engine import phonemes
    from nashra.engines.espeak.pronunciation import is_vowelless
    from nashra.text.diacritize import diacritize

    lost = {}
    for key in NEWS.entries:
        said = phonemes(diacritize(key))
        if any(is_vowelless(word) for word in said.split()):
            lost[key] = said
    assert lost == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("الآمن", "الآمن"),  # "safe" is not الأمن "security"
        ("والآمنة", "والآمنة"),
        ("الأمن", "الْأَمْن"),
        ("الامن", "الْأَمْن"),  # the hamza left out: still "security"
        ("بالأمن", "بالْأَمْن"),
        ("آلية", "آلِيَّة"),
        ("الية", "آلِيَّة"),  # the madda left out matches the entry written with آ
    ],
)
def test_alef_madda_is_a_letter_of_its_own(text: str, expected: str) -> None:
    lexicon = Lexicon({match_key(w): s for w, s in (("الأمن", "الْأَمْن"), ("آلية", "آلِيَّة"))})
    assert lexicon.apply(text, unvowelled_only=True) == expected


# -- the hamza a writer left out -------------------------------------------------


# Scraped news writes a bare alif for أ and إ; the word with its hamza is the one
# meant, where the hamza is not in doubt. A connecting alif (استخدام، ابن) is no hamza.
@pytest.mark.parametrize(
    ("written", "given"),
    [
        ("قال ابراهيم", "قال إبراهيم"),
        ("التقى احمد", "التقى أحمد"),
        ("اكثر من", "أكثر من"),
        ("واكثر", "وأكثر"),  # with its clitics, kept as written
        ("بالاغلاق", "بالإغلاق"),
        ("للاسعار", "للأسعار"),  # ل before the article
        ("اسرائيل", "إسرائيل"),
        ("أكثر", "أكثر"),  # written right
        ("استخدام", "استخدام"),  # a connecting alif
        ("ابن", "ابن"),
        ("واحد", "واحد"),  # "one", not وأحد
        ("كامل", "كامل"),  # "whole", not كأمل
        ("اعداد", "اعداد"),  # أعداد "numbers" or إعداد "preparing": left to the diacritizer
        ("امام", "امام"),  # أمام "before" or إمام "imam"
        ("اِبراهيم", "اِبراهيم"),  # a word with a vowel mark is the writer's
    ],
)
def test_the_hamza_a_writer_left_out(written: str, given: str) -> None:
    assert vowel_news_words(written) == given


def test_espeak_says_the_hamza_a_writer_left_out() -> None:
    # The diacritizer left ابراهيم's alif bare (ابْرَاهِيمَ), which espeak-ng read as a
    # vowel: abraːhiːma. With its hamza the name is ʔibraːhiːm.
    from nashra.engines.espeak import spelling
    from nashra.engines.espeak.engine import phonemes
    from nashra.text.diacritize import diacritize

    said = phonemes(spelling.for_espeak(diacritize("قال احمد ان ابراهيم اكثر من غيره")))
    words = [word.translate({ord(c): None for c in "_ˈˌ."}) for word in said.split()]
    assert words[1].startswith("ʔaħmad") and words[3].startswith("ʔibraːhiːm"), words
    assert words[4].startswith("ʔakθar"), words
