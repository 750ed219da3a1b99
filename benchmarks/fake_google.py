"""A local stand-in for Google's speech endpoint, reached the way a real one is.

gTTS sends every request through the proxies of the environment
(`urllib.request.getproxies()`, i.e. `HTTPS_PROXY`), and does not verify
certificates (for proxies and firewalls that inspect traffic). So a proxy on
127.0.0.1 that accepts `CONNECT translate.google.com:443`, ends the TLS itself
with a throwaway certificate and answers the batchexecute call as Google does
receives every request exactly as Google would: nothing inside gTTS or nashra is
replaced, and each request counted here is one that went over a socket.
"""

from __future__ import annotations

import http.server
import os
import re
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from harness import ROOT

sys.path.insert(0, str(ROOT))
from tests.gtts_mock import batchexecute_body, decode_request, tiny_mp3

GOOGLE = re.compile(r"translate\.google\.[a-z.]+:443")
BATCHEXECUTE = "/_/TranslateWebserverUi/data/batchexecute"
PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy")


class FakeGoogle:
    """What the fake has been asked: `texts`, one per request, in the order they came."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.texts: list[str] = []
        self.lock = threading.Lock()
        self.body = batchexecute_body(tiny_mp3()).encode("utf-8")

    @property
    def requests(self) -> int:
        with self.lock:
            return len(self.texts)


def _certificate(folder: Path) -> ssl.SSLContext:
    """A server context with a self-signed certificate for Google's host, made by openssl."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise RuntimeError("the Google figures need the openssl command to make a certificate")
    key, cert = folder / "key.pem", folder / "cert.pem"
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1"]
    files = ["-keyout", str(key), "-out", str(cert)]
    subject = ["-subj", "/CN=translate.google.com"]
    subprocess.run(
        [openssl, "req", "-x509", *ec, *subject, *files], check=True, capture_output=True
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


def _handler(google: FakeGoogle, tls: ssl.SSLContext) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_CONNECT(self) -> None:
            if not GOOGLE.fullmatch(self.path):
                self.send_error(403, f"only Google's speech endpoint is served here: {self.path}")
                return
            self.send_response(200, "Connection established")
            self.end_headers()
            # From here on the same connection carries HTTPS, as to Google itself.
            secure = tls.wrap_socket(self.connection, server_side=True)
            self.connection = secure
            self.rfile = secure.makefile("rb")
            self.wfile = secure.makefile("wb")
            self.close_connection = False

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if not self.path.startswith(BATCHEXECUTE):
                self.send_error(404)
                return
            text, _, _ = decode_request(body)
            with google.lock:
                google.texts.append(text)
            time.sleep(google.delay)
            self.send_response(200)
            self.send_header("Content-Length", str(len(google.body)))
            self.end_headers()
            self.wfile.write(google.body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def fake_google(delay: float) -> Iterator[FakeGoogle]:
    """Google answering each request after `delay` seconds, set as this process's
    HTTPS proxy (and its children's) while the context lasts."""
    google = FakeGoogle(delay)
    with tempfile.TemporaryDirectory(prefix="nashra-fake-google-") as folder:
        tls = _certificate(Path(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(google, tls))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    saved = {name: os.environ.get(name) for name in PROXY_VARIABLES}
    for name in PROXY_VARIABLES:
        os.environ[name] = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield google
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        server.shutdown()
        server.server_close()
