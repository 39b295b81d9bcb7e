"""Browser load: one `streamlit run app.py`, one headless Chromium, 12 pages signed in as members, each
typing a note into its discipline input and waiting for the save, in a loop, all at once.

    .venv/bin/python bench/load_browser.py [--seconds 60]
    .venv/bin/python bench/load_browser.py --pages 10 --interval 5 --processes 1 --proxy   # issue #15's figure
    .venv/bin/python bench/load_browser.py --pages 10 --interval 5 --processes 2           # the gain of a second

`--processes 2` runs two Streamlit processes on the one database file behind HAProxy with the repository's
deploy/haproxy.cfg (TLS, sticky sessions), as docs/deployment.md deploys it; `--processes 1 --proxy` the same
proxy in front of one process, so the two differ only in the processes. The CPU time of each server process
and of the proxy is measured while the pages save (/proc), and printed per acknowledged save.

Five members work on case A (one of them, `police`, in two pages: the same seat, so their saves can
conflict), six more members on four other cases. A save is timed from the commit (Ctrl+Enter in the text
field) to the end of the script run that saved it, when the page shows "Saved at" (or the conflict
screen). Afterwards `verify` reads every input through the services and the audit trail. Prints figures
and `RESULT` lines for bench/run_all.py; tests/browser/test_load.py runs the same scenario and asserts.
Uses Debian's /usr/bin/chromium (never downloads a browser). Synthetic data only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import re
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assessment import services  # noqa: E402
from assessment.config import Settings  # noqa: E402
from assessment.model import Intake  # noqa: E402
from assessment.store import open_store  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
HAPROXY = "/usr/sbin/haproxy"  # Debian's package (apt-get install haproxy)
PROXY_COOKIE = "aannemelijk_proc"  # deploy/haproxy.cfg: the cookie that keeps a browser on one process
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "load-test-password"
# Case letter -> members on its panel (their discipline is their name without the trailing digit).
CASES: dict[str, tuple[str, ...]] = {
    "A": ("police", "care", "legal", "immigration", "labour"),
    "B": ("police2", "care2"),
    "C": ("legal2", "labour2"),
    "D": ("immigration2",),
    "E": ("police3",),
}
EXTRA_PAGES = ("police",)  # a second page for this member: two pages on one seat
TIMEOUT_MS = 60_000


@dataclass
class PageLog:
    """What one page saw: the texts acknowledged as saved (in order), texts taken over from a conflict,
    conflicts shown, errors shown, and the latency of every save."""

    page: int
    username: str
    ref: str
    acked: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=lambda: {""})
    conflicts: int = 0
    errors: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    served_by: str | None = None  # behind the proxy: the process its cookie names (deploy/haproxy.cfg)


def _intake(i: int) -> Intake:
    return Intake.model_validate({
        "received_on": dt.date.today(), "route": "report", "route_end": "dismissal",
        "route_end_on": dt.date.today() - dt.timedelta(days=10), "form": "labour", "gender": "female",
        "nationality": "PH", "birth_year": 1985 + i, "filing_party": "ngo", "exploitation_in_nl": "in_nl",
        "applicant": {"name": f"Synthetische Persoon {i}"}})


def setup(db: Path) -> list[tuple[str, str]]:
    """Accounts and cases for the scenario; returns (username, ref) per page: the eleven members first, each
    once, then the second page of EXTRA_PAGES (so the first ten pages are ten different members)."""
    store = open_store(Settings(db_path=db, demo=True))
    services.load_demo_users(store)
    admin = services.user_by_name(store, "admin")
    secretary = services.user_by_name(store, "secretary")
    members = [m for ms in CASES.values() for m in ms]
    for m in members:
        if m[-1].isdigit():
            services.add_user(store, admin, m, "member", PASSWORD, discipline=m.rstrip("0123456789"))
    refs: dict[str, str] = {}
    for i, (letter, panel) in enumerate(CASES.items()):
        ref = services.create_case(store, secretary, _intake(i))
        services.record_consent(store, secretary, ref, "police_file", dt.date.today())
        for m in panel:
            services.assign_panel(store, secretary, ref, m.rstrip("0123456789"), m)
            services.declare_no_conflict(store, services.user_by_name(store, m), ref, m.rstrip("0123456789"))  # personally
        services.decide_admissibility(store, secretary, ref, "admissible", "Binnen termijn.",
                                      services.get_case(store, secretary, ref).version)
        refs[letter] = ref
    store.close()
    pages = [(m, refs[letter]) for letter, panel in CASES.items() for m in panel]
    return pages + [(m, next(r for u, r in pages if u == m)) for m in EXTRA_PAGES]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Served:
    """What `serve` started: the address the browser opens, and each Streamlit process's own address and id."""

    url: str
    apps: list[tuple[str, int]]
    proxy_pid: int | None = None


def _wait_healthy(url: str, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args!r} stopped with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1, context=_INSECURE) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(url)


_INSECURE = ssl.create_default_context()
_INSECURE.check_hostname = False
_INSECURE.verify_mode = ssl.CERT_NONE  # the proxy's certificate is generated per run (self-signed)


def self_signed_pem(target: Path) -> Path:
    """A throw-away certificate and key for 127.0.0.1 in one PEM file, as HAProxy's `crt` wants it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key_ = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key_.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1)).sign(key_, hashes.SHA256()))
    target.write_bytes(cert.public_bytes(serialization.Encoding.PEM) + key_.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return target


@contextmanager
def serve(db: Path, processes: int = 1, proxy: bool = False) -> Iterator[Served]:
    """`processes` times `streamlit run app.py` on this one database file; with `proxy`, HAProxy in front
    with the repository's deploy/haproxy.cfg (TLS, sticky sessions by cookie), as docs/deployment.md deploys
    it. One process behind the proxy: both of the file's servers point at it (same proxy, same cost)."""
    if processes > 2 or (processes > 1 and not proxy):
        raise ValueError("deploy/haproxy.cfg names two processes; more than one needs the proxy")
    env = {**os.environ, "AANNEMELIJK_DB": str(db), "AANNEMELIJK_DEMO": "1"}
    with ExitStack() as stack:
        procs = []
        for _ in range(processes):
            port = free_port()
            proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port",
                 str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            stack.callback(_stop, proc)
            procs.append((f"http://127.0.0.1:{port}", proc))
        for url, proc in procs:
            _wait_healthy(f"{url}/_stcore/health", proc)
        apps = [(url, proc.pid) for url, proc in procs]
        if not proxy:
            yield Served(apps[0][0], apps)
            return
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        port = free_port()
        addresses = [url.removeprefix("http://") for url, _ in apps]
        proxy_env = {**os.environ, "PROXY_HTTPS": f"127.0.0.1:{port}",
                     "PROXY_HTTP": f"127.0.0.1:{free_port()}",
                     "PROXY_PEM": str(self_signed_pem(tmp / "proxy.pem")),
                     "PROXY_APP1": addresses[0], "PROXY_APP2": addresses[-1]}
        log = stack.enter_context((tmp / "haproxy.log").open("wb"))
        haproxy = subprocess.Popen([HAPROXY, "-db", "-f", str(ROOT / "deploy" / "haproxy.cfg")], env=proxy_env,
                                   stdout=log, stderr=subprocess.STDOUT)
        stack.callback(_print_proxy_trouble, tmp / "haproxy.log")
        stack.callback(_stop, haproxy)
        url = f"https://127.0.0.1:{port}"
        _wait_healthy(f"{url}/_stcore/health", haproxy)
        yield Served(url, apps, haproxy.pid)


def _print_proxy_trouble(log: Path) -> None:
    """The proxy's log lines about a server going down or an answer it did not get from a process (5xx)."""
    lines = log.read_text(errors="replace").splitlines()
    trouble = [ln for ln in lines if re.search(r"is DOWN|is UP|no server available|/-?\d+ (5\d\d|-1) ", ln)]
    for line in trouble[:20]:
        print(f"PROXY {line}")
    if trouble:
        print(f"PROXY {len(trouble)} line(s) of {len(lines)} about servers down or 5xx answers")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def browser_cpu_seconds(exclude: set[int]) -> dict[int, float]:
    """CPU time used so far by each of this program's descendants (Chromium and Playwright's driver) except
    `exclude` (the servers): what the browsers cost the machine the benchmark runs on."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            pid, ppid = int(stat.parent.name), int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile
        children.setdefault(ppid, []).append(pid)
    used, todo = {}, list(children.get(os.getpid(), []))
    while todo:
        pid = todo.pop()
        if pid in exclude:
            continue
        todo += children.get(pid, [])
        with suppress(OSError):
            used[pid] = cpu_seconds(pid)
    return used


def sessions_started(app_url: str) -> int:
    """How many browser sessions (WebSocket connections) this Streamlit process has accepted so far: its own
    count, from its metrics endpoint, so it says which process served a browser whatever the proxy claims."""
    with urllib.request.urlopen(f"{app_url}/_stcore/metrics?families=session_events", timeout=10) as r:
        text = r.read().decode()
    found = re.search(r'^session_events_total\{type="connect"\} (\d+)', text, re.M)
    if found is None:
        raise ValueError(f"no session count in {app_url}/_stcore/metrics")
    return int(found.group(1))


def key(name: str) -> str:
    """The CSS selector of the element Streamlit wraps a widget with this key in."""
    return f'[class~="st-key-{name.replace(".", "-")}"]'


class RunCounter:
    """Counts finished script runs of one page (a page's or a fragment's, not one stopped for a rerun), from
    Streamlit's websocket messages (ForwardMsg)."""

    def __init__(self) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self._msg = ForwardMsg
        self.finished = 0
        self.changed = asyncio.Event()

    def attach(self, page: Any) -> None:
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload: bytes | str) -> None:
        if isinstance(payload, str):
            return
        msg = self._msg()
        try:
            msg.ParseFromString(payload)
        except Exception:  # not a ForwardMsg: nothing to count
            return
        # A run stopped for a rerun is no answer: a section's own run (a fragment) that meets a clash reruns
        # the whole page, which draws the conflict screen.
        if (msg.WhichOneof("type") == "script_finished"
                and msg.script_finished != self._msg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN):
            self.finished += 1
            self.changed.set()

    async def after(self, count: int, timeout: float) -> None:
        """Wait until more than `count` runs finished."""
        deadline = time.monotonic() + timeout
        while self.finished <= count:
            self.changed.clear()
            await asyncio.wait_for(self.changed.wait(), max(0.01, deadline - time.monotonic()))


async def _idle(page: Any) -> None:
    await page.wait_for_timeout(200)
    await page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]') && "
                                 "!document.querySelector('[data-stale=\"true\"]')", timeout=TIMEOUT_MS)


async def _open(browser: Any, url: str, log: PageLog) -> tuple[Any, RunCounter]:
    """A new context signed in as the page's member, on the discipline input of its case (English UI)."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB",
                                        ignore_https_errors=True)  # the proxy's certificate is made per run
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    runs = RunCounter()
    runs.attach(page)
    await page.goto(f"{url}/?lang=en")
    await page.locator(key("signin.username")).locator("input").fill(log.username)
    await page.locator(key("signin.password")).locator("input").fill(
        PASSWORD if log.username[-1].isdigit() else "demo")
    await page.locator('[data-testid="stFormSubmitButton"] button').click()
    await page.locator('[data-testid="stSidebarNav"]').get_by_text("Discipline input", exact=True).click()
    await _idle(page)
    box = page.locator(key("pick.input"))
    if log.ref not in await box.inner_text():
        await box.locator("input").click()
        await page.get_by_role("option").filter(has_text=log.ref).first.click()
        await _idle(page)
    box = page.locator(key("input.overall.reasons")).locator("textarea")
    await box.wait_for()
    log.seen.add(await box.input_value())  # what was stored when the page opened: a save may build on it
    log.served_by = next((c["value"] for c in await context.cookies() if c["name"] == PROXY_COOKIE), None)
    return page, runs


from playwright.async_api import TimeoutError as PlaywrightTimeout  # noqa: E402

NOTE_TEXT = "Synthetische notitie / synthetic note"
CLASH = '[class*="st-key-input-conflict-"]:not([class~="st-key-input-conflict-save"])'  # one per clashing item
CLASHES_DRAWN = ("(() => { const c = [...document.querySelectorAll('" + CLASH.replace("'", "\\'") + "')];"
                 " return !document.querySelector('[data-stale=\"true\"]') && c.length > 0 && c.every(e => e.querySelector('[role=\"radiogroup\"]')); })()")
# A save's answer drawn: the "Saved at" line or the conflict screen's save button.
ANSWERED = ("(() => !!document.querySelector('[class~=\"st-key-input-conflict-save\"]') || "
            "document.body.innerText.includes('Saved at'))()")
NOTE = re.compile(r"p\d+-\w+-n\d+ " + re.escape(NOTE_TEXT))


async def _errors(page: Any) -> list[str]:
    """Error boxes and exceptions shown, except the conflict screen's own message."""
    shown = [await e.inner_text() for e in await page.locator('[data-testid="stException"]').all()]
    for alert in await page.locator('[data-testid="stAlertContentError"]').all():
        text = await alert.inner_text()
        if "also saved in another window" not in text:  # the conflict screen, which the loop answers
            shown.append(text)
    return shown


async def _loop(browser: Any, url: str, log: PageLog, seconds: float, ready: list[int], start: asyncio.Event,
                opening: asyncio.Semaphore, interval: float | None, offset: float) -> None:
    async with opening:  # sign in a few at a time; the load is the saving, not twelve sign-ins at once
        page, runs = await _open(browser, url, log)
    ready.append(log.page)
    await start.wait()
    began = time.monotonic()
    deadline = began + seconds
    n = 0
    box = page.locator(key("input.overall.reasons")).locator("textarea")
    while time.monotonic() < deadline:
        if interval is not None:  # a member who saves every `interval` s, the pages spread over the interval
            due = began + offset + n * interval
            if due >= deadline:
                break
            await asyncio.sleep(max(0.0, due - time.monotonic()))
        # The page run a save started may still be drawing (a section's first save or a clash reruns the whole
        # page after the section's own run has answered): type only into a page at rest, and answer a conflict
        # screen that came up meanwhile before typing on (the box is not on that screen).
        await _idle(page)
        late_conflict = bool(await page.locator(key("input.conflict.save")).count())
        if not late_conflict:
            text = f"p{log.page}-{log.username}-n{n} {NOTE_TEXT}"
            n += 1
            await box.fill(text)
            before = runs.finished
            t0 = time.perf_counter()
            await box.press("Control+Enter")
            await runs.after(before, TIMEOUT_MS / 1000)
            # The run has finished before the browser has drawn its answer: wait until it shows one (neither,
            # after the wait, is reported below).
            with contextlib.suppress(PlaywrightTimeout):
                await page.wait_for_function(ANSWERED, timeout=TIMEOUT_MS)
        if late_conflict and not await page.locator(key("input.conflict.save")).count():
            continue  # the late conflict screen went away meanwhile (its choice saved): type on
        if await page.locator(key("input.conflict.save")).count():
            # Another page saved the same seat: keep the other window's version of each clashing item. Saving
            # that choice can meet yet another page's save, and so a new conflict screen: answer each in turn.
            if not late_conflict:  # the answer to this save (a late one was timed with the save before)
                log.latencies.append(time.perf_counter() - t0)
            rounds = 0
            while await page.locator(key("input.conflict.save")).count() and rounds < 10:
                rounds += 1
                log.conflicts += 1
                # The run that shows the screen has finished before the browser has drawn it: read it only once
                # every clash shows its choice, or the record of what this page saw misses the other text.
                try:
                    await page.wait_for_function(CLASHES_DRAWN, timeout=TIMEOUT_MS)
                except PlaywrightTimeout:
                    await _idle(page)
                    continue  # the screen went away meanwhile (the choice saved): look again
                for shown in await page.locator(CLASH).all_inner_texts():
                    log.seen.update(NOTE.findall(shown))  # the conflict screen shows the other window's text
                chosen = True
                for choice in await page.locator(f"{CLASH} [role='radiogroup']").all():
                    other = choice.get_by_role("radio", name=re.compile("Other window"))
                    if await other.count() and await other.first.is_checked():
                        continue  # chosen in an earlier round: clicking it again starts no run to wait for
                    before = runs.finished
                    try:
                        await choice.get_by_text("Other window", exact=False).click(timeout=5_000)
                        await runs.after(before, TIMEOUT_MS / 1000)
                    except (PlaywrightTimeout, TimeoutError):  # no click, or a click that started no run
                        chosen = False
                        break
                if not chosen:  # never save a choice this page did not make: look at the screen again
                    await _idle(page)
                    continue
                before = runs.finished
                try:  # a rerun still under way may take the screen away (the choice saved): look again
                    await page.locator(key("input.conflict.save")).locator("button").click(timeout=5_000)
                except PlaywrightTimeout:
                    await _idle(page)
                    continue
                await runs.after(before, TIMEOUT_MS / 1000)
                await _idle(page)
            await box.wait_for()
            log.seen.add(await box.input_value())  # the saved version this page now builds on
            continue
        saved = await page.get_by_text("Saved at", exact=False).count()
        log.latencies.append(time.perf_counter() - t0)
        errors = await _errors(page)
        if errors:
            log.errors.extend(errors)
            break
        if saved and await box.input_value() == text:
            log.acked.append(text)
            log.seen.add(text)
        else:
            log.errors.append(f"no 'Saved at' and no conflict after saving {text!r}")
            break
        if interval is None:
            await page.wait_for_timeout(150)  # a member reads before typing on
    log.errors.extend(await _errors(page))
    await page.context.close()


async def _browser_cpu_after(seconds: float, servers: set[int], before: dict[int, float]) -> float:
    """Chromium's CPU time over the `seconds` of saving: read when the saving stops, as each page closes after its
    last save (a helper process that ended meanwhile is not counted: a lower bound)."""
    await asyncio.sleep(seconds)
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in browser_cpu_seconds(servers).items())


@dataclass
class Run:
    """One load run: what every page saw, and the CPU time each server process (and the proxy) used while
    the pages were saving (sign-in not included), and Chromium's over the `seconds` of saving ("browser")."""

    logs: list[PageLog]
    cpu: dict[str, float]
    seconds: float


async def drive(url: str, plan: list[tuple[str, str]], seconds: float, interval: float | None = None,
                pids: dict[str, int] | None = None) -> Run:
    """Open one page per (username, ref) in one Chromium and let them all save for `seconds`: each page as
    fast as it can (a short pause to read between saves), or with `interval` once every that many seconds.
    `pids` names the processes whose CPU time to measure over the saving (server processes, the proxy)."""
    from playwright.async_api import async_playwright

    logs = [PageLog(page=i, username=u, ref=r) for i, (u, r) in enumerate(plan)]
    start = asyncio.Event()
    ready: list[int] = []
    opening = asyncio.Semaphore(3)
    pids = pids or {}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        tasks = [asyncio.create_task(_loop(browser, url, log, seconds, ready, start, opening, interval,
                                           (interval or 0) * log.page / len(logs))) for log in logs]
        while len(ready) + sum(1 for t in tasks if t.done()) < len(tasks):
            await asyncio.sleep(0.2)  # all pages start saving together, once each is on its input screen
        cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        servers = set(pids.values())
        browser_before = browser_cpu_seconds(servers)
        t0 = time.monotonic()
        start.set()
        browsers = asyncio.create_task(_browser_cpu_after(seconds, servers, browser_before))
        results = await asyncio.gather(*tasks, return_exceptions=True)
        elapsed = time.monotonic() - t0
        cpu = {name: cpu_seconds(pid) - cpu_before[name] for name, pid in pids.items()}
        cpu["browser"] = await browsers
        await browser.close()
    for log, res in zip(logs, results, strict=True):
        if isinstance(res, BaseException):
            log.errors.append(f"{type(res).__name__}: {res}")
    return Run(logs, cpu, elapsed)


def verify(db: Path, logs: list[PageLog]) -> list[str]:
    """Every broken promise as one line: an acknowledged text not in the audit trail, a last acknowledged
    text not stored (single page on a seat), a save built on a text that page never saw (silent overwrite)."""
    problems = [f"page {lg.page} ({lg.username}): {e}" for lg in logs for e in lg.errors]
    store = open_store(Settings(db_path=db, demo=True))
    chair = services.user_by_name(store, "chair")
    seats: dict[tuple[str, str], list[PageLog]] = {}
    for lg in logs:
        seats.setdefault((lg.username, lg.ref), []).append(lg)
    for (username, ref), pages in sorted(seats.items()):
        member = services.user_by_name(store, username)
        own = [i for i in services.get_inputs(store, member, ref) if i.username == username]
        stored = own[0].draft.overall_reasons if own else ""
        events = [e for e in services.case_audit(store, chair, ref)
                  if e["action"] == "input.save" and e["actor"] == username]
        afters = [_reasons(e["after"]) for e in events]
        for lg in pages:
            missing = [t for t in lg.acked if t not in afters]
            if missing:
                problems.append(f"page {lg.page}: acknowledged but never saved: {missing[:3]}")
            if len(pages) == 1 and lg.acked and stored != lg.acked[-1]:
                problems.append(f"page {lg.page}: stored {stored!r}, last acknowledged {lg.acked[-1]!r}")
        if (afters[-1] if afters else "") != stored:
            problems.append(f"{ref} {username}: stored text is not the last save")
        for event in events:
            after, before = _reasons(event["after"]), _reasons(event["before"])
            writer = next((lg for lg in pages if after.startswith(f"p{lg.page}-")), None)
            if writer is not None and before not in writer.seen:
                problems.append(f"page {writer.page} overwrote {before!r} without having seen it")
    store.close()
    return problems


def _reasons(value: Any) -> str:
    data = json.loads(value) if isinstance(value, str) else value
    return str((data or {}).get("overall_reasons", ""))


def summary(logs: list[PageLog]) -> dict[str, float]:
    """Counts and latency figures (ms) over every save of every page."""
    lat = sorted(x for lg in logs for x in lg.latencies)
    return {
        "pages": len(logs), "saves": sum(len(lg.acked) for lg in logs),
        "conflicts": sum(lg.conflicts for lg in logs), "errors": sum(len(lg.errors) for lg in logs),
        "median_ms": statistics.median(lat) * 1000 if lat else float("nan"),
        "p95_ms": lat[min(len(lat) - 1, int(0.95 * len(lat)))] * 1000 if lat else float("nan"),
    }


def report(figures: dict[str, float], seconds: float, run: Run | None = None) -> None:
    """Print the figures, and RESULT lines for bench/run_all.py."""
    print(f"{figures['pages']:.0f} pages, {seconds:.0f} s: {figures['saves']:.0f} saves acknowledged, "
          f"{figures['conflicts']:.0f} conflicts shown, {figures['errors']:.0f} errors; commit to 'saved': "
          f"median {figures['median_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms")
    print(f"RESULT load_browser_save_median {figures['median_ms']:.0f} ms <1000ms")
    print(f"RESULT load_browser_save_p95 {figures['p95_ms']:.0f} ms <3000ms")
    print(f"RESULT load_browser_errors {figures['errors']:.0f} errors =0errors")
    if run is not None and any(lg.served_by for lg in run.logs):
        per = Counter(lg.served_by for lg in run.logs)
        print("pages per proxy server (process): " + ", ".join(f"{k} {v}" for k, v in sorted(per.items(), key=str)))
    if run is not None and any(k.startswith("app") for k in run.cpu):
        saves = max(1.0, figures["saves"])
        servers = sum(v for k, v in run.cpu.items() if k.startswith("app"))
        parts = ", ".join(f"{k} {v:.1f} s" for k, v in run.cpu.items())
        print(f"server CPU over {run.seconds:.0f} s of saving: {parts}; "
              f"{servers / saves * 1000:.0f} ms of Streamlit CPU per save"
              + (f", {run.cpu['proxy'] / saves * 1000:.1f} ms of proxy CPU" if "proxy" in run.cpu else ""))
        print(f"RESULT load_browser_server_cpu_per_save {servers / saves * 1000:.0f} ms <100ms")
        print(f"Chromium (all pages, on this machine) used at least {run.cpu['browser']:.1f} s of CPU over {seconds:.0f} s of "
              f"saving: {run.cpu['browser'] / seconds:.2f} cores; load average now "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=60.0, help="how long the pages save (default 60)")
    ap.add_argument("--pages", type=int, default=None,
                    help="the first N pages of the plan (at most 11 different members; default all 12 pages)")
    ap.add_argument("--interval", type=float, default=None,
                    help="each page saves once every this many seconds (default: as fast as it can)")
    ap.add_argument("--processes", type=int, default=1, choices=(1, 2), help="Streamlit processes (2: behind the proxy)")
    ap.add_argument("--proxy", action="store_true", help="HAProxy with deploy/haproxy.cfg in front (always with 2 processes)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "load.sqlite3"
        plan = setup(db)[:args.pages]
        with serve(db, args.processes, args.proxy or args.processes > 1) as served:
            pids = {f"app{i}": pid for i, (_, pid) in enumerate(served.apps, start=1)}
            if served.proxy_pid is not None:
                pids["proxy"] = served.proxy_pid
            print(f"{args.processes} Streamlit process(es){' behind HAProxy' if served.proxy_pid else ''}; "
                  f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
            run = asyncio.run(drive(served.url, plan, args.seconds, args.interval, pids))
            print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        figures = summary(run.logs)
        report(figures, args.seconds, run)
        problems = verify(db, run.logs)
        for p in problems[:20]:
            print(f"PROBLEM {p}")
        print(f"RESULT load_browser_lost_saves {len(problems)} problems =0problems")


if __name__ == "__main__":
    main()
