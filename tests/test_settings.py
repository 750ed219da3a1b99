from pathlib import Path

import pytest

from nashra.config.settings import Settings, load_settings
from nashra.core.errors import SettingsError

VALID = """\
title = "نشرة"
description = "وصف"
author = "فريق"
base_url = "https://example.org/podcast/"

[owner]
name = "فريق"
email = "team@example.org"
"""


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "podcast.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_defaults_then_file(tmp_path: Path) -> None:
    s = load_settings(write(tmp_path, VALID))
    assert s.title == "نشرة"
    assert s.base_url == "https://example.org/podcast"  # trailing slash dropped
    assert s.feed_url == "https://example.org/podcast/feed.xml"
    assert s.language == "ar"
    assert s.speech.engine == "auto"
    assert s.audio.bitrate == "96k"
    assert s.category == "News" and s.subcategory == "Daily News"
    assert s.explicit is False


def test_command_line_overrides_file(tmp_path: Path) -> None:
    s = load_settings(
        write(tmp_path, VALID + '[speech]\nengine = "gtts"\n'), {"speech.engine": "espeak"}
    )
    assert s.speech.engine == "espeak"


def test_repository_sample_project_is_valid() -> None:
    s = load_settings(Path(__file__).parents[1])
    assert s.language == "ar"
    assert s.base_url.startswith("https://")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('colour = "blue"\n', "unknown key `colour`"),
        ('[speech]\nvoice = "x"\n', "unknown key `speech.voice`"),
        ('[speech]\nengine = "polly"\n', "speech.engine"),
        ('[speech]\ngtts_packing = "paragraph"\n', "[speech.gtts] packing must be one of fill"),
        ('[audio]\nbitrate = "64k"\n', "96k"),
        ('language = "arabic"\n', "language"),
        ('explicit = "no"\n', "`explicit` must be true or false"),
        ("[audio]\nsentence_pause_ms = true\n", "not a boolean"),
    ],
)
def test_bad_values_name_the_key(tmp_path: Path, extra: str, message: str) -> None:
    # Top-level keys must come before the [owner] table to stay top-level.
    text = VALID + extra if extra.startswith("[") else extra + VALID
    with pytest.raises(SettingsError, match=r"podcast\.toml") as info:
        load_settings(write(tmp_path, text))
    assert message in str(info.value)


@pytest.mark.parametrize(
    "url", ["http://example.org", "example.org/podcast", "https://example.org/?a=1", "ftp://x.org"]
)
def test_base_url_must_be_absolute_https(tmp_path: Path, url: str) -> None:
    text = VALID.replace("https://example.org/podcast/", url)
    with pytest.raises(SettingsError, match="base_url"):
        load_settings(write(tmp_path, text))


@pytest.mark.parametrize(
    ("link", "why"),
    [
        ("javascript:alert(1)", "not javascript:"),
        ("https://example.org/\\u0001", "space or a control character"),
        ("//example.org", "not an absolute address"),
    ],
)
def test_link_is_held_to_the_rule_for_every_link(tmp_path: Path, link: str, why: str) -> None:
    text = VALID.replace('author = "فريق"', f'author = "فريق"\nlink = "{link}"')
    with pytest.raises(SettingsError, match=f"`link` must be an absolute http.*{why}"):
        load_settings(write(tmp_path, text))


def test_missing_keys_are_listed(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"missing required key.*base_url.*owner"):
        load_settings(write(tmp_path, 'title = "t"\ndescription = "d"\nauthor = "a"\n'))


def test_syntax_error_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"line 2"):
        load_settings(write(tmp_path, 'title = "t"\ndescription = \n'))


def test_missing_file_suggests_init(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="nashra init"):
        load_settings(tmp_path)


def test_owner_email_is_required(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="owner"):
        load_settings(write(tmp_path, VALID.replace("team@example.org", "nobody")))


def load(tmp_path: Path, top: str = "", tail: str = "") -> Settings:
    """`VALID` with `top` among its top-level keys and `tail` after its [owner] table."""
    head, owner = VALID.split("[owner]")
    return load_settings(write(tmp_path, f"{head}{top}\n[owner]{owner}{tail}\n"))


@pytest.mark.parametrize(
    ("top", "tail", "message"),
    [
        (
            'category = "Newz"',
            "",
            "`category` 'Newz' is not one of Apple's categories; did you mean `News`?",
        ),
        ('category = "news"', "", "did you mean `News`?"),
        (
            'category = "News"\nsubcategory = "Cooking"',
            "",
            "`subcategory` 'Cooking' is not one of Apple's subcategories of News; choose one of "
            "Business News, Daily News",
        ),
        ('subcategory = "Daily Newz"', "", "did you mean `Daily News`?"),
        ('category = "Arts"\nsubcategory = "Politics"', "", "belongs to `News`, not to `Arts`"),
        ('category = "History"\nsubcategory = "Daily News"', "", "`History` has no subcategories"),
        ('language = "arabic"', "", "did you mean `ar`?"),
        ('language = "ar_EG"', "", "did you mean `ar-eg`?"),
        ('language = "xx"', "", "`language` must be a language tag"),
        ('titel = "x"', "", "unknown key `titel`; did you mean `title`?"),
        (
            'espeak_voice = "ar"',
            "",
            "unknown key `espeak_voice`; it belongs under [speech.espeak] as `voice`",
        ),
        ("", 'language = "ar"', "`language` is read as `owner.language` because it comes after"),
        (
            "",
            '[audio]\nbitrat = "96k"',
            "unknown key `audio.bitrat`; did you mean `audio.bitrate`?",
        ),
        ("", "[audoi]\nbitrate = 96", "unknown key `audoi`; did you mean `audio`?"),
    ],
)
def test_apple_categories_language_and_keys_suggest_the_likely_value(
    tmp_path: Path, top: str, tail: str, message: str
) -> None:
    with pytest.raises(SettingsError) as info:
        load(tmp_path, top, tail)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("top", "category", "subcategory"),
    [
        ("", "News", "Daily News"),
        ('category = "History"', "History", None),  # the default subcategory is News's
        (
            'category = "Society & Culture"\nsubcategory = "Documentary"',
            "Society & Culture",
            "Documentary",
        ),
        (
            'category = "Religion & Spirituality"\nsubcategory = "Islam"',
            "Religion & Spirituality",
            "Islam",
        ),
    ],
)
def test_apple_categories_are_accepted(
    tmp_path: Path, top: str, category: str, subcategory: str | None
) -> None:
    settings = load(tmp_path, top)
    assert (settings.category, settings.subcategory) == (category, subcategory)


@pytest.mark.parametrize(
    ("language", "warned"),
    [("ar", False), ("ar-eg", False), ("ar-SA", False), ("arz", False), ("en", True), ("fa", True)],
)
def test_a_language_other_than_arabic_is_a_warning(
    tmp_path: Path, language: str, warned: bool
) -> None:
    from nashra.check import WARNING
    from nashra.check.settings_rules import settings_warnings

    findings = settings_warnings(load(tmp_path, f'language = "{language}"'))
    assert [(f.rule, f.severity) for f in findings] == ([("language", WARNING)] if warned else [])
