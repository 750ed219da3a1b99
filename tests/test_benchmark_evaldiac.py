"""benchmarks/evaldiac.py counts what EvalDiac, the WikiNews benchmark's Java scorer, counts.

The expected lines below are what `java EvalDiac.java -r ref.txt -s sys.txt` (and with
`-t true`) printed for these two files (github:qcri/advancing-arabic-diacritization,
commit 042446a); the cases exercise each of its rules and quirks.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.support import REPO

REFERENCE = [
    "ذَهَبَ الْوَلَدُ إِلَى الْمَدْرَسَةِ .",
    "كِتَاباً جَدِيداً",
    "",
    "قَرَأَ/قَرَّأَ الطَّالِبُ دَرْسَهُ",
    "عَلَّمَ ذَهَبَ كَتَبَ",
    "مُحَمَّدٌ 😀 جَاءَ",
    "وَقَالَ الرَّئِيسُ",
    "كَتَبَ الْكِتَابَ",
]
SYSTEM = [
    "ذَهَبِ الوَلَدُ إِلَى المَدرَسَةُ .",  # a stem vowel and a case ending wrong
    "كِتَابًا جَدِيدًا",  # the tanween on the letter before the alif, not on it
    "   ",  # blank: skipped, as the reference's empty line is
    "قَرَّأَ الطالب دَرسِهِ",  # the second reading; bare letters; a wrong vowel
    "عَلَمَ ذَهَبْ",  # a word missing: the line is left out
    "مُحَمَّدٌ 😀 جَاءُ",  # an emoji is two UTF-16 units, as in Java
    "وَقَالَ الرَّئِيسَ x",  # a word too many: left out
    "كَتَبَتْ الكِتَابِ",  # a letter too many: the word does not line up
]
JAVA = (
    "lines:7/7\twords:15\tcorrectWords:8\tletters:63\tcorrectLetters:50\tWER:46.67%"
    "\tDER:20.63%\tlineErrors:2\twordErrors:1\tMultiRefWords:1"
)
JAVA_STEM = (
    "lines:7/7\twords:15\tcorrectWords:12\tletters:63\tcorrectLetters:41\tWER:20.00%"
    "\tlineErrors:2\twordErrors:1\tMultiRefWords:1"
)


@pytest.fixture(scope="module")
def evaldiac() -> ModuleType:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        return importlib.import_module("evaldiac")
    finally:
        sys.path.remove(str(REPO / "benchmarks"))


def test_the_port_prints_what_evaldiac_printed(evaldiac: ModuleType, tmp_path: Path) -> None:
    ref, sys_file = tmp_path / "ref.txt", tmp_path / "sys.txt"
    ref.write_bytes("\r\n".join(REFERENCE).encode() + b"\r\n")
    sys_file.write_text("\n".join(SYSTEM) + "\n", encoding="utf-8")
    reference, system = evaldiac.read_lines(ref), evaldiac.read_lines(sys_file)
    assert len(reference) == len(system) == 7
    assert evaldiac.score(reference, system).summary(stem=False) == JAVA
    assert evaldiac.score(reference, system, stem=True).summary(stem=True) == JAVA_STEM


def test_default_marks_and_codes(evaldiac: ModuleType) -> None:
    # A fatha before ا, every sukun, and a vowel written before its shadda.
    assert evaldiac.remove_default_diac("الْكِتَابُ") == "الكِتابُ"
    shadda_fatha, fatha_shadda = "عَل\u0651\u064eمَ", "عَل\u064e\u0651مَ"
    assert evaldiac.remove_default_diac(shadda_fatha) == shadda_fatha
    assert evaldiac.remove_default_diac(fatha_shadda) == shadda_fatha
    assert evaldiac.diac_codes(shadda_fatha) == "ع1لAم1"
    assert evaldiac.diac_codes("كتب") == "ك0ت0ب0"
    assert len(evaldiac.java_units("😀")) == 2


def test_percentages_round_half_up_as_java_does(evaldiac: ModuleType) -> None:
    # 100 - 87.875 = 12.125 exactly: Java's %.2f gives 12.13, Python's round 12.12.
    assert evaldiac.java_percent(703, 800) == "12.13"
    assert evaldiac.java_percent(8, 15) == "46.67"
    assert evaldiac.java_percent(0, 0) == "NaN"


def test_a_missed_word_is_kept_with_its_readings(evaldiac: ModuleType) -> None:
    found = evaldiac.score(["قَرَأَ/قَرَّأَ دَرْسَهُ"], ["قَرَأُ دَرسُهُ"])
    assert found.correct_words == 0 and found.multi_ref_words == 1
    first, second = found.misses
    assert first.references == ("قَرَأَ", "قَر\u0651\u064eأَ") and first.lined_up
    assert second.references == ("دَرسَهُ",) and second.system == "دَرسُهُ"


def test_the_benchmark_refuses_wikinews_2024(tmp_path: Path) -> None:
    other = tmp_path / "WikiNews_2024_Multi_Ref.txt.diac"
    other.write_text("كَتَبَ\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "diacritization.py"), "--wikinews", str(other)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1 and "independent check" in done.stderr
