"""End-to-end fixtures: one real ``mihan run`` server per session, Chromium per test.

The server runs in its own process group on a free loopback port with a throw-away data dir
(SQLite, outbox, media), so the suite never touches ./data. Set ``MIHAN_E2E_BASE_URL`` (and
``MIHAN_E2E_DATA_DIR``) to drive an already running server instead while iterating on tests;
``MIHAN_E2E_KEEP=1`` keeps the data dir. The server log is copied to tests/e2e/artifacts/.
:meth:`Server.cli` runs the ``mihan`` command against the server's data dir and database (for an
external server, ``MIHAN_E2E_DB_URL`` names its database when it is not the data dir's SQLite).

Reflex pages are usable only once the websocket has hydrated the state and run the page's
on_load handlers; :class:`Site` navigation watches the websocket for the
``is_hydrated`` flip, so tests never click a button that has no backend behind it yet.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, WebSocket, sync_playwright

PROJECT_ROOT = Path(__file__).resolve().parents[2]
E2E_DIR = Path(__file__).resolve().parent
ARTIFACTS = E2E_DIR / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
]
START_TIMEOUT = 15 * 60
HYDRATED_MARK = '"is_hydrated_rx_state_":true'
HEADER_READY = "header #account-menu, header a[href='/login']"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test under tests/e2e is an e2e test (``-m "not e2e"`` skips the slow suite).

    A module that starts a server of its own (its own ``server`` fixture, e.g. with a gateway
    switched on) runs after every journey on the shared server: a second ``mihan run`` rebuilds
    the one ``.web`` frontend of the checkout, and pages of the shared server built before then
    no longer hydrate.
    """
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(E2E_DIR):
            item.add_marker(pytest.mark.e2e)
    items.sort(key=lambda item: getattr(item, "module", None) is not None and hasattr(item.module, "server"))


@dataclass(frozen=True)
class Server:
    base_url: str
    data_dir: Path
    db_url: str = ""

    def url(self, path: str = "/") -> str:
        return f"{self.base_url}{path}"

    @property
    def outbox(self) -> Path:
        return self.data_dir / "outbox"

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run ``mihan <args>`` on this server's data dir and database; fail the test if it fails."""
        return self._run([str(PROJECT_ROOT / ".venv" / "bin" / "mihan"), *args])

    def python(self, module: str, *args: str) -> subprocess.CompletedProcess[str]:
        """Run ``python -m <module> <args>`` (a helper of the tests) like :meth:`cli`."""
        return self._run([str(PROJECT_ROOT / ".venv" / "bin" / "python"), "-m", module, *args])

    def _run(self, argv: list[str]) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ)
        env.pop("MIHAN_SMTP_HOST", None)
        env.update(
            MIHAN_DATA_DIR=str(self.data_dir),
            REFLEX_DB_URL=self.db_url or f"sqlite:///{self.data_dir / 'mihan.db'}",
            REFLEX_TELEMETRY_ENABLED="false",
        )
        done = subprocess.run(  # noqa: S603 (our own command, fixed arguments)
            argv,
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode != 0:
            pytest.fail(f"{Path(argv[0]).name} {' '.join(argv[1:3])} exited with {done.returncode}:\n{done.stdout}{done.stderr}", pytrace=False)
        return done

    def create_admin(self, *, email: str, password: str, name: str = "مدير مِهَن") -> dict[str, object]:
        """An administrator made with ``mihan create-admin`` (the e2e server has no demo data)."""
        done = self.cli("create-admin", "--email", email, "--password", password, "--name", name, "--json")
        return json.loads(done.stdout.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _ping(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
            return response.status == 200
    except OSError:
        return False


def _tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _descendant_groups(root: int) -> list[int]:
    """Process groups of ``root``'s descendants (``mihan run`` starts reflex in its own session)."""
    children: dict[int, list[int]] = {}
    groups: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        children.setdefault(int(fields[1]), []).append(pid)
        groups[pid] = int(fields[2])
    found: list[int] = []
    todo = list(children.get(root, []))
    while todo:
        pid = todo.pop()
        if groups.get(pid) not in found and groups.get(pid) != root:
            found.append(groups[pid])
        todo.extend(children.get(pid, []))
    return found


def _signal_groups(groups: list[int], sig: signal.Signals) -> None:
    for group in groups:
        try:
            os.killpg(group, sig)
        except (ProcessLookupError, PermissionError):
            pass


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGINT the server's process group (it stops reflex, bun and granian), then SIGKILL."""
    groups = [process.pid, *_descendant_groups(process.pid)]
    for sig, grace in ((signal.SIGINT, 40), (signal.SIGKILL, 10)):
        if process.poll() is not None:
            break
        _signal_groups([process.pid], sig)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            continue
    # Whatever the server left behind (it was killed, or a worker ignored the signal).
    _signal_groups(groups, signal.SIGKILL)


def _default_sigint() -> None:
    """Let the child see Ctrl+C even when this pytest runs with SIGINT ignored (a background job)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """A running Mihan (frontend and backend on one port) with its own data dir."""
    external = os.environ.get("MIHAN_E2E_BASE_URL", "").rstrip("/")
    if external:
        yield Server(base_url=external, data_dir=Path(os.environ["MIHAN_E2E_DATA_DIR"]), db_url=os.environ.get("MIHAN_E2E_DB_URL", ""))
        return
    with running_server() as started:
        yield started


@contextmanager
def running_server(settings: dict[str, str] | None = None) -> Iterator[Server]:
    """Start ``mihan run`` on a free port with a throw-away data dir (and ``settings`` on top of
    this process's environment, e.g. a gateway switched on); stop it and keep its log after."""
    port = _free_port()
    while _port_in_use(port):
        port = _free_port()
    data_dir = Path(tempfile.mkdtemp(prefix="mihan-e2e-"))
    base_url = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    env.pop("MIHAN_SMTP_HOST", None)
    env.update(
        MIHAN_DATA_DIR=str(data_dir),
        REFLEX_DB_URL=f"sqlite:///{data_dir / 'mihan.db'}",
        MIHAN_BASE_URL=base_url,
        REFLEX_TELEMETRY_ENABLED="false",
        PYTHONUNBUFFERED="1",
    )
    env.update(settings or {})
    log_path = data_dir / "server.log"
    ARTIFACTS.mkdir(exist_ok=True)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(PROJECT_ROOT / ".venv" / "bin" / "mihan"), "run", "--no-browser", "--port", str(port), "--host", "127.0.0.1"],
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_default_sigint,  # noqa: PLW1509 (no threads yet at session start)
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _ping(f"{base_url}/ping"):
            if process.poll() is not None or time.monotonic() > deadline:
                why = "exited with code %s" % process.returncode if process.poll() is not None else "timed out"
                pytest.fail(f"mihan run {why}; log tail:\n{_tail(log_path)}", pytrace=False)
            time.sleep(1)
        yield Server(base_url=base_url, data_dir=data_dir, db_url=env["REFLEX_DB_URL"])
    finally:
        _stop(process)
        try:
            (ARTIFACTS / "server.log").write_bytes(log_path.read_bytes())
        except OSError:
            pass
        if not os.environ.get("MIHAN_E2E_KEEP"):
            shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


class Hydration:
    """Counts websocket frames that mark the page's state hydrated and on_load done."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.count = 0
        page.on("websocket", self._watch)

    def _watch(self, ws: WebSocket) -> None:
        ws.on("framereceived", self._frame)

    def _frame(self, payload: str | bytes) -> None:
        text = payload if isinstance(payload, str) else payload.decode("utf-8", "replace")
        if HYDRATED_MARK in text.replace(" ", ""):
            self.count += 1

    def wait(self, since: int, timeout: float = 30) -> None:
        """Wait until a hydration newer than ``since`` arrived, then let the page settle."""
        deadline = time.monotonic() + timeout
        while self.count <= since:
            if time.monotonic() > deadline:
                raise AssertionError(f"page {self.page.url} never hydrated")
            self.page.wait_for_timeout(50)
        try:
            self.page.wait_for_load_state("networkidle", timeout=5000)
        except Exception:  # noqa: BLE001 (idle is a nicety; the websocket keeps it busy sometimes)
            pass
        # The header shows who is signed in only once the session state arrived.
        self.page.locator(HEADER_READY).first.wait_for(state="visible", timeout=timeout * 1000)
        self.page.wait_for_timeout(150)


class Site:
    """A page bound to the server, with navigation that waits for Reflex to be ready."""

    def __init__(self, page: Page, server: Server) -> None:
        self.page = page
        self.server = server
        self.hydration = Hydration(page)

    def url(self, path: str = "/") -> str:
        return self.server.url(path)

    def goto(self, path: str = "/") -> Page:
        since = self.hydration.count
        self.page.goto(self.url(path), wait_until="domcontentloaded")
        self.hydration.wait(since)
        return self.page

    def reload(self) -> Page:
        since = self.hydration.count
        self.page.reload(wait_until="domcontentloaded")
        self.hydration.wait(since)
        return self.page

    def navigates(self, action: Callable[[], object], path: str | None = None) -> None:
        """Run ``action`` (a click) that leads to ``path``; wait for that page to hydrate."""
        since = self.hydration.count
        action()
        if path is not None:
            want = path.rstrip("/") or "/"
            self.page.wait_for_url(lambda url: (urlsplit(url).path.rstrip("/") or "/") == want, timeout=30_000)
        self.hydration.wait(since)

    def screenshot(self, name: str, *, full_page: bool = True) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def make_site(browser: Browser, server: Server) -> Iterator[Callable[..., Site]]:
    """Open a fresh browser context (own cookies) and return a :class:`Site` on it."""
    contexts: list[BrowserContext] = []

    def make(*, viewport: dict[str, int] | None = None, **options: object) -> Site:
        context = browser.new_context(viewport=viewport or DESKTOP, locale="ar-SA", **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return Site(context.new_page(), server)

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def site(make_site: Callable[..., Site]) -> Site:
    """A desktop-sized page in a fresh context."""
    return make_site()


@pytest.fixture
def page(site: Site) -> Page:
    return site.page
