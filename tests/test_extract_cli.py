"""`detector extract` through typer's CliRunner."""

import json

from typer.testing import CliRunner

from detector.cli import app
from tests.conftest import SEED
from tests.test_boilerplate import ARTICLE

runner = CliRunner()


def test_extract_text_prints_article_only(tmp_path):
    f = tmp_path / "a.html"
    f.write_text(ARTICLE, encoding="utf-8")
    res = runner.invoke(app, ["extract", str(f)])
    assert res.exit_code == 0, res.output
    assert "powerful storm struck" in res.output
    assert "All rights reserved" not in res.output


def test_extract_jsonl_with_blocks_and_errors_as_records(tmp_path):
    f = tmp_path / "a.html"
    f.write_text(ARTICLE, encoding="utf-8")
    res = runner.invoke(app, ["extract", "--format", "jsonl", "--blocks", str(f),
                              str(SEED), str(tmp_path / "missing.html")])
    assert res.exit_code == 1  # one input could not be read
    recs = [json.loads(line) for line in res.output.splitlines()]
    assert len(recs) == 3
    assert recs[0]["error"] is None and recs[0]["page_type"]
    assert {b["kind"] for b in recs[0]["blocks"]} >= {"title", "content", "navigation"}
    assert {"path", "confidence", "text"} <= set(recs[0]["blocks"][0])
    assert any(b["kind"] == "related" for b in recs[1]["blocks"])
    assert recs[2]["error"].startswith("not found")


def test_extract_blocks_text_format_shows_kinds():
    res = runner.invoke(app, ["extract", "--blocks", str(SEED)])
    assert res.exit_code == 0
    assert "[comments" in res.output and "[related" in res.output
