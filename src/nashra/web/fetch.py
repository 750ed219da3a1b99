"""Fetching a web page or a feed politely: the one adapter of `requests` for the importer.

Every request names nashra and its version (`USER_AGENT`), waits its turn under a
rate limit per host, gives up after `timeout` seconds of silence, and is retried
when the failure may pass (a timeout, a dropped connection, 429 or 5xx, honouring
`Retry-After`) with the backoff the speech engines use (`nashra.core.pacing`).
Only `http` and `https` addresses are fetched; redirects are followed by hand, so
that a redirect loop ends with a message that shows it and a redirect to another
site is named. A body is read a chunk at a time and refused once it passes
`max_bytes`: a 50 MB page is never held in memory. `robots.txt` is read once per
site and obeyed unless `robots` is off.
"""

from __future__ import annotations

import codecs
import logging
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import requests

from nashra import __version__
from nashra.core.pacing import RateLimiter, RetryPolicy, retry_after

log = logging.getLogger(__name__)

USER_AGENT = f"nashra/{__version__} (article import for a podcast)"
ROBOTS_AGENT = "nashra"
"""The name `robots.txt` rules address nashra by."""
_CHUNK = 64 * 1024
_ROBOTS_MAX = 512 * 1024
_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_REDIRECTS = (301, 302, 303, 307, 308)
_ERRNO = re.compile(r"\[Errno -?\d+\] ([^'\")\]]+)")

_Answer = tuple[int, "requests.structures.CaseInsensitiveDict[str]", bytes]


@dataclass(frozen=True)
class FetchOptions:
    rate: float = 1.0
    """Requests a second to one host, at most."""
    timeout: float = 30.0
    """Seconds to wait for an answer, and for each part of it."""
    retries: int = 5
    """Tries per request, the first included."""
    backoff: float = 1.0
    """Seconds before the first retry; doubled for each further one, with jitter."""
    max_bytes: int = 10 * 2**20
    """A page or feed larger than this is refused."""
    robots: bool = True
    """Obey each site's `robots.txt`."""
    max_redirects: int = 10


class FetchError(Exception):
    """What went wrong with one address; the message names it."""

    def __init__(self, url: str, problem: str) -> None:
        super().__init__(f"{url}: {problem}")
        self.url = url
        self.problem = problem


class _Transient(Exception):
    def __init__(self, problem: str, wait: float | None = None) -> None:
        super().__init__(problem)
        self.wait = wait


@dataclass(frozen=True)
class Response:
    url: str
    """The address asked for."""
    final_url: str
    """Where the redirects, if any, ended."""
    status: int
    """200, or 304 when a conditional request found nothing new."""
    body: bytes = b""
    charset: str | None = None
    """The `Content-Type` header's charset, when it names one Python knows."""
    etag: str | None = None
    last_modified: str | None = None
    off_site: str | None = None
    """The other host a redirect led to, if any."""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Fetcher:
    """One import run's requests: the rate limits, robots rules and counts live here."""

    def __init__(
        self,
        options: FetchOptions,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self.options = options
        self.policy = RetryPolicy(attempts=options.retries, base_delay=options.backoff)
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self._sleep = sleep
        self._clock = clock
        self._rng = rng or random.Random()
        self._limiters: dict[str, RateLimiter] = {}
        self._robots: dict[str, RobotFileParser] = {}
        self._robots_problems: dict[str, str] = {}
        self.requests: list[str] = []
        """`METHOD url` of every request sent, in order (retries included)."""

    def close(self) -> None:
        self.session.close()

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        robots: bool = True,
        limit: int | None = None,
    ) -> Response:
        """`url`'s body, or `FetchError`. With `etag` or `last_modified` the request is
        conditional and may answer 304; `robots` off skips the site's robots.txt (the
        feeds the user names, and robots.txt itself); `limit` overrides `max_bytes`."""
        try:
            return self._get(url, etag, last_modified, robots, limit)
        except ValueError as exc:  # an address urllib cannot read: `http://[::1`, a bad port
            raise FetchError(url, f"not a valid address ({exc})") from None

    def _get(
        self,
        url: str,
        etag: str | None,
        last_modified: str | None,
        robots: bool,
        limit: int | None,
    ) -> Response:
        _check_scheme(url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        seen = [url]
        current = url
        off_site = None
        for _hop in range(self.options.max_redirects + 1):
            if robots and self.options.robots:
                self._obey_robots(current)
            status, head, body = self._with_retries(current, headers, limit)
            if status in _REDIRECTS:
                location = head.get("Location")
                if not location:
                    raise FetchError(url, f"HTTP {status} redirect without a Location header")
                target = urljoin(current, location.strip())
                _check_scheme(target, url)
                if target in seen:
                    loop = " → ".join([*seen[seen.index(target) :], target])
                    raise FetchError(url, f"redirect loop: {loop}")
                if _site(target) != _site(url):
                    off_site = urlsplit(target).hostname
                seen.append(target)
                current = target
                continue
            if status == 304:
                return Response(url, current, 304, off_site=off_site)
            if status != 200:
                raise FetchError(url, _status_problem(status))
            return Response(
                url,
                current,
                200,
                body,
                charset=_charset(head.get("Content-Type", "")),
                etag=_header_value(head.get("ETag")),
                last_modified=_header_value(head.get("Last-Modified")),
                off_site=off_site,
            )
        raise FetchError(url, f"more than {self.options.max_redirects} redirects")

    def _with_retries(self, url: str, headers: dict[str, str], limit: int | None) -> _Answer:
        problem = ""
        asked: float | None = None
        for attempt in range(1, self.policy.attempts + 1):
            if attempt > 1:
                wait = self.policy.delay(attempt - 1, self._rng, asked)
                log.info("%s: retry %d in %.1f s after: %s", url, attempt - 1, wait, problem)
                self._sleep(wait)
            try:
                return self._once(url, headers, limit)
            except _Transient as exc:
                problem, asked = str(exc), exc.wait
        tries = f"{self.policy.attempts} tries" if self.policy.attempts > 1 else "one try"
        raise FetchError(url, f"{problem} (gave up after {tries})")

    def _once(self, url: str, headers: dict[str, str], limit: int | None) -> _Answer:
        host = urlsplit(url).netloc.lower()
        limiter = self._limiters.get(host)
        if limiter is None:
            limiter = self._limiters[host] = RateLimiter(
                self.options.rate, clock=self._clock, sleep=self._sleep
            )
        limiter.wait()
        self.requests.append(f"GET {url}")
        timeout = self.options.timeout
        try:
            response = self.session.get(
                url, headers=headers, timeout=timeout, stream=True, allow_redirects=False
            )
        except requests.Timeout:
            raise _Transient(f"no answer within {timeout:g} s") from None
        except requests.ConnectionError as exc:
            raise _Transient(f"cannot connect ({_reason(exc)})") from None
        except requests.RequestException as exc:
            raise FetchError(url, f"cannot be fetched ({_reason(exc)})") from None
        with response:
            status = response.status_code
            if status == 429 or status >= 500:
                wait = retry_after(response.headers.get("Retry-After"))
                raise _Transient(_status_problem(status), wait)
            if status != 200:
                return status, response.headers, b""
            return status, response.headers, self._body(url, response, limit)

    def _body(self, url: str, response: requests.Response, limit: int | None) -> bytes:
        limit = limit or self.options.max_bytes
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(url, _too_large(limit, f"it says it is {_mib(int(declared))}"))
        data = bytearray()
        try:
            for chunk in response.iter_content(_CHUNK):
                data += chunk
                if len(data) > limit:
                    raise FetchError(url, _too_large(limit, "refused while reading"))
        except requests.Timeout:
            raise _Transient(f"the answer stalled for {self.options.timeout:g} s") from None
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
            raise _Transient(f"the connection broke while reading ({_reason(exc)})") from None
        return bytes(data)

    def _obey_robots(self, url: str) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        rules = self._robots.get(origin)
        if rules is None:
            rules = self._robots[origin] = self._read_robots(origin)
        if origin in self._robots_problems:
            raise FetchError(
                url, f"its site's robots.txt cannot be read: {self._robots_problems[origin]}"
            )
        if not rules.can_fetch(ROBOTS_AGENT, url):
            raise FetchError(
                url,
                f"{origin}/robots.txt does not allow it ([import] robots = false "
                "ignores robots.txt, for a site whose permission you have)",
            )

    def _read_robots(self, origin: str) -> RobotFileParser:
        rules = RobotFileParser()
        where = f"{origin}/robots.txt"
        try:
            answer = self.get(where, robots=False, limit=_ROBOTS_MAX)
            text = answer.body.decode("utf-8", errors="replace")
            rules.parse(text.splitlines())
        except FetchError as exc:
            # No robots.txt (404 and the like) allows everything; a site that cannot
            # say (5xx, no answer) is left alone for this run, as crawlers do.
            if re.search(r"HTTP 4\d\d", exc.problem):
                rules.parse([])  # no rules: everything allowed
            else:
                rules.parse(["User-agent: *", "Disallow: /"])
                self._robots_problems[origin] = exc.problem
        return rules


def _check_scheme(url: str, asked: str | None = None) -> None:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        where = asked or url
        what = f"redirects to {url!r}, " if asked else ""
        raise FetchError(where, f"{what}only http:// and https:// addresses are fetched")


def _site(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def same_site(url: str, other: str) -> bool:
    """Whether two addresses are on one site (`www.` or not); False for one that is not
    a valid address."""
    try:
        return _site(url) == _site(other)
    except ValueError:
        return False


def _status_problem(status: int) -> str:
    known = {
        401: "needs a login (HTTP 401)",
        402: "behind a paywall (HTTP 402)",
        403: "refused (HTTP 403): a paywall, a login or a block",
        404: "not found (HTTP 404)",
        410: "gone (HTTP 410)",
        429: "too many requests (HTTP 429)",
    }
    return known.get(status, f"HTTP {status}")


def _charset(content_type: str) -> str | None:
    match = _CHARSET.search(content_type)
    if not match:
        return None
    try:
        return codecs.lookup(match[1]).name
    except LookupError:
        return None


def _header_value(value: str | None) -> str | None:
    """A validator header kept to send back: short printable ASCII only (it is hostile)."""
    if not value or len(value) > 256 or not value.isascii() or not value.isprintable():
        return None
    return value


def _too_large(limit: int, how: str) -> str:
    return f"larger than {_mib(limit)}, the limit ([import] max_page_mb); {how}"


def _mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB" if size >= 2**20 else f"{size} bytes"


def _reason(exc: Exception) -> str:
    """The cause a person can act on (`Connection refused`, `Name or service not known`),
    not urllib3's whole chain of wrappers."""
    inner = exc.args[0] if exc.args else exc
    text = str(getattr(inner, "reason", inner))
    match = _ERRNO.search(text)
    if match:
        return match[1].strip()
    return text[:200]
