"""The project lexicon in SSML requests: `ssml.said` and `ssml.sub`, the check before
sending, and the plain text of a request for voices that take no SSML."""

from __future__ import annotations

import pytest

from nashra.core.model import Utterance
from nashra.engines import ssml
from nashra.text.lexicon import Lexicon, match_key


def _utterance(speech: str, *aliases: tuple[str, str]) -> Utterance:
    return Utterance(speech, speech, 0, 0, aliases=aliases)


@pytest.mark.parametrize(
    ("speech", "aliases", "sent"),
    [
        ("على واتس آب", [("واتساب", "واتس آب")], 'على <sub alias="واتس آب">واتساب</sub>'),
        # Clitics stay with the word, as the lexicon replaced it whole.
        ("بالواتس آب", [("بالواتساب", "بالواتس آب")], '<sub alias="بالواتس آب">بالواتساب</sub>'),
        # Escaping: the alias as an attribute (quotes, &, <), the written form as text.
        (
            'a "b" & <c>',
            [("<w>", '"b" & <c>')],
            "a <sub alias='\"b\" &amp; &lt;c&gt;'>&lt;w&gt;</sub>",
        ),
        ("x & y", [("z", "y")], 'x &amp; <sub alias="y">z</sub>'),
        # A spoken form the speech does not hold (normalized otherwise) is said as it is.
        ("ثلاثة ملايين", [("٣", "3")], "ثلاثة ملايين"),
        # Two replacements, in order; the same form twice.
        ("أ ب أ", [("ا", "أ"), ("ا", "أ")], '<sub alias="أ">ا</sub> ب <sub alias="أ">ا</sub>'),
    ],
)
def test_said_wraps_the_lexicons_replacements_in_sub(
    speech: str, aliases: list[tuple[str, str]], sent: str
) -> None:
    said = ssml.said(_utterance(speech, *aliases))
    assert said == sent
    assert ssml.checked(said) == said


def test_plain_text_says_the_alias_not_the_written_word() -> None:
    said = ssml.request([_utterance("نشر على واتس آب أمس", ("واتساب", "واتس آب"))]).speech
    assert ssml.plain(said) == "نشر على واتس آب أمس"


@pytest.mark.parametrize(
    "sent",
    [
        '<sub alias="x" extra="y">w</sub>',
        '<sub alias="...">w</sub>',
        '<sub alias="x"><break time="1ms"/></sub>',
        "<sub>w</sub>",
    ],
)
def test_a_sub_not_as_said_makes_it_is_refused(sent: str) -> None:
    with pytest.raises(ValueError, match="holds a <sub> element"):
        ssml.checked(f"نص {sent}")


def test_the_lexicon_says_what_it_replaced() -> None:
    lexicon = Lexicon({match_key("واتساب"): "واتس آب"})
    assert lexicon.replacements("بالواتساب وفيسبوك") == (
        "بالواتس آب وفيسبوك",
        (("بالواتساب", "بالواتس آب"),),
    )
    assert Lexicon().replacements("واتساب") == ("واتساب", ())
