from pathlib import Path

import pytest

from nashra.core.errors import ArticleError
from nashra.readers import read_article
from nashra.readers.decoding import arabic_share, decode_article

SEED = Path(__file__).parents[1] / "data" / "corpus" / "seed" / "whatsapp-privacy.txt"
TEXT = SEED.read_text(encoding="utf-8")
PATH = Path("article.txt")


@pytest.mark.parametrize(
    "encoded",
    [
        TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),  # with its byte-order mark
        TEXT.encode("utf-16-be").join([b"\xfe\xff", b""]),
        TEXT.encode("cp1256"),  # Windows-1256, from older Arabic Windows programs
        "عنوان\nنص قصير.\n".encode("cp1256"),  # too short for statistics
    ],
)
def test_arabic_in_every_common_encoding(encoded: bytes) -> None:
    decoded = decode_article(encoded, PATH)
    assert decoded.lstrip("\ufeff").startswith(("خبير تسويق", "عنوان"))


def test_cp1256_article_builds_like_utf8(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(TEXT.encode("cp1256"))
    (tmp_path / "b.txt").write_bytes(TEXT.encode("utf-8"))
    a, b = read_article(tmp_path / "a.txt"), read_article(tmp_path / "b.txt")
    assert (a.title, a.author, a.sections) == (b.title, b.author, b.sections)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"<!DOCTYPE html><html><body><p>\xd8\xae\xd8\xa8\xd8\xb1</p></body></html>", "web page"),
        (b"  <html lang='ar'><head><title>x</title></head></html>", "web page"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Café au lait, un texte français.".encode("latin-1"), "no Arabic encoding fits"),
        (b"\xff\xfe\x00\xd8", "byte-order mark"),
    ],
)
def test_refusals_say_why(data: bytes, problem: str) -> None:
    with pytest.raises(ArticleError, match=problem):
        decode_article(data, PATH)


def test_arabic_share() -> None:
    assert arabic_share("واتساب WhatsApp") == pytest.approx(6 / 14)
    assert arabic_share("خبر عاجل 2015") == 1.0
    assert arabic_share("123 ...") == 0.0


@pytest.mark.parametrize("cut", [1, 2])
def test_utf8_cut_inside_its_last_character_stays_utf8(
    cut: int, caplog: pytest.LogCaptureFixture
) -> None:
    whole = TEXT.rstrip().encode("utf-8")
    assert len(whole[-2:].decode("utf-8")) == 1  # the text ends in a two-byte letter
    data = whole + "ة".encode()[:1] if cut == 1 else whole + "…".encode()[:2]
    with caplog.at_level("WARNING", logger="nashra.readers.decoding"):
        decoded = decode_article(data, PATH)
    assert decoded == TEXT.rstrip()
    assert [r.getMessage() for r in caplog.records] == [
        f"{PATH} is cut short inside its last character; read it as UTF-8 without that character"
    ]


def test_a_damaged_byte_in_utf8_is_dropped_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    data = TEXT.encode("utf-8")
    where = data.index("تسويق".encode())
    damaged = data[:where] + b"\xff" + data[where:]
    with caplog.at_level("WARNING", logger="nashra.readers.decoding"):
        assert decode_article(damaged, PATH) == TEXT
    assert f"1 damaged byte (the first at position {where})" in caplog.text
