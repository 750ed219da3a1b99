"""`nashra diacritize`'s library side: lines, sentences and pieces, and what --json shows."""

from __future__ import annotations

from nashra.text import diacritize as d
from nashra.text import vowelling as v
from nashra.text.letters import HARAKAT_RE, KASRA


def test_each_sentence_is_diacritized_as_a_build_gives_it() -> None:
    first, second = "وصل الوفد إلى الرياض مساء أمس.", "«وبحث الجانبان التعاون»"
    line = v.diacritize_line(f"  {first}   {second} ", 7)
    assert line.number == 7
    assert line.text == f"  {d.diacritize(first)}   {d.diacritize(second)} "
    assert [word.written for word in line.words] == (first + " " + second).replace("«", "").replace(
        "»", ""
    ).replace(".", "").split()


def test_lines_split_at_line_feeds_only() -> None:
    lines = list(v.diacritize_lines("سطر أول\r\n\nسطر\u2028ثالث\n"))
    assert [line.number for line in lines] == [1, 2, 3]
    assert [d.strip_harakat(line.text) for line in lines] == ["سطر أول", "", "سطر\u2028ثالث"]
    assert list(v.diacritize_lines("")) == []


def test_a_long_run_is_cut_at_spaces_and_keeps_its_text() -> None:
    words = ["وقال", "الوزير", "إن", "الحكومة", "ستعلن", "خطة", "جديدة"] * 80
    text = " ".join(words)  # 2,800 characters and no sentence punctuation
    pieces = v._pieces(text)
    assert len(pieces) == 2 and "".join(pieces) == text
    assert all(len(piece) <= v.MAX_PIECE for piece in pieces) and pieces[1].startswith(" ")
    line = v.diacritize_line(text)
    assert d.strip_harakat(line.text) == text and len(line.words) == len(words)


def test_a_run_without_spaces_is_never_cut_between_a_letter_and_its_marks() -> None:
    marked = "كَ" * 1500
    pieces = v._pieces(marked)
    assert "".join(pieces) == marked
    assert all(not HARAKAT_RE.match(piece[0]) for piece in pieces)


def test_json_lists_every_letter_with_its_marks_and_source() -> None:
    shown = v.as_json(v.diacritize_line("إجمالي الملك"))
    assert shown["line"] == 1
    words = shown["words"]
    assert isinstance(words, list) and [w["written"] for w in words] == ["إجمالي", "الملك"]
    hamza = words[0]["letters"][0]
    assert hamza["letter"] == "إ" and hamza["marks"] == KASRA
    assert hamza["source"] in ("model", "rule")
    assert (hamza["source"] == "rule") == (hamza.get("rule") == "hamza below kasra")
    assert {x["source"] for x in words[1]["letters"][1:4]} == {"lexicon"}
