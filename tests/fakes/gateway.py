"""What the fake gateways share: a JSON server on loopback that records API calls and injects faults.

A subclass routes requests (``_route``) and names the prefix of its API paths (``api_prefix``),
the ones recorded in ``calls`` and matched by ``count``; tests make the next matching request
fail (``fail_next``): a 5xx or a slow answer (past the client's time-out), with or without the
request having taken effect, which is the unknown outcome a client must handle.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit

from tests.fakes.loopback import QuietHandler, serve

Answer = tuple[int, Any, dict[str, str]]


@dataclass
class Fault:
    """What the next request matching ``method`` and ``path`` (a prefix) suffers.

    ``status`` answers with that code instead; ``delay`` answers late (seconds); ``applied``
    says whether the request takes effect anyway.
    """

    method: str
    path: str
    status: int | None = 500
    delay: float = 0.0
    applied: bool = True


class FakeServer:
    """A fake gateway's server and bookkeeping; ``running()`` serves it for one test."""

    api_prefix = "/"
    fault_answer: dict[str, Any] = {"message": "injected"}

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []  # API requests (method, path) in order
        self.faults: list[Fault] = []
        self.url = ""
        self._lock = threading.RLock()

    @contextmanager
    def running(self) -> Iterator[Self]:
        fake = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                fake._handle(self)

            do_POST = do_GET

        with serve(Handler) as url:
            self.url = url
            yield self

    def fail_next(self, method: str, path: str, *, status: int | None = 500, delay: float = 0.0, applied: bool = True) -> None:
        self.faults.append(Fault(method, path, status, delay, applied))

    def count(self, method: str, path: str) -> int:
        """How many API requests matched ``method`` and the ``path`` prefix."""
        return sum(1 for m, p in self.calls if m == method and p.startswith(path))

    def _route(self, request: QuietHandler, path: str, query: dict[str, str], body: bytes) -> Answer:
        raise NotImplementedError

    def _handle(self, request: QuietHandler) -> None:
        parts = urlsplit(request.path)
        body = request.read_body()
        with self._lock:
            fault = next((f for f in self.faults if f.method == request.command and parts.path.startswith(f.path)), None)
            if fault is not None:
                self.faults.remove(fault)
            if parts.path.startswith(self.api_prefix):
                self.calls.append((request.command, parts.path))
            if fault is not None and not fault.applied:
                status, answer, headers = fault.status or 500, self.fault_answer, {}
            else:
                status, answer, headers = self._route(request, parts.path, dict(parse_qsl(parts.query)), body)
        if fault is not None:
            time.sleep(fault.delay)
            if fault.applied and fault.status:
                status, answer, headers = fault.status, self.fault_answer, {}
        data = answer if isinstance(answer, bytes) else json.dumps(answer).encode() if answer is not None else b""
        try:  # bytes are a page the route rendered itself (its headers name the type)
            request.answer(status, data, {"Content-Type": "application/json", **headers})
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (an injected delay)
