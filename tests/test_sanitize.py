"""Links and text from untrusted articles: only http(s) links, no markup."""

from __future__ import annotations

import pytest

from nashra.readers.sanitize import LinkRejected, plain_text, safe_link, web_link

ACCEPTED = [
    "https://www.spa.gov.sa/2134567",
    "http://www.aleqt.com/2015/08/05/article_979257.html",
    "HTTPS://EXAMPLE.ORG/a?b=1#c",
    "https://example.org/مقال",
    "https://user@example.org:8443/",
]

REJECTED = [
    ("javascript:alert(document.cookie)", "not javascript:"),
    ("JavaScript:alert(1)", "not JavaScript:"),
    ("jAvAsCrIpT:alert(1)", "not jAvAsCrIpT:"),
    ("vbscript:msgbox(1)", "not vbscript:"),
    ("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "not data:"),
    ("file:///etc/passwd", "not file:"),
    (" javascript:alert(1)", "space or a control character"),
    ("\x01javascript:alert(1)", "space or a control character"),
    ("java\tscript:alert(1)", "space or a control character"),
    ("java\nscript:alert(1)", "space or a control character"),
    ("https://example.org/\x00", "space or a control character"),
    ("//evil.example/x", "not an absolute address"),
    ("/news/123", "not an absolute address"),
    ("www.spa.gov.sa/123", "not an absolute address"),
    ("https:evil.example", "not an absolute address"),
    ("https:///path", "names no host"),
    ("https://", "names no host"),
    ("https://[::1", "not a valid address"),
]


@pytest.mark.parametrize("url", ACCEPTED)
def test_web_links_are_kept_unchanged(url: str) -> None:
    assert web_link(url) == url
    assert safe_link(url) == url


@pytest.mark.parametrize(("url", "why"), REJECTED)
def test_anything_but_an_absolute_http_link_is_refused_with_the_reason(url: str, why: str) -> None:
    with pytest.raises(LinkRejected, match=why):
        web_link(url)
    assert safe_link(url) is None


PLAIN = [
    ("خبر عاجل", "خبر عاجل"),
    ("<b>عاجل</b>: خبر", "عاجل: خبر"),
    ("نص <img src=x onerror=alert(1)> هنا", "نص  هنا"),
    ("<script>alert(1)</script>", "alert(1)"),
    ("<!-- تعليق -->نص", "نص"),
    ("نص <img src=x onerror=alert(1)", "نص img src=x onerror=alert(1)"),
    ("<<script>script>alert(1)<</script>/script>", "script>alert(1)/script>"),
    ("3 < 5 و 7 > 6", "3 < 5 و 7 > 6"),
    ("&lt;b&gt; مكتوبة", "&lt;b&gt; مكتوبة"),
]


@pytest.mark.parametrize(("text", "plain"), PLAIN)
def test_plain_text_keeps_the_words_and_no_tag(text: str, plain: str) -> None:
    assert plain_text(text) == plain
