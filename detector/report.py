"""`detector report DIR`: one self-contained HTML page (charts as embedded PNG, no network)
and CSV per host, from a folder written by `detector scan`.

1. load the columns the report needs from every part (``pandas.read_parquet``);
2. aggregate per host: pages, label shares, mean quality, errors, copies, top flags;
3. draw the charts (matplotlib, Agg) and embed them as base64 PNG;
4. write ``_report/index.html``, ``_report/hosts.csv`` (one row per host) and
   ``_report/hosts/<host>.csv`` (that host's pages). ``_`` keeps them out of the dataset.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

REPORT_DIR = "_report"
# Hosts with fewer pages than this are not ranked among the worst: one spam page out of one
# says little about a site.
MIN_HOST_PAGES = 3
TOP_HOSTS = 25  # hosts shown in the charts and tables
TOP_FLAGS = 15
HIST_BINS = 20
LABELS = ("ok", "suspect", "spam")
LABEL_COLORS = {"ok": "#4c9a2a", "suspect": "#e0a800", "spam": "#c0392b", "error": "#888888"}
NO_HOST = "(no host)"  # local files without a URL
_COLUMNS = ["input", "record", "url", "host", "quality", "label", "flags", "error", "copy_of",
            "text_chars"]


class ReportError(RuntimeError):
    """The folder has no scan results."""


def load(directory: Path) -> pd.DataFrame:
    """Step 1."""
    if not any(Path(directory).glob("part-*.parquet")):
        raise ReportError(f"no scan results in {directory} (run `detector scan ... --out DIR`)")
    df = pd.read_parquet(directory, columns=_COLUMNS)
    df["host"] = df["host"].fillna(NO_HOST)
    df["status"] = df["label"].where(df["error"].isna(), "error")
    return df


def host_table(df: pd.DataFrame) -> pd.DataFrame:
    """Step 2: one row per host."""
    counts = pd.crosstab(df["host"], df["status"])
    for col in (*LABELS, "error"):
        if col not in counts:
            counts[col] = 0
    scored = counts[list(LABELS)].sum(axis=1)
    table = pd.DataFrame({
        "pages": counts[[*LABELS, "error"]].sum(axis=1),
        "scored": scored,
        "errors": counts["error"],
        **{f"{lab}_share": (counts[lab] / scored.where(scored > 0)).round(3) for lab in LABELS},
        "mean_quality": df.groupby("host")["quality"].mean().round(3),
        "copies": df.groupby("host")["copy_of"].apply(lambda s: int(s.notna().sum())),
    })
    table["top_flags"] = df.groupby("host")["flags"].apply(_top_flags)
    table = table.sort_values(["pages", "mean_quality"], ascending=[False, True])
    table.index.name = "host"
    return table


def _top_flags(series: pd.Series, n: int = 3) -> str:
    c = Counter(f for flags in series if flags is not None for f in flags)
    return "; ".join(f"{k} ({v})" for k, v in c.most_common(n))


def worst_hosts(table: pd.DataFrame) -> pd.DataFrame:
    ranked = table[(table["scored"] >= MIN_HOST_PAGES) & (table.index != NO_HOST)]
    ranked = ranked.sort_values(["spam_share", "mean_quality"], ascending=[False, True])
    return ranked.head(TOP_HOSTS)


def error_reasons(df: pd.DataFrame) -> pd.DataFrame:
    errs = df[df["error"].notna()]
    if errs.empty:
        return pd.DataFrame(columns=["reason", "records", "example"])
    kind = errs["error"].str.split(":", n=1).str[0]
    grouped = errs.assign(reason=kind).groupby("reason")
    out = pd.DataFrame({"records": grouped.size(),
                        "example": grouped.apply(lambda g: f"{g['input'].iloc[0]} "
                                                 f"[{g['record'].iloc[0]}]: {g['error'].iloc[0]}",
                                                 include_groups=False)})
    return out.sort_values("records", ascending=False).reset_index()


# -- step 3: charts -------------------------------------------------------------------------

def _png(fig) -> str:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=96, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def chart_histogram(df: pd.DataFrame) -> str:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3))
    q = df["quality"].dropna()
    ax.hist(q, bins=HIST_BINS, range=(0, 1), color="#34638a", edgecolor="white")
    ax.set_xlabel("quality (1 = original journalism, 0 = republished spam)")
    ax.set_ylabel("pages")
    ax.set_title(f"Score histogram ({len(q)} scored pages)")
    return _png(fig)


def chart_hosts(table: pd.DataFrame) -> str:
    import matplotlib.pyplot as plt

    top = table.head(TOP_HOSTS).iloc[::-1]
    fig, ax = plt.subplots(figsize=(7, 0.3 * len(top) + 1.2))
    left = pd.Series(0.0, index=top.index)
    for lab in (*LABELS, "error"):
        col = top["errors"] if lab == "error" else top[f"{lab}_share"].fillna(0) * top["scored"]
        ax.barh(top.index, col, left=left, color=LABEL_COLORS[lab], label=lab)
        left = left + col
    ax.set_xlabel("pages")
    ax.set_title(f"Labels per host (the {len(top)} hosts with most pages)")
    ax.legend(loc="lower right", fontsize=8)
    return _png(fig)


def chart_flags(flags: Counter) -> str:
    import matplotlib.pyplot as plt

    top = flags.most_common(TOP_FLAGS)[::-1]
    fig, ax = plt.subplots(figsize=(7, 0.3 * len(top) + 1.2))
    ax.barh([k for k, _ in top], [v for _, v in top], color="#8e44ad")
    ax.set_xlabel("pages")
    ax.set_title("Top flags")
    return _png(fig)


# -- step 4: output ------------------------------------------------------------------------

_STYLE = """body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:14px}td,th{border-bottom:1px solid #ddd;
padding:4px 8px;text-align:left}th{background:#f4f4f4}.num{text-align:right}
.tiles{display:flex;gap:1em;flex-wrap:wrap}.tile{background:#f4f4f4;padding:.8em 1.2em;
border-radius:6px}.tile b{font-size:1.6em;display:block}img{max-width:100%}"""


def _table(df: pd.DataFrame, index: bool = True) -> str:
    shares = {c: (lambda v: "" if pd.isna(v) else f"{v:.0%}") for c in df.columns
              if str(c).endswith("_share")}
    return df.to_html(index=index, escape=True, na_rep="", float_format=lambda v: f"{v:.3f}",
                      formatters=shares, border=0)


def render(directory: Path, df: pd.DataFrame, table: pd.DataFrame) -> str:
    flags = Counter(f for fl in df["flags"] if fl is not None for f in fl)
    status = df["status"].value_counts()
    n = len(df)
    tiles = [("records", n), *((lab, f"{status.get(lab, 0)} ({status.get(lab, 0) / n:.0%})")
                               for lab in (*LABELS, "error")),
             ("hosts", len(table)), ("copies", int(df["copy_of"].notna().sum()))]
    summary_path = Path(directory) / "_summary.json"
    summary = json.loads(summary_path.read_text()) if summary_path.exists() else {}
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>detector report: {html.escape(str(directory))}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>detector report</h1><p>{html.escape(str(Path(directory).resolve()))}<br>"
        f"generated {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC"
        + (f"; last scan finished {html.escape(summary['finished_at'])}"
           if "finished_at" in summary else "")
        + "</p>",
        "<div class='tiles'>" + "".join(f"<div class='tile'><b>{html.escape(str(v))}</b>"
                                        f"{html.escape(k)}</div>" for k, v in tiles) + "</div>",
        f"<h2>Scores</h2><img alt='score histogram' src='data:image/png;base64,"
        f"{chart_histogram(df)}'>",
        f"<h2>Hosts</h2><img alt='labels per host' src='data:image/png;base64,"
        f"{chart_hosts(table)}'>",
        f"<h2>Worst hosts</h2><p>Hosts with at least {MIN_HOST_PAGES} scored pages, by share "
        f"of spam, then mean quality.</p>" + _table(worst_hosts(table)),
    ]
    if flags:
        parts.append(f"<h2>Flags</h2><img alt='top flags' src='data:image/png;base64,"
                     f"{chart_flags(flags)}'>")
    errs = error_reasons(df)
    parts.append("<h2>Errors</h2>" + (_table(errs, index=False) if len(errs) else
                                      "<p>No record failed.</p>"))
    copies = df[df["copy_of"].notna()]
    if len(copies):
        most = copies.groupby("copy_of").agg(copies=("url", "size"),
                                             hosts=("host", lambda s: ", ".join(sorted(set(s)))))
        parts.append("<h2>Most copied originals</h2>"
                     + _table(most.sort_values("copies", ascending=False).head(TOP_HOSTS)))
    parts.append("<h2>All hosts</h2><p>Also in <code>hosts.csv</code>; each host's pages in "
                 "<code>hosts/&lt;host&gt;.csv</code>.</p>" + _table(table.head(200)))
    parts.append("</body></html>")
    return "\n".join(parts)


def _safe(host: str) -> str:
    return re.sub(r"[^A-Za-z0-9.\-]", "_", host) or "_"


def write_report(directory: str | Path, out: str | Path | None = None) -> Path:
    """Steps 1-4; returns the path of the HTML report."""
    import matplotlib

    matplotlib.use("Agg")
    directory = Path(directory)
    out = Path(out) if out is not None else directory / REPORT_DIR
    df = load(directory)
    table = host_table(df)
    (out / "hosts").mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "hosts.csv")
    pages = df.assign(flags=df["flags"].map(lambda f: ";".join(f) if f is not None else ""))
    for host, group in pages.groupby("host"):
        group.drop(columns=["status"]).to_csv(out / "hosts" / f"{_safe(host)}.csv", index=False)
    path = out / "index.html"
    path.write_text(render(directory, df, table), encoding="utf-8")
    return path
