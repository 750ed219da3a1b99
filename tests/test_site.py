"""The web pages: rendered from the build state, escaped, relative, deterministic."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest

from nashra.config.settings import Settings, load_settings
from nashra.core.model import Chapter, Cue, EpisodeRecord
from nashra.render import site
from tests.support import make_project


def css(doc: lxml.html.HtmlElement, selector: str) -> list[lxml.html.HtmlElement]:
    """The few CSS selectors these tests use (tag, #id, .class, [attr], [attr=value]), as XPath."""
    steps = []
    for token in selector.split():
        match = re.fullmatch(r"([a-z0-9]*)((?:[#.][\w-]+|\[[^\]]+\])*)", token)
        assert match, token
        tests = []
        for part in re.findall(r"[#.][\w-]+|\[[^\]]+\]", match.group(2)):
            if part[0] == "#":
                tests.append(f"@id='{part[1:]}'")
            elif part[0] == ".":
                tests.append(f"contains(concat(' ', @class, ' '), ' {part[1:]} ')")
            else:
                name, _, value = part[1:-1].partition("=")
                tests.append(f"@{name}='{value.strip(chr(34))}'" if value else f"@{name}")
        steps.append((match.group(1) or "*") + "".join(f"[{t}]" for t in tests))
    return list(doc.xpath("//" + "//".join(steps)))


def record(slug: str = "first", **changes: object) -> EpisodeRecord:
    fields: dict[str, object] = {
        "slug": slug,
        "source": f"articles/{slug}.txt",
        "guid": f"guid-{slug}",
        "first_published": "2024-03-12T08:00:00+00:00",
        "content_key": "k",
        "engine": "espeak",
        "voice_id": "v",
        "file": f"episodes/{slug}-v2.mp3",
        "length": 1000,
        "duration": 125.4,
        "title": 'عنوان <script>alert(1)</script> & "اقتباس"',
        "description": "مقدمة الحلقة",
        "author": "كاتب",
        "pub_date": "2024-03-12T08:00:00+00:00",
        "link": "https://example.org/مقال",
        "chapters": (Chapter(0.0, "المقدمة"), Chapter(10.5, "القسم <b>الثاني</b>")),
        "cues": (
            Cue(0.3, 4.0, "الجملة الأولى."),
            Cue(4.3, 9.0, "الجملة الثانية <img src=x onerror=alert(1)>."),
            Cue(10.5, 14.0, "جملة القسم الثاني."),
        ),
        "image": f"episodes/{slug}-v2.png",
    }
    fields.update(changes)
    return EpisodeRecord(**fields)  # type: ignore[arg-type]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(make_project(tmp_path / "podcast", []))


FILES = {"chapters": "episodes/first-v2.chapters.json", "vtt": "episodes/first-v2.vtt"}


def test_index_is_arabic_right_to_left_with_the_episodes_newest_first(settings: Settings) -> None:
    older = record("older", pub_date="2024-01-01T08:00:00+00:00", title="الأقدم")
    html = site.render_index(settings, [older, record()], cover="cover.png").decode()
    doc = lxml.html.fromstring(html)
    assert doc.get("dir") == "rtl"
    assert doc.get("lang") == "ar"
    assert [h.text_content() for h in css(doc, "h1")] == [settings.title]
    links = [a.get("href") for a in css(doc, ".episode h3 a")]
    assert links == ["episodes/first.html", "episodes/older.html"]
    assert [a.get("src") for a in css(doc, ".episode audio")] == [
        "episodes/first-v2.mp3",
        "episodes/older-v2.mp3",
    ]
    assert css(doc, "#feed-url")[0].get("value") == settings.feed_url
    assert "12 مارس 2024" in html
    assert css(doc, "time[datetime=PT125S]")[0].text == "2:05"


def test_episode_page_names_the_records_files_relative_to_itself(settings: Settings) -> None:
    html = site.render_episode(settings, record(), cover="cover.png", files=FILES).decode()
    doc = lxml.html.fromstring(html)
    assert css(doc, "#player")[0].get("src") == "first-v2.mp3"
    assert css(doc, ".show img")[0].get("src") == "first-v2.png"
    assert css(doc, ".crumbs a")[0].get("href") == "../index.html"
    hrefs = [a.get("href") for a in css(doc, ".files a")]
    assert hrefs == ["first-v2.mp3", "first-v2.chapters.json", "first-v2.vtt"]
    assert "../assets/NotoKufiArabic.ttf" in html
    assert css(doc, 'link[rel="alternate"]')[0].get("href") == "../feed.xml"


def test_chapters_and_cues_carry_their_times_and_the_transcript_follows_chapters(
    settings: Settings,
) -> None:
    html = site.render_episode(settings, record(), cover="cover.png", files=FILES).decode()
    doc = lxml.html.fromstring(html)
    assert [b.get("data-start") for b in css(doc, ".chapter")] == ["0.000", "10.500"]
    cues = css(doc, ".cue")
    assert [(c.get("data-start"), c.get("data-end")) for c in cues] == [
        ("0.300", "4.000"),
        ("4.300", "9.000"),
        ("10.500", "14.000"),
    ]
    assert all(c.get("tabindex") == "0" and c.get("role") == "button" for c in cues)
    headings = [h.text_content() for h in css(doc, "#transcript h3")]
    assert headings == ["المقدمة", "القسم <b>الثاني</b>"]


def test_article_text_is_escaped_everywhere(settings: Settings) -> None:
    for html in (
        site.render_episode(settings, record(), cover="cover.png", files=FILES),
        site.render_index(settings, [record()], cover="cover.png"),
    ):
        text = html.decode()
        assert "<script>alert" not in text
        assert "<img src=x" not in text
        assert "<b>الثاني" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;اقتباس&#34;" in text


def test_pages_fetch_nothing_from_elsewhere(settings: Settings) -> None:
    for html in (
        site.render_episode(settings, record(), cover="cover.png", files=FILES),
        site.render_index(settings, [record()], cover="cover.png"),
    ):
        doc = lxml.html.fromstring(html)
        # Resources the browser loads by itself: all relative.
        loaded = [e.get("src") for e in css(doc, "[src]")]
        loaded += [e.get("href") for e in css(doc, "link[href]")]
        assert loaded and all("//" not in url and ":" not in url for url in loaded), loaded
        assert not css(doc, "script[src]")
        assert not re.search(r"url\((?!\"?\.?\.?/?assets/)", html.decode())
        assert "@import" not in html.decode()


def test_apps_open_the_feed_url(settings: Settings) -> None:
    doc = lxml.html.fromstring(site.render_index(settings, [], cover="cover.png"))
    apps = {a.text_content(): a.get("href") for a in css(doc, ".apps a")}
    assert apps["Apple Podcasts"] == "podcast://nashra.example.org/podcast/feed.xml"
    assert apps["Overcast"].endswith("https%3A%2F%2Fnashra.example.org%2Fpodcast%2Ffeed.xml")
    assert apps["RSS"] == "feed.xml"


def test_file_names_with_spaces_and_arabic_are_percent_encoded(settings: Settings) -> None:
    odd = record("مقال جديد", file="episodes/مقال جديد.mp3", image=None)
    doc = lxml.html.fromstring(site.render_episode(settings, odd, cover="cover.png"))
    assert (
        css(doc, "#player")[0].get("src")
        == "%D9%85%D9%82%D8%A7%D9%84%20%D8%AC%D8%AF%D9%8A%D8%AF.mp3"
    )
    assert css(doc, ".show img")[0].get("src") == "../cover.png"


def test_write_site_is_deterministic_and_removes_pages_of_unpublished_episodes(
    settings: Settings,
) -> None:
    out = settings.output_dir
    files = {"first": FILES}
    written = site.write_site(
        settings, [record(), record("second")], cover="cover.png", files=files
    )
    assert written == [
        "assets/NotoKufiArabic.ttf",
        "assets/NotoKufiArabic-OFL.txt",
        "episodes/first.html",
        "episodes/second.html",
        "index.html",
    ]
    before = {p: (out / p).read_bytes() for p in written}
    (out / "episodes" / "first-v2.mp3").write_bytes(b"audio")
    site.write_site(settings, [record(), record("second")], cover="cover.png", files=files)
    assert {p: (out / p).read_bytes() for p in written} == before
    assert b"Open Font License" in before["assets/NotoKufiArabic-OFL.txt"]

    site.write_site(settings, [record()], cover="cover.png", files=files)
    assert not (out / "episodes" / "second.html").exists()
    assert (out / "episodes" / "first.html").exists()
    assert (out / "episodes" / "first-v2.mp3").exists()


def test_templates_ship_inside_the_package() -> None:
    from importlib.resources import files

    folder = files("nashra.render") / "templates"
    names = {"base.html", "index.html", "episode.html", "site.css", "site.js"}
    assert names <= {entry.name for entry in folder.iterdir()}


@pytest.mark.slow
def test_a_build_writes_the_pages_for_its_episodes_and_again_the_same(
    small_project: Path,
) -> None:
    from nashra.stages.builder import build
    from nashra.storage.state import BuildState, Details

    settings = load_settings(small_project)
    assert build(settings, jobs=2).ok
    out = settings.output_dir
    state = BuildState.load(settings.work_dir / "state.sqlite")
    pages = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.html")}
    assert set(pages) == {"index.html"} | {site.page_path(r) for r in state.episodes.values()}
    for episode in state.episodes.values():
        page = lxml.html.fromstring(pages[site.page_path(episode)])
        src = css(page, "#player")[0].get("src")
        assert (out / "episodes" / src).resolve() == (out / episode.file).resolve()
        cues = Details(settings.work_dir / "state.sqlite").cues(episode)
        assert len(css(page, ".cue")) == len(cues) > 0
    assert build(settings, jobs=2).ok
    assert {p: (out / p).read_bytes() for p in pages} == pages


@pytest.mark.parametrize("link", ["javascript:alert(7)", " JAVASCRIPT:alert(7)", "data:,x"])
def test_a_stored_link_that_is_not_http_is_not_put_on_the_page(
    settings: Settings, link: str
) -> None:
    # An older nashra stored front matter links unchecked; the page must not run them.
    html = site.render_episode(settings, record(link=link), cover="cover.png", files=FILES)
    hrefs = [a.get("href") or "" for a in css(lxml.html.fromstring(html.decode()), "a")]
    assert hrefs and not [h for h in hrefs if ":" in h and not h.startswith("http")]
    assert b"alert(7)" not in html and b"data:,x" not in html
