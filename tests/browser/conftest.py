"""The Chromium every browser test shares (Debian's package; never a downloaded browser)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("playwright")
from playwright.sync_api import Browser, expect, sync_playwright  # noqa: E402

from tests.browser.harness import ARGS, CHROMIUM, TIMEOUT  # noqa: E402

# Assertions wait as long as actions do: on a loaded 2-core machine a Streamlit rerun can take longer than
# Playwright's default 5 s, and a slow machine must not read as a broken page.
expect.set_options(timeout=TIMEOUT)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()
