"""The rule registry.

A rule is one small function ``def rule_id(page: Page) -> Iterable[Evidence]`` registered with
``@rule(severity=...)``. Its name is the flag id, the feature column, the counter key and the
test id. Every rule runs on every page (no early exit): each one is a feature of the model.

Its docstring carries examples, collected by one test (tests/test_rule_examples.py), so a rule
without examples fails the suite::

    Must flag:
        url: https://farm.example/news/x
        A title | News read full article at

        Some body text.
    --
        <html>...</html>
    Must not flag:
        ...

Each example is a page (plain text, or HTML when it starts with ``<``), optionally preceded by
``url: URL`` on its first line; examples are separated by a line holding only ``--``.

Severities: ``strong`` (a scraper fingerprint, rare on real publishers: must fire on under 0.5%
of ../shared/data), ``medium`` (suspicious, seen on some real pages), ``weak`` (context only:
normal on real sites, meaningful in combination). The model weighs them; severity is for people
and for the firing-rate gate of benchmarks/rules_on_publishers.py.
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from detector.page import Evidence, Flag, Page, Severity
from detector.rules._util import rule_pass

RuleFunc = Callable[[Page], Iterable[Evidence]]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    func: RuleFunc
    summary: str  # first docstring line

    def __call__(self, page: Page) -> list[Evidence]:
        return list(self.func(page))


REGISTRY: dict[str, Rule] = {}


def rule(severity: Severity) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule under its function name."""

    def register(func: RuleFunc) -> RuleFunc:
        name = func.__name__
        if name in REGISTRY and REGISTRY[name].func is not func:
            raise ValueError(f"rule {name!r} registered twice")
        doc = inspect.getdoc(func) or ""
        REGISTRY[name] = Rule(name, severity, func, doc.splitlines()[0] if doc else "")
        _SORTED.clear()
        return func

    return register


# The sorted rules, computed once (every page asks twice): emptied when a rule registers, and
# checked against the registry's size (a test may delete an entry).
_SORTED: list[tuple[Rule, ...]] = []


def _sorted_rules() -> tuple[Rule, ...]:
    _load_catalog()
    if not _SORTED or len(_SORTED[0]) != len(REGISTRY):
        _SORTED[:] = [tuple(REGISTRY[k] for k in sorted(REGISTRY))]
    return _SORTED[0]


def all_rules() -> list[Rule]:
    """Every registered rule, in a stable order (by id)."""
    return list(_sorted_rules())


def run_rules(page: Page) -> list[Flag]:
    """Run every rule on the page; returns the flags that fired (rules with evidence)."""
    flags: list[Flag] = []
    with rule_pass(page):  # shared per-page views are checked once, not per rule
        for r in _sorted_rules():
            evidence = tuple(r.func(page))  # what r(page) gives, as the Flag keeps it
            if evidence:
                flags.append(Flag(r.id, r.severity, evidence))
    return flags


_loaded = False


def _load_catalog() -> None:
    """Import the rule modules (each registers its rules on import)."""
    global _loaded
    if _loaded:
        return
    from detector.rules import catalog  # noqa: F401  (registers)

    _loaded = True


def examples(r: Rule) -> tuple[list[tuple[str | None, str]], list[tuple[str | None, str]]]:
    """The (url, page) examples of a rule's docstring: (must flag, must not flag)."""
    doc = inspect.getdoc(r.func) or ""
    sections: dict[str, list[str]] = {"Must flag:": [], "Must not flag:": []}
    current: list[str] | None = None
    for line in doc.splitlines():
        if line.strip() in sections:
            current = sections[line.strip()]
            continue
        if current is not None:
            if line.strip() == "--":  # the separator, at any indentation
                current.append("--")
                continue
            if line and not line.startswith(" ") and line.strip():
                current = None  # a new unindented paragraph ends the section
                continue
            current.append(line)
    return _split(sections["Must flag:"]), _split(sections["Must not flag:"])


def _split(lines: list[str]) -> list[tuple[str | None, str]]:
    out: list[tuple[str | None, str]] = []
    chunk: list[str] = []

    def close() -> None:
        text = textwrap.dedent("\n".join(chunk)).strip("\n")
        chunk.clear()
        if not text.strip():
            return
        url = None
        first, _, rest = text.partition("\n")
        if first.strip().lower().startswith("url:"):
            url = first.strip()[4:].strip()
            text = textwrap.dedent(rest).strip("\n")
        out.append((url, text))

    for line in lines:
        if line.strip() == "--":
            close()
        else:
            chunk.append(line)
    close()
    return out
