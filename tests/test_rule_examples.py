"""Every rule's docstring examples: must-flag examples flag, must-not-flag examples do not."""

import pytest

from detector.pipeline import prepare
from detector.readers import page_from_text
from detector.rules import all_rules, examples

RULES = all_rules()


def _cases():
    for r in RULES:
        flag, clean = examples(r)
        for i, (url, text) in enumerate(flag):
            yield pytest.param(r, url, text, True, id=f"{r.id}-flags-{i}")
        for i, (url, text) in enumerate(clean):
            yield pytest.param(r, url, text, False, id=f"{r.id}-clean-{i}")


@pytest.mark.parametrize("r", RULES, ids=[r.id for r in RULES])
def test_every_rule_has_examples(r):
    flag, clean = examples(r)
    assert flag, f"{r.id} has no 'Must flag:' example"
    assert clean, f"{r.id} has no 'Must not flag:' example"


@pytest.mark.parametrize("r,url,text,should_flag", list(_cases()))
def test_rule_example(r, url, text, should_flag):
    page = prepare(page_from_text(text, source=f"example:{r.id}", url=url))
    evidence = r(page)
    if should_flag:
        assert evidence, f"{r.id} did not flag its example:\n{text}"
        for ev in evidence:
            assert ev.rule == r.id
            assert ev.source(page)[ev.start:ev.end] == ev.text
    else:
        assert not evidence, f"{r.id} flagged a must-not-flag example: {evidence}"


def test_examples_separator_at_any_indentation():
    """A "--" between examples counts at any indentation (inspect.getdoc leaves one written at
    the section's own indentation at column 0; it used to end the section and drop the rest)."""
    from types import SimpleNamespace

    def fake():
        """Doc.

        Must flag:
            first
        --
            second
                --
            third
        Must not flag:
            clean one
        --
            clean two
        """

    flag, clean = examples(SimpleNamespace(func=fake))
    assert [t for _, t in flag] == ["first", "second", "third"]
    assert [t for _, t in clean] == ["clean one", "clean two"]
