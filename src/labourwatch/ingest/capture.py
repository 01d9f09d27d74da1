"""Capture a web page by URL: fetch it politely, keep the HTTP exchange as WARC records, read it.

The payload (the bytes the server sent) becomes the document's original, so a page captured
twice, or captured and also saved as a file, is one document; each capture is kept beside it
as a WARC request and response (gzip members), the evidence that this server sent these bytes
at this time. ``export warc`` concatenates them into a standard .warc.gz.
"""

from __future__ import annotations

import dataclasses
import io
import time
import urllib.robotparser
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from labourwatch._version import __version__
from labourwatch.errors import IngestError
from labourwatch.ingest.readers import read_bytes
from labourwatch.records import Capture, IngestedDocument

if TYPE_CHECKING:
    import httpx

USER_AGENT = f"labourwatch/{__version__} (evidence capture; +https://github.com/labourwatch/labourwatch)"
WEB_SCHEMES = ("http", "https")

# What a content type is read as; anything else is refused with its type named.
_READER_OF_TYPE = {
    "text/html": ".html", "application/xhtml+xml": ".html", "text/plain": ".txt",
    "text/markdown": ".md", "application/pdf": ".pdf",
    "image/png": ".png", "image/jpeg": ".jpg", "image/tiff": ".tif",
}
# Headers that describe the transfer, not the payload: the WARC keeps the payload de-chunked and
# decoded, so these are renamed the way web archives do (replay tools expect it), and the
# length is set to the payload's.
_TRANSFER_HEADERS = ("transfer-encoding", "content-encoding")


@dataclass
class CapturePolicy:
    """How politely and how far a capture goes."""

    max_bytes: int = 50 * 1024 * 1024
    timeout: float = 30.0  # seconds for the whole exchange, redirects included
    delay: float = 1.0  # seconds between two requests to one host
    max_redirects: int = 10
    user_agent: str = USER_AGENT
    respect_robots: bool = True


def is_url(text: str) -> bool:
    return urlsplit(text.strip()).scheme.lower() in WEB_SCHEMES


@dataclass
class _Hop:
    response: httpx.Response
    body: bytes


@dataclass
class Fetcher:
    """Fetches pages one at a time, waiting ``policy.delay`` between requests to a host and
    asking each host's robots.txt first. One Fetcher serves a whole list of URLs."""

    policy: CapturePolicy = field(default_factory=CapturePolicy)
    client: httpx.Client | None = None
    _robots: dict[str, urllib.robotparser.RobotFileParser | None] = field(default_factory=dict)
    _last_request: dict[str, float] = field(default_factory=dict)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            self.client.close()

    def _http(self) -> httpx.Client:
        import httpx

        if self.client is None:
            self.client = httpx.Client(
                headers={"User-Agent": self.policy.user_agent, "Accept-Encoding": "identity"},
                timeout=httpx.Timeout(self.policy.timeout), follow_redirects=False, trust_env=False,
            )
        return self.client

    def capture(self, url: str) -> Iterator[IngestedDocument | IngestError]:
        """The page at ``url`` as a document with its capture, or the error that stopped it."""
        url = url.strip()
        try:
            hops, final = self._fetch(url)
            yield from _read_payload(url, hops, final)
        except IngestError as exc:
            yield exc

    def _fetch(self, url: str) -> tuple[list[tuple[int, str]], _Hop]:
        import httpx

        deadline = time.monotonic() + self.policy.timeout
        hops: list[tuple[int, str]] = []
        current = url
        for _ in range(self.policy.max_redirects + 1):
            self._check_allowed(url, current)
            try:
                hop = self._get(current, deadline)
            except httpx.TimeoutException:
                raise IngestError(url, f"no complete answer within {self.policy.timeout:g} s") from None
            except httpx.HTTPError as exc:
                raise IngestError(url, f"cannot fetch {current}: {_reason(exc)}") from None
            if not hop.response.is_redirect:
                return hops, hop
            target = urljoin(current, hop.response.headers.get("location", ""))
            hops.append((hop.response.status_code, current))
            if urlsplit(target).scheme.lower() not in WEB_SCHEMES:
                raise IngestError(url, f"redirects to {target!r}, not a web address; not followed")
            current = target
        raise IngestError(url, f"more than {self.policy.max_redirects} redirects")

    def _check_allowed(self, url: str, current: str) -> None:
        parts = urlsplit(current)
        if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
            raise IngestError(url, "not a web address (http:// or https:// and a host)")
        if self.policy.respect_robots and not self._robots_allow(current):
            raise IngestError(url, f"{parts.netloc}'s robots.txt does not allow {parts.path or '/'}; "
                                   "not fetched")

    def _robots_allow(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin)
        rules = self._robots[origin]
        return rules is None or rules.can_fetch(self.policy.user_agent, url)

    def _read_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        """The host's rules; none (everything allowed) where it has no robots.txt or it cannot
        be read, as crawlers do."""
        import httpx

        try:
            hop = self._get(f"{origin}/robots.txt", time.monotonic() + self.policy.timeout, limit=512 * 1024)
        except (httpx.HTTPError, IngestError):
            return None
        if hop.response.status_code != 200:
            return None
        rules = urllib.robotparser.RobotFileParser()
        rules.parse(hop.body.decode("utf-8", "replace").splitlines())
        return rules

    def _get(self, url: str, deadline: float, limit: int | None = None) -> _Hop:
        """One request, its body read in pieces so that neither a huge nor an endless response
        nor a slow trickle can pass the size limit or the deadline."""
        self._wait_turn(url)
        limit = limit or self.policy.max_bytes
        with self._http().stream("GET", url) as response:
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise IngestError(url, f"response of {int(declared):,} bytes exceeds the "
                                       f"{limit:,}-byte limit")
            body = io.BytesIO()
            for chunk in response.iter_bytes():
                body.write(chunk)
                if body.tell() > limit:
                    raise IngestError(url, f"response exceeds the {limit:,}-byte limit; not stored")
                if time.monotonic() > deadline:
                    raise IngestError(url, f"response still arriving after {self.policy.timeout:g} s; "
                                           "not stored")
            return _Hop(response, body.getvalue())

    def _wait_turn(self, url: str) -> None:
        host = urlsplit(url).netloc
        wait = self._last_request.get(host, -1e9) + self.policy.delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last_request[host] = time.monotonic()


def _reason(exc: Exception) -> str:
    return str(exc) or type(exc).__name__


def _read_payload(
    url: str, hops: list[tuple[int, str]], final: _Hop
) -> Iterator[IngestedDocument | IngestError]:
    response = final.response
    final_url = str(response.url)
    if not 200 <= response.status_code < 300:
        raise IngestError(url, f"HTTP {response.status_code} {response.reason_phrase} from {final_url}")
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    suffix = _READER_OF_TYPE.get(media)
    if suffix is None:
        raise IngestError(url, f"content type {media or '(none)'!r} is not a page or document "
                               "labourwatch reads")
    capture = Capture(url=url, final_url=final_url, redirects=hops, status=response.status_code,
                      captured_at=datetime.now(UTC).isoformat(timespec="seconds"),
                      warc=warc_records(final_url, response, final.body))
    for item in read_bytes(suffix, final.body, final_url):
        if isinstance(item, IngestError):
            yield IngestError(url, item.reason)
            continue
        locations = [(url, "url")] + ([(final_url, "url")] if final_url != url else [])
        yield dataclasses.replace(item, locations=locations, capture=capture)


def warc_records(url: str, response: httpx.Response, body: bytes) -> bytes:
    """The request and response as WARC/1.1 records, each its own gzip member, with SHA-256
    block and payload digests."""
    from warcio.statusandheaders import StatusAndHeaders

    writer, buffer = _warc_writer()
    request = response.request
    target = request.url.raw_path.decode("ascii", "replace")
    request_headers = StatusAndHeaders(f"GET {target} HTTP/1.1", list(request.headers.items()),
                                       is_http_request=True)
    headers = _archived_headers(response.headers.multi_items(), body)
    response_headers = StatusAndHeaders(f"{response.status_code} {response.reason_phrase}", headers,
                                        protocol="HTTP/1.1")
    response_record = writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), length=len(body), http_headers=response_headers,
    )
    request_record = writer.create_warc_record(url, "request", http_headers=request_headers)
    writer.write_request_response_pair(request_record, response_record)
    return buffer.getvalue()


def _archived_headers(headers: list[tuple[str, str]], body: bytes) -> list[tuple[str, str]]:
    transformed = any(name.lower() in _TRANSFER_HEADERS for name, _ in headers)
    if not transformed and any(name.lower() == "content-length" for name, _ in headers):
        return headers
    renamed = ("content-length", *_TRANSFER_HEADERS)
    kept = [(f"X-Archive-Orig-{name}" if name.lower() in renamed else name, value) for name, value in headers]
    return [*kept, ("Content-Length", str(len(body)))]


def _warc_writer() -> tuple[Any, io.BytesIO]:
    from warcio.utils import Digester
    from warcio.warcwriter import WARCWriter

    class _SHA256Writer(WARCWriter):  # type: ignore[misc]
        @staticmethod
        def _create_digester() -> Any:
            return Digester("sha256")

    buffer = io.BytesIO()
    return _SHA256Writer(buffer, gzip=True, warc_version="WARC/1.1"), buffer


def warcinfo_record(filename: str, info: dict[str, str]) -> bytes:
    """The warcinfo record that opens an exported WARC file."""
    writer, buffer = _warc_writer()
    writer.write_record(writer.create_warcinfo_record(filename, info))
    return buffer.getvalue()
