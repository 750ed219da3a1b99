"""`nashra diacritize`: through click's CliRunner, and as a real program."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from nashra.cli import cli
from nashra.text.diacritize import strip_harakat
from nashra.text.vowelling import MAX_INPUT_BYTES
from tests.support import CORPUS

FATHA, DAMMA, KASRA, SHADDA = "\u064e", "\u064f", "\u0650", "\u0651"
ARTICLE = CORPUS / "saudinewsnet" / "04-alweeam.txt"


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    try:
        runner = CliRunner(mix_stderr=False)  # type: ignore[call-arg,unused-ignore]
    except TypeError:  # click >= 8.2 keeps stderr apart by itself
        runner = CliRunner()
    result = runner.invoke(cli, list(args), input=stdin, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_one_line_out_for_each_line_in_with_the_writers_letters(tmp_path: Path) -> None:
    lines = ARTICLE.read_text(encoding="utf-8").splitlines()[:12]
    source = tmp_path / "article.txt"
    source.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    code, out, _ = run("diacritize", str(source))
    assert code == 0
    said = out.split("\n")
    assert said[-1] == "" and len(said) - 1 == len(lines)
    assert [strip_harakat(line) for line in said[:-1]] == [strip_harakat(line) for line in lines]
    vowelled = [line for line in said if line.strip()]
    assert all(any(mark in line for mark in (FATHA, DAMMA, KASRA)) for line in vowelled)


def test_standard_input_when_no_file_is_named() -> None:
    code, out, _ = run("diacritize", stdin="وقال الوزير إن الاجتماع\n\nWhatsApp 2016".encode())
    assert code == 0
    first, blank, latin = out.split("\n")[:3]
    assert strip_harakat(first) == "وقال الوزير إن الاجتماع" != first
    assert (blank, latin) == ("", "WhatsApp 2016")


def test_json_says_whose_each_mark_is() -> None:
    # الملك is in the news lexicon (الْمَلِك, "the king"); كبّد carries the writer's
    # shadda; a bare إ gets its kasra from a rule; the rest is the model's.
    text = "قال الملك إن الأمر كبّد الشركة خسائر"
    code, out, _ = run("diacritize", "--json", stdin=text.encode())
    assert code == 0
    (line,) = [json.loads(row) for row in out.splitlines()]
    assert line["line"] == 1 and strip_harakat(line["text"]) == strip_harakat(text)
    words = {word["written"]: word for word in line["words"]}
    assert list(words) == text.split()
    king = words["الملك"]
    assert king["vowelled"].startswith("الْمَلِك") and not king["respelled"]
    assert {letter["source"] for letter in king["letters"][1:4]} == {"lexicon"}
    shadda = [letter for letter in words["كبّد"]["letters"] if SHADDA in letter["marks"]]
    # the writer's shadda stays; its vowel is the model's, or the past form II rule's
    assert [(letter["source"], letter["rule"]) for letter in shadda] in (
        [("writer", "")],
        [("writer+model", "")],
        [("rule", "past form II")],
    )
    assert all(word["confidence"] is None for word in line["words"])  # the model gives none
    sources = {letter["source"] for word in line["words"] for letter in word["letters"]}
    assert "model" in sources
    for word in line["words"]:
        assert "".join(x["letter"] + x["marks"] for x in word["letters"]) == word["vowelled"]
        for letter in word["letters"]:
            assert (letter["source"] == "rule") == ("rule" in letter)


def test_verbose_says_where_the_lexicon_changes_letters() -> None:
    code, out, err = run("diacritize", "-v", stdin="استقبل عبدالعزيز الوفد".encode())
    assert code == 0
    assert "عبدالعزيز" in err and "عَبْدُ" in err.split("read as")[1]
    assert strip_harakat(out.strip()) == "استقبل عبد العزيز الوفد"
    code, _, err = run("diacritize", stdin="استقبل عبدالعزيز الوفد".encode())
    assert code == 0 and "عبدالعزيز" not in err


def test_bad_input_is_named_and_refused(tmp_path: Path) -> None:
    binary = tmp_path / "picture.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Ça coûte très cher, dit-il à la télé. ".encode("latin-1") * 20)
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as stream:
        stream.truncate(MAX_INPUT_BYTES + 1)
    for path, problem in [
        (binary, "looks like a binary file"),
        (latin, "is not UTF-8 text"),
        (huge, "is larger than 16 MiB"),
    ]:
        code, out, err = run("diacritize", str(path))
        assert code == 1 and out == ""
        assert f"{path}: {problem}" in err and "Traceback" not in err
    code, _, err = run("diacritize", stdin=b"\x00\x01binary")
    assert code == 1 and "standard input: looks like a binary file" in err
    code, _, err = run("diacritize", str(tmp_path / "missing.txt"))
    assert code == 2 and "does not exist" in err


def test_windows_1256_is_read_as_arabic(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    text = "وقال الوزير إن الاجتماع سيعقد غدا في الرياض لبحث الأوضاع"
    source = tmp_path / "old.txt"
    source.write_bytes(text.encode("cp1256"))
    code, out, _ = run("diacritize", str(source))
    assert code == 0 and strip_harakat(out.strip()) == text
    assert "read it as cp1256" in caplog.text


def test_as_a_program() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-m", "nashra", "diacritize"],
        input="ذهب الطالب إلى المدرسة\n".encode(),
        capture_output=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode()
    assert strip_harakat(out) == "ذهب الطالب إلى المدرسة\n" != out
    done = subprocess.run(
        [sys.executable, "-m", "nashra", "diacritize", "/dev/null", "--json"],
        capture_output=True,
        env=env,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, b"")
    done = subprocess.run(
        [sys.executable, "-m", "nashra", "diacritize"],
        input=b"\xff\xfe\x00garbage\x00",
        capture_output=True,
        env=env,
        check=False,
    )
    assert done.returncode == 1 and b"Traceback" not in done.stderr
    assert b"standard input" in done.stderr
