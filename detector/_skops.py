"""skops.io, imported and called so that no stray file can run while a model loads.

skops.io, when it is imported and when it names types, looks a type's name up as an attribute
of every loaded module (`skops.io._utils.whichmodule`). Cython's `cython.cimports` shadow modules
(loaded whenever Cython is installed and scipy imports it) answer any such look-up by importing
a top-level module of that name from `sys.path`, which for `python -m detector` or a notebook
starts with the current directory: a stray `exp2.py` there ran when the model loaded (found on
this project's machine, from `numpy.exp2`'s name). The shadow modules can appear in the middle
of the skops import (scipy imports Cython when sklearn loads it), so hiding them is not enough:
`guarded()` also takes the current directory off `sys.path` for the duration, so a name looked
up that way can only resolve to installed code. Both are put back after.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager

# Module names whose attribute look-ups import modules by name (Cython.Shadow's cimports).
LAZY_IMPORTERS = ("cython.cimports",)


def _is_lazy_importer(name: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in LAZY_IMPORTERS)


@contextmanager
def guarded():
    """Run skops calls with the lazy-importing modules out of `sys.modules` and the current
    directory off `sys.path`."""
    hidden = {k: sys.modules.pop(k) for k in list(sys.modules) if _is_lazy_importer(k)}
    saved_path = list(sys.path)
    sys.path[:] = [p for p in sys.path if not _is_current_dir(p)]
    try:
        yield
    finally:
        sys.path[:] = saved_path
        for k, m in hidden.items():
            sys.modules.setdefault(k, m)


def _is_current_dir(entry: str) -> bool:
    if entry in ("", "."):
        return True
    try:
        return os.path.samefile(entry, os.curdir)
    except OSError:  # a missing or unreadable entry is not the current directory
        return False


def skops_io():
    """`skops.io`, imported under `guarded()`."""
    with guarded():
        import skops.io as sio
    return sio


def untrusted_types(path) -> list[str]:
    """`skops.io.get_untrusted_types` of a file, guarded."""
    sio = skops_io()
    with guarded():
        return sio.get_untrusted_types(file=path)


def load(path, trusted: list[str]):
    """`skops.io.load` with an explicit trusted list, guarded (check `untrusted_types` first)."""
    sio = skops_io()
    with guarded():
        return sio.load(path, trusted=trusted)


def dump(obj, path) -> None:
    """`skops.io.dump`, guarded."""
    sio = skops_io()
    with guarded():
        sio.dump(obj, path)
