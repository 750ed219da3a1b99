"""Cover art: the one module that talks to Pillow.

`make_cover` draws a generated cover for podcasts (and episodes) that name no
image: the title set in Noto Kufi Arabic over a motif. `check_cover` holds a
user-supplied one to the rules directories enforce (JPEG or PNG, square,
1400–3000 px, RGB, extension matching the format).

Arabic needs shaping (letters take joined forms) and right-to-left ordering.
Pillow does both through its raqm layout, which loads the FriBiDi library at run
time; without it the text would come out as isolated letters in the wrong order,
so the cover is then drawn without text and a warning says why.
"""

from __future__ import annotations

import colorsys
import functools
import hashlib
import logging
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

from nashra.core.errors import UsageError

log = logging.getLogger(__name__)

MIN_SIDE = 1400
MAX_SIDE = 3000
_EXTENSION_FOR = {"JPEG": ".jpg", "PNG": ".png"}
# Drawn larger and scaled down, so curves and bar ends come out smooth.
_SUPERSAMPLE = 2
_BARS = 9
ART_VERSION = 3
"""Bump when generated covers change, so episodes that embed one are rebuilt."""
FONT_FAMILY = "Noto Kufi Arabic"
_FONT_WEIGHT = 700
_RING_RADIUS = 0.36  # of the side
_SAFE_MARGIN = 0.08  # of the side, kept clear of text on every edge
_TEXT_TOP_LIMIT = 0.5  # of the side: the band may rise over the bars, up to the middle
_LARGEST_TEXT = 0.095  # of the side
_SMALLEST_TEXT = 0.04  # of the side: about 56 px on a 1400 px cover
_LINE_SPACING = 1.45  # of the font size
_BAND_PADDING = 0.3  # of the font size, above the first line and below the last
ELLIPSIS = "…"


def can_shape_arabic() -> bool:
    """Whether Pillow can lay Arabic out (raqm with FriBiDi and HarfBuzz)."""
    return bool(features.check("raqm"))


@functools.cache
def _font_path() -> str:
    import fontpkg

    return str(fontpkg.path(FONT_FAMILY, weight=_FONT_WEIGHT))


def font_path() -> Path:
    """The Arabic font file (Noto Kufi Arabic, OFL-1.1), for pages that embed it."""
    return Path(_font_path())


def arabic_font(size: int, *, shaped: bool = True) -> ImageFont.FreeTypeFont:
    """Noto Kufi Arabic (bold) at `size` px; `shaped=False` gives Pillow's basic layout."""
    layout = ImageFont.Layout.RAQM if shaped else ImageFont.Layout.BASIC
    font = ImageFont.truetype(_font_path(), size, layout_engine=layout)
    font.set_variation_by_axes([float(_FONT_WEIGHT)])
    return font


def draw_text(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    text: str,
    font: ImageFont.FreeTypeFont,
    fill: int | tuple[int, int, int],
) -> None:
    """Draw one line centred on `xy`, laid out right to left as Arabic (`fill` as the image's mode
    takes it: a grey level, or an RGB colour)."""
    if font.layout_engine == ImageFont.Layout.RAQM:
        draw.text(xy, text, font=font, fill=fill, anchor="mm", direction="rtl", language="ar")
    else:
        draw.text(xy, text, font=font, fill=fill, anchor="mm")


@dataclass(frozen=True)
class TitleLayout:
    """How a title is set on a cover of side `side` px: its font size, its lines and the band."""

    side: int
    size: int
    lines: tuple[str, ...]
    band_top: float
    band_bottom: float

    @property
    def line_height(self) -> float:
        return self.size * _LINE_SPACING

    def line_centres(self) -> list[float]:
        first = self.band_top + self.size * _BAND_PADDING + self.line_height / 2
        return [first + i * self.line_height for i in range(len(self.lines))]


def safe_area(side: int) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of the part of a cover the title's ink must stay in.

    Apps crop and round the corners of covers, and show them as small as 55 px:
    text near an edge is the first thing lost.
    """
    margin = side * _SAFE_MARGIN
    return margin, side * _TEXT_TOP_LIMIT, side - margin, side - margin


def layout_title(title: str, side: int) -> TitleLayout:
    """Set `title` inside the safe area: as large as fits, wrapped onto as many lines as
    the space holds, and only as a last resort, at the smallest size, cut with «…».

    The band sits across the lower part of the ring and grows upwards, over the
    bars, when the title needs more lines.
    """
    title = " ".join(title.split())
    left, top_limit, right, bottom = safe_area(side)
    width = right - left
    default_top = side / 2 + side * _RING_RADIUS * 0.55
    size = round(side * _LARGEST_TEXT)
    floor = round(side * _SMALLEST_TEXT)
    while True:
        font = arabic_font(size)
        lines = _wrap(title, font, width)
        height = _band_height(size, len(lines))
        wide = any(_width(font, line) > width for line in lines)
        if not wide and height <= bottom - top_limit:
            break
        if size <= floor:
            lines = _ellipsize(title, font, width, _lines_that_fit(size, bottom - top_limit))
            height = _band_height(size, len(lines))
            break
        size = max(floor, round(size * 0.92))
    band_top = min(default_top, bottom - height)
    return TitleLayout(side, size, tuple(lines), band_top, band_top + height)


def _width(font: ImageFont.FreeTypeFont, text: str) -> float:
    return float(font.getlength(text, direction="rtl"))


def _band_height(size: int, lines: int) -> float:
    return size * (_LINE_SPACING * lines + 2 * _BAND_PADDING)


def _lines_that_fit(size: int, height: float) -> int:
    return max(1, int((height / size - 2 * _BAND_PADDING) // _LINE_SPACING))


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and _width(font, candidate) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def _ellipsize(text: str, font: ImageFont.FreeTypeFont, width: float, room: int) -> list[str]:
    """At most `room` lines, each within `width`, the last one ending in «…» when text is lost.

    A word too wide for a line on its own is cut between letters (never before a
    combining mark), so even a 200-letter word stays inside the cover.
    """
    lines: list[str] = []
    for line in _wrap(text, font, width):
        # Past `room` lines (and the one that tells text is lost) nothing is drawn: a
        # 30,000-letter title is not measured to the end.
        while len(lines) <= room and _width(font, line) > width:
            cut = _longest_prefix(line, lambda part: _width(font, part) <= width)
            lines.append(line[:cut])
            line = line[cut:].lstrip()
        if line:
            lines.append(line)
        if len(lines) > room:
            break
    if len(lines) <= room:
        return lines
    last = lines[room - 1]
    while last and _width(font, last + ELLIPSIS) > width:
        last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
    return [*lines[: room - 1], last.rstrip() + ELLIPSIS]


def _longest_prefix(text: str, fits: Callable[[str], bool]) -> int:
    """The length of the longest prefix of `text` that `fits`, cut between letters (≥ 1).

    Found by halving, as a prefix fits less the longer it is: a 3,000-letter word took
    80 s to cut one letter at a time.
    """
    fitting, too_long = 1, len(text) + 1
    while too_long - fitting > 1:
        middle = (fitting + too_long) // 2
        if fits(text[:middle]):
            fitting = middle
        else:
            too_long = middle
    end = fitting
    while end > 1 and end < len(text) and unicodedata.combining(text[end]):
        end -= 1
    return end


def make_cover(title: str, *, size: int = MIN_SIDE, text: bool = True) -> bytes:
    """A square RGB PNG derived from `title` alone: the same title gives the same bytes.

    A background colour picked from a hash of the title, a ring and a row of
    rounded bars like a sound wave, and the title set in Arabic below them
    (when Pillow can shape Arabic here; otherwise the motif alone, with a warning).
    """
    if not MIN_SIDE <= size <= MAX_SIDE:
        raise ValueError(f"cover size must be between {MIN_SIDE} and {MAX_SIDE} px, got {size}")
    digest = hashlib.sha256(title.encode("utf-8")).digest()
    hue = int.from_bytes(digest[:2], "big") / 65536
    background = _rgb(hue, 0.30, 0.55)
    ring = _rgb(hue, 0.40, 0.45)
    bars = _rgb((hue + 0.08) % 1.0, 0.90, 0.35)

    side = size * _SUPERSAMPLE
    image = Image.new("RGB", (side, side), background)
    draw = ImageDraw.Draw(image)
    centre = side / 2
    radius = side * _RING_RADIUS
    draw.ellipse(
        (centre - radius, centre - radius, centre + radius, centre + radius),
        outline=ring,
        width=round(side * 0.045),
    )
    bar_width = side * 0.04
    gap = side * 0.025
    left = centre - (_BARS * bar_width + (_BARS - 1) * gap) / 2
    for i in range(_BARS):
        # Taller in the middle so the row reads as a wave, varied by the hash.
        envelope = 1 - abs(i - (_BARS - 1) / 2) / _BARS
        height = side * (0.08 + 0.32 * envelope * (0.45 + 0.55 * digest[2 + i] / 255))
        x = left + i * (bar_width + gap)
        draw.rounded_rectangle(
            (x, centre - height / 2, x + bar_width, centre + height / 2),
            radius=bar_width / 2,
            fill=bars,
        )
    if text:
        _draw_title(draw, title, side)
    image = image.resize((size, size), Image.Resampling.LANCZOS)
    out = BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _draw_title(draw: ImageDraw.ImageDraw, title: str, side: int) -> None:
    if not " ".join(title.split()):
        return
    if not can_shape_arabic():
        log.warning(
            "the cover is drawn without its title: Pillow cannot shape Arabic here "
            "(its raqm layout needs the FriBiDi library, e.g. the libfribidi0 package)"
        )
        return
    layout = layout_title(title, side)
    # The text sits on a band across the lower part of the ring, readable on any hue.
    draw.rectangle((0, layout.band_top, side, layout.band_bottom), fill=(250, 248, 242))
    _draw_lines(draw, layout, (25, 25, 35))


def _draw_lines(draw: ImageDraw.ImageDraw, layout: TitleLayout, fill: tuple[int, int, int]) -> None:
    font = arabic_font(layout.size)
    for line, y in zip(layout.lines, layout.line_centres(), strict=True):
        draw_text(draw, (layout.side / 2, y), line, font, fill)


def title_ink(title: str, *, size: int = MIN_SIDE) -> Image.Image:
    """The title's ink alone (white on black, "L"), exactly where `make_cover` sets it."""
    side = size * _SUPERSAMPLE
    image = Image.new("RGB", (side, side), (0, 0, 0))
    _draw_lines(ImageDraw.Draw(image), layout_title(title, side), (255, 255, 255))
    return image.resize((size, size), Image.Resampling.LANCZOS).convert("L")


def _rgb(hue: float, lightness: float, saturation: float) -> tuple[int, int, int]:
    r, g, b = colorsys.hls_to_rgb(hue, lightness, saturation)
    return round(r * 255), round(g * 255), round(b * 255)


def inspect_image(data: bytes) -> tuple[str, int, int, str]:
    """(format, width, height, mode) of an image, e.g. ``("PNG", 1400, 1400, "RGB")``.

    The image is decoded in full, so a truncated file is caught here rather
    than by a podcast app.
    """
    try:
        with Image.open(BytesIO(data)) as image:
            image.load()
            fmt = image.format or "unknown"
            width, height = image.size
            mode = image.mode
            if mode == "P" and "transparency" in image.info:
                mode = "PA"
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise UsageError(f"not an image that can be read ({exc})") from exc
    return fmt, width, height, mode


def check_cover(path: Path) -> None:
    """Refuse a cover podcast directories would reject, saying what to change."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the cover image ({exc.strerror})") from exc
    try:
        fmt, width, height, mode = inspect_image(data)
    except UsageError as exc:
        raise UsageError(f"{path}: {exc}") from exc

    if fmt not in _EXTENSION_FOR:
        raise UsageError(f"{path}: is a {fmt} image; cover art must be JPEG or PNG")
    expected = _EXTENSION_FOR[fmt]
    if path.suffix.lower() != expected:
        raise UsageError(
            f"{path}: is a {fmt} image, so its name must end in {expected} "
            f"(apps and feedgen go by the extension); rename it to {path.stem}{expected}"
        )
    if width != height:
        raise UsageError(f"{path}: is {width}×{height} px; cover art must be square")
    if not MIN_SIDE <= width <= MAX_SIDE:
        raise UsageError(
            f"{path}: is {width}×{height} px; cover art must be "
            f"between {MIN_SIDE} and {MAX_SIDE} px on a side"
        )
    if mode == "CMYK":
        raise UsageError(f"{path}: uses CMYK colours; save it as RGB (Apple rejects CMYK)")
    if "A" in mode:
        raise UsageError(
            f"{path}: has a transparent (alpha) channel; save it without one, "
            "or as a JPEG, since some directories reject it"
        )
