"""Download a feed or an image over HTTP(S) with a size limit, a total time limit and an address check.

The URLs come from an uploaded file, so they are treated as hostile: only http and https, no more bytes than the
limit (counted as they arrive, whatever Content-Length claims), no longer than the time limit in total (a server
that trickles one byte a second is cut off), and, unless `allow_private_addresses`, never an address on the
server's own network. The address is checked before the request (for a clear message), on every redirect, and on
the connection itself, so a name that resolves to a public address first and a private one when connecting
("DNS rebinding") is refused too. Through an HTTP proxy, the proxy decides where it may connect.
"""

from __future__ import annotations

import functools
import http.client
import ipaddress
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from blog.importing.limits import ImportLimits, megabytes

CHUNK_BYTES = 64 * 1024
USER_AGENT = "practice-site blog importer"


class FetchError(Exception):
    """The download failed; the message says why in words the report can show."""


@dataclass(frozen=True)
class Fetched:
    url: str
    content: bytes
    content_type: str


def _private_network_error(host: str) -> FetchError:
    return FetchError(f"{host} is on a private network; the importer only fetches public sites.")


def check_url(url: str, *, allow_private_addresses: bool) -> None:
    """Refuse anything but http(s) to a public address (unless private addresses are allowed)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{url} is not a web address (http or https).")
    if allow_private_addresses:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"{parts.hostname} could not be found.") from error
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise _private_network_error(parts.hostname)


class _PeerCheck:
    """Refuse a connection whose other end is not a public address, once it is made."""

    def __init__(self, *args, check_peer: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.check_peer = check_peer

    def connect(self) -> None:
        super().connect()
        if self.check_peer and not ipaddress.ip_address(self.sock.getpeername()[0]).is_global:
            self.sock.close()
            raise _private_network_error(self.host)


class _CheckedHTTPConnection(_PeerCheck, http.client.HTTPConnection):
    pass


class _CheckedHTTPSConnection(_PeerCheck, http.client.HTTPSConnection):
    pass


class _CheckedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, allow_private_addresses: bool) -> None:
        super().__init__()
        self.allow_private_addresses = allow_private_addresses

    def http_open(self, req):
        check = not self.allow_private_addresses and not req.has_proxy()
        return self.do_open(functools.partial(_CheckedHTTPConnection, check_peer=check), req)


class _CheckedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, allow_private_addresses: bool) -> None:
        super().__init__()
        self.allow_private_addresses = allow_private_addresses

    def https_open(self, req):
        check = not self.allow_private_addresses and not req.has_proxy()
        return self.do_open(
            functools.partial(_CheckedHTTPSConnection, check_peer=check), req, context=self._context
        )


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, allow_private_addresses: bool) -> None:
        self.allow_private_addresses = allow_private_addresses

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_url(newurl, allow_private_addresses=self.allow_private_addresses)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, *, max_bytes: int, limits: ImportLimits) -> Fetched:
    """The body of `url`, at most `max_bytes` long, read within `limits.timeout_seconds`."""
    check_url(url, allow_private_addresses=limits.allow_private_addresses)
    allow = limits.allow_private_addresses
    opener = urllib.request.build_opener(
        _CheckedRedirects(allow), _CheckedHTTPHandler(allow), _CheckedHTTPSHandler(allow)
    )
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310 (scheme checked)
    deadline = time.monotonic() + limits.timeout_seconds
    too_slow = FetchError(f"{url} did not answer within {limits.timeout_seconds:g} seconds.")
    try:
        with opener.open(request, timeout=limits.timeout_seconds) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"{url} is larger than {megabytes(max_bytes)}.")
            chunks: list[bytes] = []
            received = 0
            while chunk := response.read(CHUNK_BYTES):
                received += len(chunk)
                if received > max_bytes:
                    raise FetchError(f"{url} is larger than {megabytes(max_bytes)}.")
                if time.monotonic() > deadline:
                    raise too_slow
                chunks.append(chunk)
            return Fetched(
                url=response.geturl(),
                content=b"".join(chunks),
                content_type=response.headers.get_content_type(),
            )
    except TimeoutError as error:
        raise too_slow from error
    except urllib.error.HTTPError as error:
        raise FetchError(f"{url} answered with an error ({error.code}).") from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise too_slow from error
        if isinstance(error.reason, FetchError):
            raise error.reason from error
        raise FetchError(f"{url} could not be reached.") from error
    except (OSError, ValueError) as error:
        raise FetchError(f"{url} could not be reached.") from error
