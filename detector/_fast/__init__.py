"""Compiled fast paths (Cython). Each has a pure-Python reference elsewhere in the package and
is used only when it is built, importable and not disabled with ``DETECTOR_PURE_PYTHON=1``.

- ``forest``: all trees of a HistGradientBoosting model in one loop (detector.blocks.model).
- ``walk``: the DOM walk of detector.segment over lexbor's nodes (detector.segment).
- ``features``: the per-block pass of detector.blocks.features.page_matrix.
- ``wordchoice``: the tree walk of the spun_word_choice model (detector.rules._wordchoice).
- ``keywords``: every rule keyword in one pass over a page (detector.rules._util.blocks_with).
"""

from __future__ import annotations

import importlib
import os
import sys


def disabled() -> bool:
    """True when ``DETECTOR_PURE_PYTHON`` is set to a non-empty value other than ``0``."""
    return os.environ.get("DETECTOR_PURE_PYTHON", "") not in ("", "0")


def _module(name: str):
    """The compiled module ``detector._fast.<name>``, or None (not built, or disabled)."""
    if disabled():
        return None
    # Already imported (every call after the first): the module itself, without the import
    # machinery (~1 us a call, several calls a page). A None entry (the tests' "absent"
    # mode) falls through to import_module, which refuses it as before.
    mod = sys.modules.get(f"detector._fast.{name}")
    if mod is not None:
        return mod
    try:
        return importlib.import_module(f"detector._fast.{name}")
    except ImportError:
        return None


def forest_module():
    """The compiled forest module, or None (not built, or disabled)."""
    return _module("forest")


def features_module():
    """The compiled per-block feature pass, or None (not built, or disabled)."""
    return _module("features")


def wordchoice_module():
    """The compiled tree walk of the word-choice model, or None (not built, or disabled)."""
    return _module("wordchoice")


def keywords_module():
    """The compiled keyword scan of the rules, or None (not built, or disabled)."""
    return _module("keywords")
