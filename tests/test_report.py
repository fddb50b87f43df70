"""detector report: a self-contained HTML page and CSV per host from a scan folder."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from typer.testing import CliRunner

from detector.cli import app
from detector.report import MIN_HOST_PAGES, ReportError, write_report
from detector.scan import scan
from detector.scan.synth import build_dump, tiny_model


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    root = tmp_path_factory.mktemp("dump")
    exp = build_dump(root)
    out = tmp_path_factory.mktemp("out")
    scan([str(root)], out, model=tiny_model(), jobs=1)
    return out, exp


def test_report_is_self_contained_with_charts(scanned):
    out, exp = scanned
    path = write_report(out)
    page = path.read_text()
    assert page.count("src='data:image/png;base64,") >= 2  # histogram and hosts, at least
    # nothing is fetched from the network: no external src/href at all
    assert not re.search(r"""(src|href)\s*=\s*['"]?(https?:)?//""", page)
    assert "<script" not in page
    for section in ("Score histogram", "Worst hosts", "Errors", "Most copied originals"):
        assert section in page or section.lower() in page.lower()
    assert "truncated" in page and "corrupt input" in page  # error reasons are listed
    assert "orig-news.com" in page  # the copied original
    # the report does not break reading the folder as one table
    assert len(pd.read_parquet(out)) == exp.total


def test_csv_per_host_covers_every_row(scanned):
    out, exp = scanned
    write_report(out)
    hosts = pd.read_csv(out / "_report" / "hosts.csv")
    assert hosts["pages"].sum() == exp.total
    assert hosts["host"].is_unique
    per_host = list((out / "_report" / "hosts").glob("*.csv"))
    assert len(per_host) == len(hosts)
    assert sum(len(pd.read_csv(p)) for p in per_host) == exp.total
    alpha = hosts.set_index("host").loc["alpha-news.com"]
    assert alpha["pages"] >= MIN_HOST_PAGES
    assert alpha[["ok_share", "suspect_share", "spam_share"]].sum() == pytest.approx(1, abs=0.01)


def test_report_cli(scanned, tmp_path):
    out, _ = scanned
    result = CliRunner().invoke(app, ["report", str(out), "--out", str(tmp_path / "r")])
    assert result.exit_code == 0
    assert (tmp_path / "r" / "index.html").exists()
    assert result.stdout.strip() == str(tmp_path / "r" / "index.html")


def test_report_of_an_empty_folder_is_an_error(tmp_path):
    with pytest.raises(ReportError):
        write_report(tmp_path)
    assert CliRunner().invoke(app, ["report", str(tmp_path)]).exit_code == 2
