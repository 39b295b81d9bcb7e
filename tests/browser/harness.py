"""What the browser tests share: where Chromium is, starting `streamlit run app.py` on a free port, and
the page helpers that find Streamlit widgets by their deliberate keys."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "browser" / "artifacts"  # screenshots: git-ignored, kept by CI as artefacts
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT = 30_000  # one action on a loaded 2-core machine; retrying expectations return as soon as they hold
FIRST_PAGE_TIMEOUT = 180_000




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
        proc.wait(timeout=10)


def key(name: str) -> str:
    """The CSS selector of the element Streamlit wraps a widget with this key in."""
    return f'[class~="st-key-{name.replace(".", "-")}"]'


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def wait_idle(page: Page) -> None:
    """Wait until Streamlit finished the current run (no 'running' status widget)."""
    page.wait_for_timeout(250)
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
