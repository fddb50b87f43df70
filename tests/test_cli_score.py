"""`detector score` through typer's CliRunner: formats, ids, errors and exit codes."""

import json

from typer.testing import CliRunner

from detector.cli import app

from .conftest import SEED

runner = CliRunner()


def _run(args, tiny_model_path, input=None):
    return runner.invoke(app, ["score", *args, "--model", str(tiny_model_path)], input=input)


def test_json_one_object_for_one_input(tiny_model_path):
    res = _run([str(SEED), "--format", "json"], tiny_model_path)
    assert res.exit_code == 0, res.output
    obj = json.loads(res.stdout)
    assert isinstance(obj, dict)
    assert set(obj) >= {"url", "quality", "label", "flags", "error"}
    assert obj["model_version"] == "tiny-test"
    assert 0.0 <= obj["quality"] <= 1.0
    assert obj["label"] in ("ok", "suspect", "spam")
    assert any(f["id"] == "read_full_article_tail" for f in obj["flags"])
    for f in obj["flags"]:
        for ev in f["evidence"]:
            assert {"text", "block", "start", "end"} <= set(ev)


def test_jsonl_records_keep_ids_and_bad_lines_are_errors(tmp_path, tiny_model_path):
    src = tmp_path / "pages.jsonl"
    src.write_text(
        json.dumps({"id": "a1", "url": "https://x.example/a", "text": SEED.read_text()}) + "\n"
        + "{not json\n"
        + json.dumps({"id": 7, "url": "https://y.example/b", "html": "<p>Hello there</p>"}) + "\n"
        + json.dumps({"id": "no-body", "url": "https://z.example/c"}) + "\n"
    )
    res = _run([str(src), "--format", "jsonl"], tiny_model_path)
    assert res.exit_code == 1  # some records could not be read
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(rows) == 4  # records in = results out + errors out
    assert [r["id"] for r in rows] == ["a1", None, "7", "no-body"]
    assert rows[0]["error"] is None and rows[0]["url"] == "https://x.example/a"
    assert "malformed JSON" in rows[1]["error"]
    assert rows[2]["error"] is None
    assert "no string field" in rows[3]["error"]


def test_stdin_and_url(tiny_model_path):
    res = _run(["-", "--url", "https://farm.example/p", "--format", "json"], tiny_model_path,
               input=SEED.read_text())
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["url"] == "https://farm.example/p"


def test_missing_file_is_an_error_not_a_crash(tmp_path, tiny_model_path):
    res = _run([str(SEED), str(tmp_path / "nope.html"), "--format", "json"], tiny_model_path)
    assert res.exit_code == 1
    out = json.loads(res.stdout)
    assert isinstance(out, list) and len(out) == 2
    assert out[0]["error"] is None and "not found" in out[1]["error"]


def test_text_format_is_readable(tiny_model_path):
    res = _run([str(SEED), "--format", "text", "--explain"], tiny_model_path)
    assert res.exit_code == 0
    assert "label:" in res.stdout and "read_full_article_tail" in res.stdout
    assert "what moved the score" in res.stdout


def test_usage_error_exits_2():
    res = runner.invoke(app, ["score", "--format", "xml", str(SEED)])
    assert res.exit_code == 2


def test_bad_model_file_exits_2(tmp_path):
    bad = tmp_path / "bad.skops"
    bad.write_bytes(b"not a zip")
    res = runner.invoke(app, ["score", str(SEED), "--model", str(bad)])
    assert res.exit_code == 2
    assert "not a readable skops model" in res.stderr
