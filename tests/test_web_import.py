"""`nashra import url|feed`: real Arabic news pages served by a real local server, and the
faults a newsroom's website has on a bad day."""

from __future__ import annotations

import re
import socket
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest

from nashra import __version__
from nashra.cli import cli
from nashra.readers import read_article
from nashra.web.fetch import Fetcher, FetchOptions
from nashra.web.importer import import_feeds, import_pages
from tests.support import DATA, make_project
from tests.test_cli import runner
from tests.web_server import Page, Site, silent, stream

WEB = DATA / "web"
FAST = FetchOptions(rate=1000, timeout=2, retries=2, backoff=0)

PAGES: dict[str, dict[str, Any]] = {
    "youm7.com": {
        "title": (
            "وزير الرى يشهد توقيع عقد دراسة تحديد السحب الآمن للخزانات الجوفية مع جامعة القاهرة"
        ),
        "author": None,
        "date": "2020-08-24",
        "boilerplate": [
            "الزمالك يرفض اعتذار وليد سليمان ويقرر تقديم شكوى ضده",
            "بايرن ميونخ يرفع كأس دوري أبطال أوروبا للمرة السادسة",
            "وزير التعليم العالى: 6 جامعات أهلية جديدة",
        ],
    },
    "albayan.ae": {
        "title": "القائم بأعمال السفارة الأفغانية يثمّن جهود الإمارات",
        "author": None,
        "date": "2020-06-03",
        "boilerplate": [
            "تابعوا أخبار الإمارات من البيان عبر غوغل نيوز",
            "هل تؤيد طرح تخصصات تعتمد التعلم عن بعد في جامعات تقليدية",
            "مواقيت الصلاة",
        ],
    },
    "alyaum.com": {
        "title": "طهران تدفن «زادة».. وتتهم المعارضة الإيرانية باغتياله",
        "author": "حسام أبو العلا",
        "date": "2020-12-01",
        "boilerplate": [
            "مسلحون يطلقون صواريخ على قواعد عسكرية أجنبية في مالي",
            "الصحة : استمرار تراجع حالات كورونا النشطة",
            "كان يلهو مع كلابه .. بايدن يتعرض لكسور في قدمه",
        ],
    },
}


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def coverage(expected: str, got: str) -> float:
    """The share of the expected text's words that the extracted text holds (as a multiset)."""
    have: dict[str, int] = {}
    for word in words(got):
        have[word] = have.get(word, 0) + 1
    found = 0
    wanted = words(expected)
    for word in wanted:
        if have.get(word, 0) > 0:
            have[word] -= 1
            found += 1
    return found / len(wanted)


def serve(site: Site, name: str, path: str | None = None) -> str:
    path = path or f"/news/{name}"
    site.routes[path] = Page((WEB / f"{name}.html").read_bytes())
    return site.url(path)


def article_page(title: str, paragraphs: list[str], *, canonical: str | None = None) -> bytes:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><title>{title}</title>{link}</head><body>"
        f"<nav><a href='/'>الرئيسية</a> <a href='/sport'>رياضة</a></nav>"
        f"<article><h1>{title}</h1>{body}</article>"
        f"<footer>جميع الحقوق محفوظة</footer></body></html>"
    ).encode()


LONG = [
    "قال المتحدث باسم الوزارة في مؤتمر صحفي عقده صباح اليوم إن الحكومة ستطلق برنامجا جديدا "
    "لدعم المشروعات الصغيرة والمتوسطة في المدن والقرى خلال الأشهر المقبلة.",
    "وأضاف أن البرنامج يشمل قروضا ميسرة وتدريبا للشباب على إدارة الأعمال والتسويق الرقمي، "
    "مشيرا إلى أن التسجيل سيبدأ مطلع الشهر القادم عبر المنصة الإلكترونية.",
    "وأكد أن الوزارة ستتابع تنفيذ البرنامج مع الجهات المعنية وستنشر تقارير دورية عن نتائجه.",
]


def feed(
    site: Site, items: list[tuple[str, str]], *, content: dict[str, str] | None = None
) -> bytes:
    """An RSS 2.0 feed listing `items` (title, address)."""
    entries = []
    for number, (title, url) in enumerate(items):
        when = format_datetime(datetime(2026, 12, 7, 8, number, tzinfo=UTC))
        full = (content or {}).get(url)
        encoded = f"<content:encoded><![CDATA[{full}]]></content:encoded>" if full else ""
        entries.append(
            f"<item><title>{title}</title><link>{url}</link><guid>{url}</guid>"
            f"<pubDate>{when}</pubDate>{encoded}</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>أخبار</title><link>{site.url('/')}</link><description>d</description>"
        + "".join(entries)
        + "</channel></rss>"
    ).encode()


def front(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("\n---\n", 1)[0]


# ---------------------------------------------------------------- real pages


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_real_news_page_becomes_its_article_and_nothing_else(
    site: Site, tmp_path: Path, name: str
) -> None:
    expected = PAGES[name]
    url = serve(site, name)
    fetcher = Fetcher(FAST)
    result = import_pages([url + "?utm_source=rss#top"], tmp_path, fetcher)
    assert not result.failed, result.failed
    [path] = result.written
    article = read_article(path)
    body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    share = coverage((WEB / f"{name}.txt").read_text(encoding="utf-8"), body)
    assert share >= 0.95, f"{name}: {share:.1%} of the article's words"
    for line in expected["boilerplate"]:
        assert line not in body, f"{name}: boilerplate kept: {line}"
    assert article.title == expected["title"]
    assert (article.author or None) == expected["author"]
    meta = front(path)
    assert f'url: "{url}"' in meta  # the canonical names another host: the address fetched
    assert f"date: {expected['date']}" in meta
    # A second import adds nothing and writes nothing.
    before = path.stat().st_mtime_ns
    again = import_pages([url], tmp_path, Fetcher(FAST))
    assert not again.written and not again.updated and again.unchanged == 1
    assert path.stat().st_mtime_ns == before


def test_every_request_names_nashra_and_its_version(site: Site, tmp_path: Path) -> None:
    import_pages([serve(site, "albayan.ae")], tmp_path, Fetcher(FAST))
    agents = {headers.get("User-Agent") for _, headers in site.log}
    assert agents == {f"nashra/{__version__} (article import for a podcast)"}
    assert site.paths() == ["/robots.txt", "/news/albayan.ae"]


# ---------------------------------------------------------------- feeds


def test_a_feed_imports_each_article_once_and_an_unchanged_feed_costs_one_304(
    site: Site, tmp_path: Path
) -> None:
    urls = [serve(site, name) for name in sorted(PAGES)]
    body = feed(site, [(f"عنوان {n}", url) for n, url in enumerate(urls)])
    site.routes["/feed.xml"] = Page(body, content_type="application/rss+xml", etag='"v1"')
    work = tmp_path / ".nashra"
    articles = tmp_path / "articles"
    first = import_feeds([site.url("/feed.xml")], articles, work, Fetcher(FAST))
    assert not first.failed, first.failed
    assert len(first.written) == 3
    state = work / "import-feeds.json"
    stamps = {p: p.stat().st_mtime_ns for p in [*articles.iterdir(), state]}
    site.log.clear()
    second = import_feeds([site.url("/feed.xml")], articles, work, Fetcher(FAST))
    assert (second.written, second.updated, second.feeds_unchanged) == ([], [], 1)
    assert [(p, h.get("If-None-Match")) for p, h in site.log] == [("/feed.xml", '"v1"')]
    assert {p: p.stat().st_mtime_ns for p in [*articles.iterdir(), state]} == stamps


def test_a_feed_without_validators_fetches_only_its_new_items(site: Site, tmp_path: Path) -> None:
    first_url = serve(site, "albayan.ae")
    site.routes["/feed.xml"] = Page(feed(site, [("أ", first_url)]), content_type="text/xml")
    work, articles = tmp_path / ".nashra", tmp_path / "articles"
    assert len(import_feeds([site.url("/feed.xml")], articles, work, Fetcher(FAST)).written) == 1
    second_url = serve(site, "youm7.com")
    site.routes["/feed.xml"] = Page(
        feed(site, [("أ", first_url), ("ب", second_url)]), content_type="text/xml"
    )
    site.log.clear()
    result = import_feeds([site.url("/feed.xml")], articles, work, Fetcher(FAST))
    assert len(result.written) == 1 and result.seen == 1
    assert site.paths() == ["/feed.xml", "/robots.txt", "/news/youm7.com"]


def test_a_feed_file_and_its_items_full_text(site: Site, tmp_path: Path) -> None:
    """An item whose `content:encoded` holds the whole article needs no page request."""
    url = site.url("/story/1")
    full = "".join(f"<p>{p}</p>" for p in LONG * 3)
    path = tmp_path / "feed.xml"
    path.write_bytes(feed(site, [("خبر كامل", url)], content={url: full}))
    result = import_feeds([str(path)], tmp_path / "articles", tmp_path / ".nashra", Fetcher(FAST))
    assert not result.failed and len(result.written) == 1
    assert site.log == []
    text = result.written[0].read_text(encoding="utf-8")
    assert LONG[1] in text and 'title: "خبر كامل"' in text


def test_an_article_updated_on_the_site_updates_its_file(site: Site, tmp_path: Path) -> None:
    site.routes["/story/7"] = Page(article_page("خبر", LONG))
    first = import_pages([site.url("/story/7")], tmp_path, Fetcher(FAST))
    [path] = first.written
    site.routes["/story/7"] = Page(
        article_page("خبر", [*LONG, "وفي تحديث لاحق أعلنت الوزارة موعد التسجيل."])
    )
    second = import_pages([site.url("/story/7")], tmp_path, Fetcher(FAST))
    assert second.updated == [path] and not second.written
    assert "تحديث لاحق" in path.read_text(encoding="utf-8")


def test_the_canonical_address_keys_the_article_and_the_same_text_elsewhere_is_skipped(
    site: Site, tmp_path: Path
) -> None:
    canonical = site.url("/story/9")
    site.routes["/story/9?from=home"] = Page(article_page("خبر", LONG, canonical=canonical))
    site.routes["/amp/9"] = Page(article_page("خبر", LONG))
    # A page may not claim another site's article as its own.
    site.routes["/copy"] = Page(
        article_page("نسخة", [*LONG, "زيادة"], canonical="https://example.org/story/9")
    )
    result = import_pages(
        [site.url("/story/9?from=home"), site.url("/amp/9"), site.url("/copy")],
        tmp_path,
        Fetcher(FAST),
    )
    assert not result.failed
    assert result.same_text == 1 and len(result.written) == 2
    assert f'url: "{canonical}"' in front(result.written[0])
    assert f'url: "{site.url("/copy")}"' in front(result.written[1])


def test_hostile_titles_and_authors_are_plain_text(site: Site, tmp_path: Path) -> None:
    html = article_page("خبر <script>alert(1)</script>\u202e عاجل", LONG).replace(
        b"<head>", '<head><meta name="author" content="<b>كاتب</b>\u200f">'.encode()
    )
    site.routes["/x"] = Page(html)
    [path] = import_pages([site.url("/x")], tmp_path, Fetcher(FAST)).written
    meta = front(path)
    assert "<" not in meta and "\u202e" not in meta and "\u200f" not in meta
    assert re.fullmatch(r"127-0-0-1-[0-9a-f]{12}\.md", path.name)


# ---------------------------------------------------------------- faults


def failure(result_failed: list[str], url: str) -> str:
    [message] = result_failed
    assert message.startswith(url), message
    return message


def test_a_feed_that_is_not_xml(site: Site, tmp_path: Path) -> None:
    site.routes["/feed"] = Page(b"<html><body>Service unavailable</body></html>")
    result = import_feeds([site.url("/feed")], tmp_path / "a", tmp_path / "w", Fetcher(FAST))
    assert "not an RSS or Atom feed" in failure(result.failed, site.url("/feed"))


def test_a_missing_item_is_named_and_the_others_imported(site: Site, tmp_path: Path) -> None:
    good = serve(site, "albayan.ae")
    gone = site.url("/news/gone")
    site.routes["/feed"] = Page(feed(site, [("أ", gone), ("ب", good)]), content_type="text/xml")
    work = tmp_path / "w"
    result = import_feeds([site.url("/feed")], tmp_path / "a", work, Fetcher(FAST))
    assert "not found (HTTP 404)" in failure(result.failed, gone)
    assert len(result.written) == 1
    # The missing item is tried again next time; the imported one is not.
    site.log.clear()
    import_feeds([site.url("/feed")], tmp_path / "a", work, Fetcher(FAST))
    assert site.paths() == ["/feed", "/robots.txt", "/news/gone"]


def test_a_server_error_then_success(site: Site, tmp_path: Path) -> None:
    site.routes["/s"] = [Page(b"busy", status=500), Page(article_page("خبر", LONG))]
    result = import_pages([site.url("/s")], tmp_path, Fetcher(FAST))
    assert not result.failed and len(result.written) == 1
    assert site.paths() == ["/robots.txt", "/s", "/s"]


def test_a_server_that_keeps_failing_is_given_up(site: Site, tmp_path: Path) -> None:
    site.routes["/s"] = Page(b"busy", status=503)
    result = import_pages([site.url("/s")], tmp_path, Fetcher(FAST))
    assert "HTTP 503 (gave up after 2 tries)" in failure(result.failed, site.url("/s"))


def test_a_slow_server_times_out(site: Site, tmp_path: Path) -> None:
    site.routes["/slow"] = silent(site)
    options = FetchOptions(rate=1000, timeout=0.3, retries=1, backoff=0)
    started = time.monotonic()
    result = import_pages([site.url("/slow")], tmp_path, Fetcher(options))
    assert "no answer within 0.3 s" in failure(result.failed, site.url("/slow"))
    assert time.monotonic() - started < 10


def test_a_50_mb_page_is_refused_while_it_streams(site: Site, tmp_path: Path) -> None:
    site.routes["/huge"] = stream(50 * 2**20)
    options = FetchOptions(rate=1000, timeout=5, retries=1, max_bytes=2**20)
    result = import_pages([site.url("/huge")], tmp_path, Fetcher(options))
    message = failure(result.failed, site.url("/huge"))
    assert "larger than 1.0 MiB" in message and "refused while reading" in message


def test_a_page_that_says_it_is_too_large_is_not_read(site: Site, tmp_path: Path) -> None:
    site.routes["/big"] = Page(b"x" * (2**20 + 1))
    options = FetchOptions(rate=1000, timeout=5, retries=1, max_bytes=2**20)
    result = import_pages([site.url("/big")], tmp_path, Fetcher(options))
    assert "it says it is 1.0 MiB" in failure(result.failed, site.url("/big"))


def test_a_redirect_loop_ends_with_a_clear_message(site: Site, tmp_path: Path) -> None:
    site.routes["/a"] = Page(status=302, headers={"Location": "/b"})
    site.routes["/b"] = Page(status=301, headers={"Location": site.url("/a")})
    result = import_pages([site.url("/a")], tmp_path, Fetcher(FAST))
    message = failure(result.failed, site.url("/a"))
    assert f"redirect loop: {site.url('/a')} → {site.url('/b')} → {site.url('/a')}" in message


def test_a_redirect_off_site_is_named(site: Site, tmp_path: Path) -> None:
    # 127.0.0.1 and localhost are two sites to the importer.
    target = f"http://localhost:{site.port}/story"
    site.routes["/go"] = Page(status=301, headers={"Location": target})
    site.routes["/story"] = Page(article_page("خبر", LONG))
    result = import_pages([site.url("/go")], tmp_path, Fetcher(FAST))
    assert result.notes == [f"{site.url('/go')}: redirects to another site, localhost"]
    assert len(result.written) == 1 and f'url: "{target}"' in front(result.written[0])


def test_a_page_in_windows_1256_with_a_charset_header(site: Site, tmp_path: Path) -> None:
    html = article_page("خبر بترميز ويندوز", LONG).decode()
    site.routes["/cp"] = Page(html.encode("cp1256"), content_type="text/html; charset=windows-1256")
    [path] = import_pages([site.url("/cp")], tmp_path, Fetcher(FAST)).written
    text = path.read_text(encoding="utf-8")
    assert LONG[0] in text and 'title: "خبر بترميز ويندوز"' in text


def test_a_page_without_an_article(site: Site, tmp_path: Path) -> None:
    site.routes["/paywall"] = Page(
        b'<html><head><title>t</title><script type="application/ld+json">'
        b'{"@type": "NewsArticle", "isAccessibleForFree": false}</script></head>'
        b"<body><p>Subscribe to read.</p></body></html>"
    )
    site.routes["/index"] = Page(b"<html><body><nav><a href='/a'>a</a></nav></body></html>")
    result = import_pages([site.url("/paywall"), site.url("/index")], tmp_path, Fetcher(FAST))
    paywall, index = result.failed
    assert (
        paywall
        == f"{site.url('/paywall')}: behind a paywall (the page says it is not free to read)"
    )
    assert index.startswith(f"{site.url('/index')}: no article text found")


def test_robots_txt_is_obeyed_unless_turned_off(site: Site, tmp_path: Path) -> None:
    site.routes["/robots.txt"] = Page(
        b"User-agent: nashra\nDisallow: /private/\n", content_type="text/plain"
    )
    site.routes["/private/1"] = Page(article_page("خبر", LONG))
    refused = import_pages([site.url("/private/1")], tmp_path, Fetcher(FAST))
    assert "robots.txt does not allow it" in failure(refused.failed, site.url("/private/1"))
    options = FetchOptions(rate=1000, timeout=2, retries=1, robots=False)
    allowed = import_pages([site.url("/private/1")], tmp_path, Fetcher(options))
    assert len(allowed.written) == 1


def test_only_http_addresses_are_fetched(tmp_path: Path) -> None:
    result = import_pages(["file:///etc/passwd", "ftp://example.org/x"], tmp_path, Fetcher(FAST))
    assert [m.split(": ", 1)[1] for m in result.failed] == [
        "only http:// and https:// addresses are fetched"
    ] * 2


# ---------------------------------------------------------------- the command


def test_the_command_names_each_failure_imports_the_rest_and_exits_1(
    site: Site, tmp_path: Path
) -> None:
    project = make_project(tmp_path / "p", [])
    (project / "podcast.toml").write_text(
        (project / "podcast.toml").read_text(encoding="utf-8")
        + "\n[import]\ntimeout = 2\nretries = 1\nrate = 100\n",
        encoding="utf-8",
    )
    good = serve(site, "youm7.com")
    result = runner().invoke(cli, ["import", "url", good, site.url("/missing"), "-p", str(project)])
    assert result.exit_code == 1, result.output
    assert f"not imported: {site.url('/missing')}: not found (HTTP 404)" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert "1 article(s) imported, 1 failed" in result.stdout
    assert len(list((project / "articles").glob("127-0-0-1-*.md"))) == 1


def test_requests_keep_to_the_rate_of_each_host_and_retry_after(site: Site, tmp_path: Path) -> None:
    """A clock that never moves: every wait is the rate limiter's or the retry's own."""
    waits: list[float] = []
    site.routes["/p"] = Page(article_page("خبر", LONG))
    site.routes["/busy"] = [
        Page(b"later", status=503, headers={"Retry-After": "7"}),
        Page(article_page("خبر آخر", [*LONG, "فقرة أخرى في الخبر الثاني."])),
    ]
    fetcher = Fetcher(
        FetchOptions(rate=2, timeout=2, retries=2, backoff=0, robots=False),
        sleep=waits.append,
        clock=lambda: 100.0,
    )
    fetcher.get(site.url("/p"))
    fetcher.get(f"http://localhost:{site.port}/p")  # another host: its own turn
    fetcher.get(site.url("/busy"))
    # /busy waits its turn (0.5 s after /p), is told to come back in 7 s, then waits its turn.
    assert waits == [0.5, 7.0, 1.0]


def test_a_feed_item_with_only_a_permalink_guid_and_a_missing_feed_file(
    site: Site, tmp_path: Path
) -> None:
    site.routes["/g/1"] = Page(article_page("خبر", LONG))
    path = tmp_path / "feed.xml"
    guid = f'<guid isPermaLink="true">{site.url("/g/1")}</guid>'
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
        f"<item><title>t</title>{guid}</item></channel></rss>",
        encoding="utf-8",
    )
    missing = str(tmp_path / "nowhere.xml")
    result = import_feeds(
        [str(path), missing], tmp_path / "articles", tmp_path / "w", Fetcher(FAST)
    )
    assert result.failed == [f"{missing}: no such file, and not an http(s) address"]
    [written] = result.written
    assert f'url: "{site.url("/g/1")}"' in front(written)


def test_addresses_no_url_parser_can_read_are_named(site: Site, tmp_path: Path) -> None:
    site.routes["/bad-canonical"] = Page(article_page("خبر", LONG, canonical="http://[::1"))
    site.routes["/bad-redirect"] = Page(status=302, headers={"Location": "http://[x"})
    result = import_pages(
        ["http://[::1", site.url("/bad-canonical"), site.url("/bad-redirect")],
        tmp_path / "a",
        Fetcher(FAST),
    )
    assert [m.split(": ", 1)[0] for m in result.failed] == [
        "http://[::1",
        site.url("/bad-redirect"),
    ]
    assert all("not a valid address" in m for m in result.failed)
    [written] = result.written  # its canonical is unreadable: the address fetched keys it
    assert f'url: "{site.url("/bad-canonical")}"' in front(written)
    path = tmp_path / "feed.xml"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
        "<item><title>t</title><link>http://[::1</link></item>"
        "<item><title>u</title><link>javascript:alert(1)</link></item></channel></rss>",
        encoding="utf-8",
    )
    feed_result = import_feeds([str(path)], tmp_path / "a", tmp_path / "w", Fetcher(FAST))
    assert len(feed_result.failed) == 2 and not feed_result.written
    assert all("not an http(s) address" in m for m in feed_result.failed)


def test_a_site_that_is_down_is_named_with_the_cause(tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/x"
    result = import_pages([url], tmp_path, Fetcher(FAST))
    assert result.failed == [
        f"{url}: its site's robots.txt cannot be read: cannot connect (Connection refused) "
        "(gave up after 2 tries)"
    ]


def test_a_feed_item_without_an_address_is_imported_from_its_full_text_keyed_by_its_guid(
    site: Site, tmp_path: Path
) -> None:
    """Keyed by the feed's GUID, hashed: a hostile GUID never reaches a file name; an item
    with neither an address nor its whole text is named, and the rest are imported."""
    full = "".join(f"<p>{p}</p>" for p in LONG * 3)
    other = "".join(f"<p>{p} وفي خبر آخر.</p>" for p in LONG * 3)
    third = "".join(f"<p>{p} في سياق ثالث.</p>" for p in LONG * 3)
    hostile = "../../../outside\u202e\x1b[31m<script>"
    items = [
        f'<item><title>بلا رابط</title><guid isPermaLink="false">tag:news,2026:1</guid>'
        f"<content:encoded><![CDATA[{full}]]></content:encoded></item>",
        f"<item><title>معادٍ</title><guid>{escape(hostile)}</guid>"
        f"<content:encoded><![CDATA[{other}]]></content:encoded></item>",
        f"<item><title>رابط سيئ</title><guid>tag:news,2026:3</guid>"
        f"<link>javascript:alert(1)</link>"
        f"<content:encoded><![CDATA[{third}]]></content:encoded></item>",
        '<item><title>موجز</title><guid isPermaLink="false">tag:news,2026:4</guid>'
        "<description>سطر واحد</description></item>",
        "<item><title>موجز</title><guid>tag:news,2026:5</guid>"
        "<description>سطر واحد</description></item>",
        f'<item><title>موجز</title><guid isPermaLink="false">{escape(hostile)}x</guid>'
        "<description>سطر واحد</description></item>",
    ]
    site.routes["/feed.xml"] = Page(
        (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
            "<title>أخبار</title><description>d</description>" + "".join(items) + "</channel></rss>"
        ).encode(),
        content_type="application/rss+xml",
    )
    project = make_project(tmp_path / "p", [])
    (project / "podcast.toml").write_text(
        (project / "podcast.toml").read_text(encoding="utf-8")
        + "\n[import]\ntimeout = 2\nretries = 1\nrate = 100\n",
        encoding="utf-8",
    )
    result = runner().invoke(cli, ["import", "feed", site.url("/feed.xml"), "-p", str(project)])
    assert result.exit_code == 1, result.output
    assert "not imported: feed item 'tag:news,2026:4': the feed item has no address" in (
        result.stderr
    )
    # A GUID feedparser takes for the item's link (a permalink by default) is named as one.
    assert "not imported: 'tag:news,2026:5': not an http(s) address" in result.stderr
    assert "not imported: feed item '../../../outside" in result.stderr
    assert "\x1b" not in result.output + result.stderr and "\u202e" not in result.stderr
    assert "3 article(s) imported, 3 failed" in result.stdout
    written = sorted((project / "articles").iterdir())
    assert len(written) == 3
    assert all(re.fullmatch(r"127-0-0-1-[0-9a-f]{12}\.md", p.name) for p in written)
    assert [p for p in tmp_path.rglob("*") if "outside" in p.name] == []
    texts = [p.read_text(encoding="utf-8") for p in written]
    assert all("url:" not in t.split("\n---\n", 1)[0] for t in texts)
    assert {re.search(r'title: "(.+)"', t).group(1) for t in texts} == {  # type: ignore[union-attr]
        "بلا رابط",
        "معادٍ",
        "رابط سيئ",
    }
    assert all(read_article(p).title for p in written)
    assert site.paths() == ["/feed.xml"]  # the full texts needed no page
    # The same items again are the same files: nothing new, nothing rewritten.
    (project / ".nashra" / "import-feeds.json").unlink()
    stamps = {p: p.stat().st_mtime_ns for p in written}
    again = runner().invoke(cli, ["import", "feed", site.url("/feed.xml"), "-p", str(project)])
    assert again.exit_code == 1, again.output
    assert {p: p.stat().st_mtime_ns for p in sorted((project / "articles").iterdir())} == stamps
