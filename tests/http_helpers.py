"""A real HTTP server on 127.0.0.1 for capture tests: pages, redirects, errors, slow, huge and
endless responses, a robots.txt. It records every path asked for and when."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARTICLE = (
    b"<html><head><title>Workers sent abroad</title></head><body><article>"
    b"<h1>Workers sent abroad</h1>"
    b"<p>About 12,000 North Korean labourers worked on building sites in Russia in 2019, the "
    b"labour ministry said in a statement on Tuesday.</p>"
    b"<p>The workers handed most of their wages to the state, researchers at a Seoul institute "
    b"said, and worked shifts of up to 16 hours a day.</p>"
    b"</article></body></html>"
)

Handler = Callable[[BaseHTTPRequestHandler], None]


def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str = "text/html",
          headers: dict[str, str] | None = None) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


def _redirect(target: str, status: int = 301) -> Handler:
    def handle(h: BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        h.send_header("Location", target)
        h.send_header("Content-Length", "0")
        h.end_headers()
    return handle


def _slow(h: BaseHTTPRequestHandler) -> None:
    time.sleep(3)
    _send(h, 200, ARTICLE)


def _endless(h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    chunk = b"<p>" + b"x" * 8000 + b"</p>"
    try:
        for _ in range(100_000):
            h.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass


def _huge(h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", str(10 * 1024 * 1024 * 1024))
    h.end_headers()


ROUTES: dict[str, Handler] = {
    "/article.html": lambda h: _send(h, 200, ARTICLE, "text/html; charset=utf-8"),
    "/old": _redirect("/article.html"),
    "/hop1": _redirect("/hop2", 302),
    "/hop2": _redirect("/article.html", 307),
    "/loop": _redirect("/loop"),
    "/to-file": _redirect("file:///etc/passwd"),
    "/robots.txt": lambda h: _send(h, 200, b"User-agent: *\nDisallow: /private\n", "text/plain"),
    "/private/page.html": lambda h: _send(h, 200, ARTICLE),
    "/slow": _slow,
    "/endless": _endless,
    "/huge": _huge,
    "/archive.zip": lambda h: _send(h, 200, b"PK\x03\x04" + b"\x00" * 100, "application/zip"),
    "/loading.html": lambda h: _send(
        h, 200, b"<html><head><script src='/app.js'></script></head><body><div id='root'>Loading...</div>"
                b"</body></html>"),
}


class Server:
    def __init__(self, server: ThreadingHTTPServer) -> None:
        self.server = server
        self.requests: list[tuple[str, float]] = []

    def url(self, path: str) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}{path}"

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]


@contextmanager
def http_server(extra: dict[str, Handler] | None = None) -> Iterator[Server]:
    routes = {**ROUTES, **(extra or {})}
    holder: list[Server] = []

    class RequestHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
            holder[0].requests.append((self.path, time.monotonic()))
            route = routes.get(self.path)
            if route is None:
                _send(self, 404, b"<html><body>Not found</body></html>")
            else:
                route(self)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
    server.daemon_threads = True
    holder.append(Server(server))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield holder[0]
    finally:
        server.shutdown()
        server.server_close()
