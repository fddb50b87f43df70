"""Per-page limits: how long one page may take (here) and how big it may be (detector.readers).

Hostile pages are bounded two ways:

- size, before any work: ``detector.readers.MAX_PAGE_BYTES`` (8 MiB a page), JSON lines of at
  most twice that, gzip input refused past ``MAX_GZIP_RATIO`` times its compressed size;
- time, while the work runs: `time_limit` raises `PageTimeout` when one page takes longer than
  ``DEFAULT_PAGE_SECONDS``. `detector.pipeline.analyze` runs every page under it, so a
  pathological page becomes an error record (``timeout: ...``) and the batch goes on.

`time_limit` uses ``signal.setitimer(ITIMER_REAL)`` in the main thread on POSIX (cheap: no
thread per page); in any other thread (Dask workers, thread pools) a timer thread raises
`PageTimeout` in the page's thread with ``PyThreadState_SetAsyncExc``. Either way Python is
interrupted between bytecodes: a single long C call (parsing 8 MiB of HTML with lexbor, about a
second) completes before the timeout is raised.
"""

from __future__ import annotations

import ctypes
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

# Seconds one page may take in analyze (segment, type, rules, features, model). The slowest of
# 671 pages of ../shared/data took 0.61 s through detector.score, on a machine loaded ~2.5x
# (benchmarks/throughput.py, docs/harden.md), and a synthetic 7.4 MB page of 140,000
# paragraphs (just under the size limit) about 4 s to segment: 30 s leaves room for a loaded
# machine and slower rules, and still unblocks a batch.
DEFAULT_PAGE_SECONDS = 30.0
# How often a page's alarm is raised again after the first, in case it was swallowed (a signal
# handler's exception is lost when it lands in a gc callback or a __del__; seen with
# hypothesis's gc callback in the test suite). 10 ms: small against any limit worth setting.
ALARM_RETRY_SECONDS = 0.01


class PageTimeout(BaseException):
    """One page took longer than its time limit.

    A BaseException (like KeyboardInterrupt and asyncio's CancelledError): it interrupts code
    at any point, so a rule's broad ``except Exception`` must not swallow it.
    """

    def __init__(self, seconds: float):
        super().__init__(f"page took longer than {seconds:g} s")
        self.seconds = seconds


def can_time_limit() -> bool:
    """True where `time_limit` uses the signal timer (POSIX, main thread)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None = DEFAULT_PAGE_SECONDS) -> Iterator[None]:
    """Raise `PageTimeout` inside the block once it has run ``seconds`` (wall clock).

    ``None`` or ``0`` means no limit. Limits nest: an inner limit longer than the time an outer
    one has left changes nothing, and the outer timer is re-armed with its remaining time.
    """
    if not seconds or seconds <= 0:
        yield
        return
    if not can_time_limit():
        with _thread_time_limit(seconds):
            yield
        return
    outer_left, outer_interval = signal.getitimer(signal.ITIMER_REAL)
    if outer_left and outer_left <= seconds:
        yield  # the enclosing limit fires first
        return
    previous = signal.getsignal(signal.SIGALRM)

    fired = []

    def on_alarm(signum, frame):  # noqa: ARG001 (signal handler signature)
        fired.append(True)
        raise PageTimeout(seconds)

    started = time.monotonic()
    signal.signal(signal.SIGALRM, on_alarm)
    # Periodic: an alarm that lands where Python ignores exceptions (a gc callback, __del__)
    # is lost, so it fires again every ALARM_RETRY_SECONDS until one surfaces.
    signal.setitimer(signal.ITIMER_REAL, seconds, ALARM_RETRY_SECONDS)
    raised = False
    try:
        yield
    except PageTimeout:
        raised = True
        raise
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
        if outer_left:
            left = outer_left - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001), outer_interval)
    if fired and not raised:  # every alarm was swallowed: the page still took too long
        raise PageTimeout(seconds)


def _set_async_exc(thread_id: int, exc: BaseException | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc else ctypes.c_void_p(0))


@contextmanager
def _thread_time_limit(seconds: float) -> Iterator[None]:
    """`time_limit` outside the main thread: a timer thread raises `PageTimeout` in this one.

    A timeout that fired but has not surfaced when the block ends is cleared and raised here,
    so it can never go off later in unrelated code.
    """
    target = threading.get_ident()
    guard = threading.Lock()
    state = {"done": False, "fired": False}

    def fire() -> None:
        with guard:
            if not state["done"]:
                state["fired"] = True
                _set_async_exc(target, PageTimeout(seconds))

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    raised = False
    try:
        yield
    except PageTimeout:
        raised = True
        raise
    finally:
        with guard:
            state["done"] = True
            timer.cancel()
            fired = state["fired"]
        if fired and not raised:
            _set_async_exc(target, None)
            raise PageTimeout(seconds)
