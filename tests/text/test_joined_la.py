"""لا written apart from the word a paper joined it to, and words that only start with لا."""

from __future__ import annotations

import pytest

from nashra.text.normalize import joined_la, normalize


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        # The two the diacritizer read as one word on unseen archive days (2015-08).
        ("ولاشك أن هذا القرار صائب", "ولا شك أن هذا القرار صائب"),
        ("لاتأخذ الأمور بهذه البساطة", "لا تأخذ الأمور بهذه البساطة"),
        # More of what the archive writes joined.
        ("لابد من مراجعة الإدارة", "لا بد من مراجعة الإدارة"),
        ("فلابد أن", "فلا بد أن"),
        ("لابدّ منه", "لا بدّ منه"),  # with its shadda
        ("ومازال الفريق يتدرب ولاتزال الإصابة", "ومازال الفريق يتدرب ولا تزال الإصابة"),
        ("كل لايتجزأ.", "كل لا يتجزأ."),
        ("* لايشك اثنان", "* لا يشك اثنان"),
        ("عمره لايقل عن 18 عاما", "عمره لا يقل عن 18 عاما"),
        ("«لايوجد»", "«لا يوجد»"),
    ],
)
def test_joined_la_is_split(given: str, expected: str) -> None:
    assert joined_la(given) == expected


@pytest.mark.parametrize(
    "text",
    [
        # Words of their own that start with لا.
        "لاعب الهلال واللاجئين ولازم اللائحة لاحقا",
        "لاتفيا ولاتيني ولايف ولاين",
        "لانه لم يحضر",  # لأنه without its hamza
        "لازمة لازمته",  # لازم, a verb of its own
        # Compounds written as one word on purpose, and لاسيما, spelled both ways.
        "اتصال لاسلكي واللاشيء ولاسيما",
        # Already apart, or a longer word.
        "لا شك ولا بد",
        "لاشكالية",
    ],
)
def test_words_that_start_with_la_are_left(text: str) -> None:
    assert joined_la(text) == text


def test_normalize_splits_joined_la() -> None:
    assert normalize("ولاشك أن") == "ولا شك أن"
