"""The first start in demo mode: the demo database is filled on a thread of its own, so the first page
appears at once and shows how far the filling is, instead of a blank page for many seconds.

Nobody sees a half-filled demo: `services.fill_demo` writes everything in one transaction, and until this
process's filling has ended the app shows only the progress message (no sign-in, no page that reads the
database). Two app processes starting on one new file fill it once: an exclusive lock on a file beside the
database makes the second wait for the first on its thread (not on SQLite's write lock, which the filling
holds for seconds and whose wait gives up after ten), after which it finds the accounts and fills nothing;
fill_demo's own check in its transaction covers any other writer (the CLI `demo`).
"""

from __future__ import annotations

import fcntl
import threading
import traceback
from pathlib import Path

from assessment import services
from assessment.config import Settings
from assessment.errors import AannemelijkError


class DemoStart:
    """Opens (creates, migrates) the database and, when it has no accounts, fills it with the demo; on a
    thread started by `start()`. Read `ready`, `error`, `done` and `total` from any thread."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.done = 0
        self.total = 0  # 0 until this process knows (another process may be filling)
        self.filled: list[str] | None = None  # the references this process created, None when it filled nothing
        self.error: Exception | None = None  # what stopped the filling (logged; the page says it cannot start)
        self._finished = threading.Event()

    def start(self) -> DemoStart:
        threading.Thread(target=self._run, name="demo-start", daemon=True).start()
        return self

    @property
    def ready(self) -> bool:
        """The filling has ended (successfully or with `error`)."""
        return self._finished.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the filling has ended or `timeout` seconds passed; returns `ready`."""
        return self._finished.wait(timeout)

    def _lock_file(self) -> Path:
        path = Path(self.settings.db_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path.with_name(path.name + ".demo-lock")

    def _progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def _run(self) -> None:
        try:
            with open(self._lock_file(), "a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if this process dies
                store = services.open_store(self.settings)
                try:
                    if not services.has_users(store):
                        try:
                            rubric = services.shipped_rubric()
                        except AannemelijkError:
                            rubric = None  # demo cases then stop before the decision
                        self.filled = services.fill_demo(store, rubric, progress=self._progress)
                finally:
                    store.close()
        except Exception as exc:  # a thread's error is otherwise lost: the page shows it
            if not isinstance(exc, AannemelijkError):
                traceback.print_exc()
            self.error = exc
        finally:
            self._finished.set()


def begin(settings: Settings) -> DemoStart | None:
    """At process start in demo mode: None when the database is ready (it has accounts; found in milliseconds,
    so the first page is the real one), else the filling, started on its thread. When another process
    holds the lock (it is filling), this one does not touch the database but waits on its thread too."""
    start = DemoStart(settings)
    with open(start._lock_file(), "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return start.start()
        store = services.open_store(settings)
        try:
            if services.has_users(store):
                return None
        finally:
            store.close()
    return start.start()  # the thread takes the lock again: whoever comes first fills, the other finds it done
