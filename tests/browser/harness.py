"""What the browser tests share: where Chromium is, starting `streamlit run app.py` on a free port, and
the page helpers that find Streamlit widgets by their deliberate keys."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from playwright.sync_api import Browser, Page, WebSocket, expect
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "browser" / "artifacts"  # screenshots: git-ignored, kept by CI as artefacts
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT = 30_000  # one action on a loaded 2-core machine; retrying expectations return as soon as they hold
FIRST_PAGE_TIMEOUT = 180_000
# How long wait_idle gives an action to ask for a run before it counts as one that starts none (a click on what
# is already chosen, a key that changes nothing).
NO_RUN_GRACE_S = 0.25


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, proc: subprocess.Popen[bytes], tries: int = 300) -> None:
    """Wait until `url` answers 200; fail at once if the process behind it stopped."""
    for _ in range(tries):
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args!r} stopped with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(url)


@contextmanager
def streamlit_app(
    env: Mapping[str, str], *args: str, port: int | None = None, stderr: IO[bytes] | int = subprocess.DEVNULL
) -> Iterator[str]:
    """`streamlit run app.py` with these environment variables (on top of ours) and extra flags, on `port`
    or a free one; yields its URL once healthy and stops it afterwards."""
    port = port or free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", *args],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=stderr)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(f"{url}/_stcore/health", proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # a server busy on a loaded machine is no failure of the test
            proc.kill()
            proc.wait()


def key(name: str) -> str:
    """The CSS selector of the element Streamlit wraps a widget with this key in."""
    return f'[class~="st-key-{name.replace(".", "-")}"]'


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@dataclass
class _Runs:
    """What a page's Streamlit connection said about script runs, read from its websocket frames: the runs it
    asked for (a BackMsg `rerun_script`: a click, a changed field, a menu item, the first page) and whether the
    last one asked for has finished (a ForwardMsg `script_finished` other than 'stopped for a newer run')."""

    asked: int = 0  # rerun_script messages sent
    seen: int = 0  # `asked` when wait_idle last returned
    running: bool = False  # a run asked for has not finished yet

    def sent(self, payload: Any) -> None:
        if isinstance(payload, bytes):
            msg = BackMsg()
            msg.ParseFromString(payload)
            if msg.WhichOneof("type") == "rerun_script":
                self.asked += 1
                self.running = True

    def received(self, payload: Any) -> None:
        if isinstance(payload, bytes):
            msg = ForwardMsg()
            msg.ParseFromString(payload)
            if (msg.WhichOneof("type") == "script_finished"
                    and msg.script_finished != ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN):
                self.running = False


_RUNS: weakref.WeakKeyDictionary[Page, _Runs] = weakref.WeakKeyDictionary()


def new_page(browser: Browser, **context: Any) -> Page:
    """A page in a new browser context (Playwright's options, e.g. viewport and locale) whose Streamlit runs
    wait_idle follows; actions and expectations wait up to TIMEOUT."""
    page = browser.new_context(**context).new_page()
    page.set_default_timeout(TIMEOUT)
    runs = _RUNS[page] = _Runs()

    def follow(ws: WebSocket) -> None:
        ws.on("framesent", runs.sent)
        ws.on("framereceived", runs.received)
        ws.on("close", lambda _ws: setattr(runs, "running", False))

    page.on("websocket", follow)
    return page


def wait_idle(page: Page) -> None:
    """Wait until Streamlit finished the run the last action started and the page shows its result (no
    'running' status widget, no element still stale). On a page from new_page the run is known from the
    websocket: wait_idle returns once the run finished, and waits NO_RUN_GRACE_S only for an action that
    asks for none; elsewhere it gives every action that long to start its run."""
    runs = _RUNS.get(page)
    if runs is None:
        page.wait_for_timeout(NO_RUN_GRACE_S * 1000)
    else:
        start = time.monotonic()
        while runs.asked == runs.seen and time.monotonic() - start < NO_RUN_GRACE_S:
            page.wait_for_timeout(20)  # Playwright hands over the websocket's frames while it waits
        while runs.running:
            if time.monotonic() - start > TIMEOUT / 1000:
                raise TimeoutError(f"Streamlit's run did not finish within {TIMEOUT} ms")
            page.wait_for_timeout(20)
        runs.seen = runs.asked
    page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]') && "
                           "!document.querySelector('[data-stale=\"true\"]')", timeout=TIMEOUT)


def sign_in(page: Page, url: str, username: str, password: str = "demo", lang: str = "nl") -> None:
    page.goto(f"{url}/?lang={lang}")
    # The first page of a fresh server creates and fills its demo database, which on a loaded 2-core machine
    # takes longer than one action may; later pages appear at once.
    page.locator(key("signin.username")).locator("input").wait_for(timeout=FIRST_PAGE_TIMEOUT)
    page.locator(key("signin.username")).locator("input").fill(username)
    page.locator(key("signin.password")).locator("input").fill(password)
    page.locator('[data-testid="stFormSubmitButton"] button').click()
    if password == "demo":
        expect(page.locator("h1").first).not_to_have_text("Aanmelden")
        expect(page.locator("h1").first).not_to_have_text("Sign in")
    wait_idle(page)


def title(page: Page) -> str:
    return page.locator("h1").first.inner_text()


def go(page: Page, label: str) -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_text(label, exact=True).click()
    wait_idle(page)


def pick_case(page: Page, picker: str, ref: str) -> None:
    box = page.locator(key(picker))
    if ref in box.inner_text():
        return
    box.locator("input").click()
    page.get_by_role("option").filter(has_text=ref).first.click()
    wait_idle(page)


def choose(page: Page, widget: str, text: str) -> None:
    page.locator(key(widget)).get_by_text(text, exact=True).last.click()
    wait_idle(page)
