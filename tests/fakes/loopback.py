"""Run an ``http.server`` handler, or an ASGI app, on 127.0.0.1 in a thread, for one test."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from starlette.testclient import TestClient
from starlette.types import ASGIApp


_HOP_BY_HOP = {"host", "content-length", "connection", "transfer-encoding", "keep-alive"}


class QuietHandler(BaseHTTPRequestHandler):
    """A handler that reads bodies and writes answers in one place, and logs nothing."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the stdlib's name)
        pass

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def answer(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)


@contextmanager
def serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve ``handler`` on a free loopback port; yield its base URL (no trailing slash)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="loopback", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def serve_asgi(app: ASGIApp) -> Iterator[str]:
    """Serve an ASGI app (Mihan's plain HTTP routes) over real HTTP on loopback.

    The venv has no ASGI server, so each request is handed to Starlette's in-process client:
    the caller still sends real HTTP (method, path, headers, raw body) and reads the app's answer.
    """

    class Bridge(QuietHandler):
        def _forward(self) -> None:
            with TestClient(app, raise_server_exceptions=False, follow_redirects=False) as client:
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
                response = client.request(self.command, self.path, content=self.read_body(), headers=headers)
            headers = {"Content-Type": response.headers.get("content-type", "application/octet-stream")}
            if "location" in response.headers:  # a redirect is the browser's to follow, not ours
                headers["Location"] = response.headers["location"]
            self.answer(response.status_code, response.content, headers)

        do_GET = do_POST = do_PUT = do_PATCH = _forward

    with serve(Bridge) as url:
        yield url
