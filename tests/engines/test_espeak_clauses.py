"""A comma pause cuts a sentence into clauses for the listener, not for the diacritizer:
the clauses of one sentence are vowelled together, as the whole sentence was."""

from __future__ import annotations

import pytest

from nashra.config.settings import Audio
from nashra.engines.espeak.spelling import prepare_script
from nashra.readers import read_article
from nashra.stages.script import make_script
from tests.support import DATA


@pytest.mark.parametrize(
    "name", ["aawsat-quoted-dash-heading.txt", "aawsat-service-credit.txt", "README.md"]
)
def test_a_comma_pause_leaves_the_vowels_as_the_whole_sentence_gets_them(name: str) -> None:
    article = read_article(next(DATA.rglob(name)))
    whole = prepare_script(make_script(article, Audio(comma_pause_ms=0)))
    clauses = prepare_script(make_script(article, Audio(comma_pause_ms=200)))
    assert len(clauses.utterances) > len(whole.utterances)
    said = [" ".join(u.speech for u in script.utterances).split() for script in (whole, clauses)]
    assert said[1] == said[0]
