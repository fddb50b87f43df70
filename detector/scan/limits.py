"""Per-page bounds: a time limit that works in any thread (local processes and Dask threads).

`time_limit` arms a timer; when it fires it raises `PageTimeout` asynchronously in the thread
that runs the page (``PyThreadState_SetAsyncExc``), so it works on Dask worker threads where
``signal.alarm`` cannot. Like a signal, it interrupts Python code between bytecodes: a single C
call (one regex, one parse) finishes before the timeout is raised.

`PageTimeout` is a BaseException so that ``except Exception`` in the pipeline (which turns any
bug into an error result) does not swallow it: the scanner catches it and writes an error row.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class PageTimeout(BaseException):
    """A page took longer than the per-page time limit."""


def _set_async_exc(thread_id: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc else ctypes.c_void_p(0))


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise `PageTimeout` in this thread if the block runs longer than ``seconds``."""
    if not seconds or seconds <= 0:
        yield
        return
    target = threading.get_ident()
    guard = threading.Lock()
    state = {"done": False, "fired": False}

    def fire() -> None:
        with guard:
            if not state["done"]:
                state["fired"] = True
                _set_async_exc(target, PageTimeout)

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
            # The timer fired but the exception has not surfaced yet: clear it, so it cannot
            # go off later in unrelated code, and report the breach here.
            _set_async_exc(target, None)
            raise PageTimeout()
