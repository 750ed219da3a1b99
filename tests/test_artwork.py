"""Cover art: the generated cover, and the checks on a user-supplied one."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFont

from nashra.core.errors import UsageError
from nashra.readers import read_article
from nashra.render.artwork import (
    ELLIPSIS,
    _ellipsize,
    arabic_font,
    can_shape_arabic,
    check_cover,
    draw_text,
    font_path,
    inspect_image,
    layout_title,
    make_cover,
    title_ink,
)
from tests.support import CORPUS

TITLE = "نشرة: أخبار مسموعة"


def save(path: Path, size: tuple[int, int], *, fmt: str, mode: str = "RGB") -> Path:
    Image.new(mode, size).save(path, format=fmt)
    return path


# ---------------------------------------------------------------- make_cover


def test_cover_is_a_square_rgb_png_of_the_asked_size() -> None:
    assert inspect_image(make_cover(TITLE)) == ("PNG", 1400, 1400, "RGB")
    assert inspect_image(make_cover(TITLE, size=3000)) == ("PNG", 3000, 3000, "RGB")


def test_cover_is_deterministic_per_title() -> None:
    assert make_cover(TITLE) == make_cover(TITLE)
    assert make_cover(TITLE) != make_cover("نشرة الصباح")


def test_cover_colour_comes_from_the_title() -> None:
    corner = [Image.open(BytesIO(make_cover(t))).getpixel((5, 5)) for t in (TITLE, "Daily")]
    assert corner[0] != corner[1]


def test_cover_has_a_motif_not_just_a_fill() -> None:
    image = Image.open(BytesIO(make_cover(TITLE)))
    colours = image.getcolors(maxcolors=1_000_000)
    assert colours is not None
    # Background, ring and bars each cover a real share of the picture.
    big = [count for count, _ in colours if count > 1400 * 1400 // 100]
    assert len(big) >= 3


needs_raqm = pytest.mark.skipif(not can_shape_arabic(), reason="Pillow has no raqm layout here")


def render(text: str, *, shaped: bool) -> Image.Image:
    image = Image.new("L", (900, 300), 0)
    draw_text(ImageDraw.Draw(image), (450, 150), text, arabic_font(120, shaped=shaped), 255)
    return image


def ink_box(image: Image.Image) -> tuple[int, int, int, int]:
    """The box around the ink of `image` (left, top, right, bottom)."""
    box = image.getbbox()
    assert box is not None, "nothing was drawn"
    return box


def ink_width(image: Image.Image) -> int:
    left, _top, right, _bottom = ink_box(image)
    return right - left


@needs_raqm
def test_arabic_is_shaped_and_laid_out_right_to_left() -> None:
    shaped, unshaped = render("نشرة", shaped=True), render("نشرة", shaped=False)
    assert ImageChops.difference(shaped, unshaped).getbbox() is not None
    # Joined letters are narrower than the same letters set one by one.
    assert ink_width(shaped) < ink_width(unshaped)
    # "ب ن": ب comes first, so right to left ن is on the left, and its dot is the top ink.
    image = render("ب ن", shaped=True)
    left, top, right, _bottom = ink_box(image)
    highest = [x for x in range(left, right) if image.getpixel((x, top))]
    assert max(highest) < (left + right) / 2
    mirrored = render("ب ن", shaped=False)  # the basic layout sets them left to right
    left, top, right, _bottom = ink_box(mirrored)
    assert min(x for x in range(left, right) if mirrored.getpixel((x, top))) > (left + right) / 2


@needs_raqm
def test_cover_shows_the_title() -> None:
    plain = Image.open(BytesIO(make_cover(TITLE, text=False)))
    titled = Image.open(BytesIO(make_cover(TITLE)))
    box = ImageChops.difference(plain, titled).getbbox()
    assert box is not None and box[1] > 1400 / 2  # set below the motif


def test_a_long_title_fits_inside_the_cover() -> None:
    image = Image.open(BytesIO(make_cover("كلمة طويلة جدا " * 30)))
    assert image.size == (1400, 1400)


CORPUS_TITLES = [read_article(path).title for path in sorted(CORPUS.glob("*/*.txt"))]
WHOLE_TITLES = [
    *CORPUS_TITLES,
    "لماذا تراجعت القراءة بين الشباب العرب؟",  # lost «الشباب العرب؟» at the bottom edge
    "الاقتصاد",
    "فيينا",
    ("كلمة طويلة جدا " * 20)[:200].strip(),
    ("أسواق الأسهم الخليجية تتعافى بعد استقرار برنت فوق 50 دولارا " * 4)[:200].strip(),
]
# Only these cannot be set whole: 600 letters, and one word of 200 letters.
TOO_LONG = ["هذا عنوان طويل للغاية يتجاوز كل حد معقول " * 15, "ا" * 200 + " " + "مستشفى" * 34]
SIDE = 1400
SAFE = (SIDE * 0.08, SIDE * 0.5, SIDE * 0.92, SIDE * 0.92)
"""The part of the cover the title's ink must stay inside: 8 % clear of every edge."""


def inside_safe_area(box: tuple[int, int, int, int] | None) -> bool:
    assert box is not None, "no ink at all"
    left, top, right, bottom = box
    return left >= SAFE[0] and top >= SAFE[1] and right <= SAFE[2] and bottom <= SAFE[3]


def dark_ink(cover: bytes) -> tuple[int, int, int, int] | None:
    """The box of the title's ink on a cover: nothing else on it is as dark in every channel
    (the background, ring and bars all have one channel above 110)."""
    r, g, b = Image.open(BytesIO(cover)).convert("RGB").split()
    brightest = ImageChops.lighter(ImageChops.lighter(r, g), b)
    return brightest.point(lambda v: 255 if v < 90 else 0).getbbox()


@needs_raqm
@pytest.mark.parametrize("title", WHOLE_TITLES + TOO_LONG)
def test_every_title_is_drawn_inside_the_safe_area(title: str) -> None:
    assert inside_safe_area(title_ink(title).getbbox())
    assert inside_safe_area(dark_ink(make_cover(title)))


@needs_raqm
@pytest.mark.parametrize("title", WHOLE_TITLES)
def test_a_title_that_fits_is_set_whole(title: str) -> None:
    layout = layout_title(title, SIDE * 2)
    assert " ".join(layout.lines) == " ".join(title.split())
    assert ELLIPSIS not in " ".join(layout.lines)


@needs_raqm
def test_short_titles_are_set_large_and_long_ones_wrap_before_they_shrink() -> None:
    one_word = layout_title("الاقتصاد", SIDE * 2)
    question = layout_title("لماذا تراجعت القراءة بين الشباب العرب؟", SIDE * 2)
    assert len(one_word.lines) == 1 and one_word.size >= SIDE * 2 * 0.09
    assert len(question.lines) == 2 and question.size > SIDE * 2 * 0.06


@needs_raqm
@pytest.mark.parametrize("title", TOO_LONG)
def test_only_what_cannot_fit_is_cut_with_an_ellipsis(title: str) -> None:
    layout = layout_title(title, SIDE * 2)
    shown = "".join(layout.lines).replace(" ", "")
    assert shown.endswith(ELLIPSIS)
    assert title.replace(" ", "").startswith(shown.removesuffix(ELLIPSIS))
    assert layout.size == round(SIDE * 2 * 0.04)  # the smallest size, and only then


def refusal(path: Path) -> str | None:
    """What `check_cover` says against the cover at `path`, or None when it takes it."""
    try:
        check_cover(path)
    except UsageError as exc:
        return str(exc)
    return None


def test_generated_cover_passes_its_own_check(tmp_path: Path) -> None:
    path = tmp_path / "cover.png"
    path.write_bytes(make_cover(TITLE))
    assert refusal(path) is None


@pytest.mark.parametrize("size", [1399, 3001, 0])
def test_cover_size_must_be_one_directories_accept(size: int) -> None:
    with pytest.raises(ValueError, match="between 1400 and 3000"):
        make_cover(TITLE, size=size)


# ---------------------------------------------------------------- inspect_image


def test_inspect_image_reports_format_size_and_mode(tmp_path: Path) -> None:
    jpeg = save(tmp_path / "a.jpg", (1500, 1400), fmt="JPEG").read_bytes()
    png = save(tmp_path / "b.png", (1400, 1400), fmt="PNG", mode="RGBA").read_bytes()

    assert inspect_image(jpeg) == ("JPEG", 1500, 1400, "RGB")
    assert inspect_image(png) == ("PNG", 1400, 1400, "RGBA")


def test_inspect_image_refuses_what_is_not_an_image() -> None:
    with pytest.raises(UsageError, match="not an image"):
        inspect_image("ليست صورة".encode())


# ---------------------------------------------------------------- check_cover


@pytest.mark.parametrize(
    ("name", "fmt", "size", "mode"),
    [
        ("cover.png", "PNG", (1400, 1400), "RGB"),
        ("cover.jpg", "JPEG", (3000, 3000), "RGB"),
        ("Cover.JPG", "JPEG", (2048, 2048), "RGB"),
        ("grey.jpg", "JPEG", (1400, 1400), "L"),
        ("palette.png", "PNG", (1400, 1400), "P"),
    ],
)
def test_acceptable_covers(
    tmp_path: Path, name: str, fmt: str, size: tuple[int, int], mode: str
) -> None:
    assert refusal(save(tmp_path / name, size, fmt=fmt, mode=mode)) is None


@pytest.mark.parametrize(
    ("name", "fmt", "size", "mode", "problem"),
    [
        ("cover.gif", "GIF", (1400, 1400), "P", "is a GIF image; cover art must be JPEG or PNG"),
        ("cover.webp", "WEBP", (1400, 1400), "RGB", "is a WEBP image"),
        ("cover.jpg", "PNG", (1400, 1400), "RGB", "rename it to cover.png"),
        ("cover.png", "JPEG", (1400, 1400), "RGB", "rename it to cover.jpg"),
        ("cover.jpeg", "JPEG", (1400, 1400), "RGB", "must end in .jpg"),
        ("cover.png", "PNG", (1600, 1400), "RGB", "1600×1400 px; cover art must be square"),
        ("cover.png", "PNG", (1000, 1000), "RGB", "between 1400 and 3000 px"),
        ("cover.png", "PNG", (3200, 3200), "RGB", "between 1400 and 3000 px"),
        ("cover.jpg", "JPEG", (1400, 1400), "CMYK", "CMYK"),
        ("cover.png", "PNG", (1400, 1400), "RGBA", "alpha"),
        ("cover.png", "PNG", (1400, 1400), "LA", "alpha"),
    ],
)
def test_unacceptable_covers(
    tmp_path: Path, name: str, fmt: str, size: tuple[int, int], mode: str, problem: str
) -> None:
    path = save(tmp_path / name, size, fmt=fmt, mode=mode)
    with pytest.raises(UsageError) as caught:
        check_cover(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert problem in str(caught.value)


def test_a_palette_png_with_transparency_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cover.png"
    Image.new("P", (1400, 1400), 0).save(path, format="PNG", transparency=0)
    with pytest.raises(UsageError, match="alpha"):
        check_cover(path)


def test_a_truncated_cover_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cover.png"
    path.write_bytes(make_cover(TITLE)[:20_000])
    with pytest.raises(UsageError, match=rf"^{path}: not an image that can be read"):
        check_cover(path)


def test_a_missing_cover_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cover.png"
    with pytest.raises(UsageError, match=rf"^{path}: cannot read the cover image"):
        check_cover(path)


class CountingFont(ImageFont.FreeTypeFont):
    """The real font, counting how often a text's width is measured."""

    measured = 0

    def getlength(self, text: str | bytes, *args: Any, **kwargs: Any) -> float:
        CountingFont.measured += 1
        return float(super().getlength(text, *args, **kwargs))


@needs_raqm
@pytest.mark.parametrize("title", ["خ" * 30_000, "خبر " * 10_000])
def test_a_huge_title_is_cut_without_measuring_all_of_it(title: str) -> None:
    # One word of 3,000 letters took 80 s to lay out (a letter cut at a time, to the
    # end of the word), 30,000 hung the build: every other article waited.
    font = CountingFont(str(font_path()), 40, layout_engine=ImageFont.Layout.RAQM)
    CountingFont.measured = 0
    lines = _ellipsize(title, font, width=600.0, room=3)
    assert len(lines) == 3 and lines[-1].endswith(ELLIPSIS)
    assert all(font.getlength(line, direction="rtl") <= 600 for line in lines)
    # Once per word to wrap, and a few dozen to cut: not the word's letters over again.
    assert CountingFont.measured < len(title.split()) + 100
