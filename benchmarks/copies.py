"""The copy pass of `detector scan` on the training corpus served as one crawl.

    DETECTOR_DATA=../shared/data OMP_NUM_THREADS=1 PYTHONPATH=. \\
        python benchmarks/copies.py [--seed 0] [--limit N] [--jobs 2] [--keep DIR]

The quality model judges a page alone, and a copy that carries no artifact (the corpus' hard
case) looks like an original. In a crawl that also holds the original, the copy pass (MinHash
LSH over article text, then the likely original per cluster: detector.scan.copies) can still
find it. This benchmark writes every example of `detector.corpus.build(seed)` that has a URL
(real pages, their copies in the five template families, wire copies, plain-text originals;
not the personal blogs, see `NOT_IN_CRAWL`) as JSONL, scans it with `detector.scan.run.scan`, and prints per family:

- marked: the share of pages given ``copy_of``;
- right original: for copies whose original page is in the crawl, the share whose ``copy_of`` is
  the original's URL (the cluster's original was chosen right);
- the spam label of the scan (the shipped model, trained on these very pages: in-sample) and,
  with ``--heldout``, the spam label of the held-out models of `detector train`'s protocol
  alone and together with ``copy_of``.

Originals are real pages: a real page marked ``copy_of`` is a false alarm of the pass (or a
farm copy chosen as the original of its own source). Licensed wire copies are copies: the pass
should mark them (the classifier, which sees their licence credit, keeps them `ok`).
Pages without a URL (most dragnet pages and their copies' originals) cannot take part.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import defaultdict
from pathlib import Path

# Records a JSONL part: small enough that `--jobs` workers share the work.
RECORDS_PER_PART = 1000
# The corpus' personal blogs reuse a real article's text as the blogger's own post (a stand-in
# for a post of their own): in a crawl they would be duplicates of news articles, which real
# blogs are not, so they stay out.
NOT_IN_CRAWL = frozenset({"blog", "blog_dump"})


def write_crawl(seed: int, limit: int | None, folder: Path) -> list[dict]:
    """The corpus examples with a URL as JSONL parts in ``folder``; returns their metadata in
    the order written (part, line)."""
    from detector.corpus import build

    meta: list[dict] = []
    parts: dict[int, list[str]] = defaultdict(list)
    for ex in build(seed, limit=limit):
        if not ex.url or ex.family in NOT_IN_CRAWL:
            continue
        content = ex.content
        if isinstance(content, bytes):
            content = content.decode("utf-8", "replace")
        key = "text" if ex.family in ("plaintext", "text_original", "text_dump", "blog_dump") \
            else "html"
        part = len(meta) // RECORDS_PER_PART
        parts[part].append(json.dumps({"id": ex.id, "url": ex.url, key: content},
                                      ensure_ascii=False))
        meta.append({"id": ex.id, "family": ex.family, "label": ex.label, "url": ex.url,
                     "artifacts": ex.artifacts, "input": f"crawl-{part:03d}.jsonl",
                     "line": len(parts[part])})  # 1-based, as the scan's "line:N"
    for part, lines in parts.items():
        (folder / f"crawl-{part:03d}.jsonl").write_text("\n".join(lines) + "\n",
                                                        encoding="utf-8")
    return meta


def heldout_spam(seed: int, limit: int | None) -> dict[str, list[bool]]:
    """Example id -> the spam label (P(spam) at the threshold and a flag) of every held-out
    model that predicted it (`detector.train.heldout_predictions`, thresholds as `train`)."""
    import numpy as np

    from detector.train import (choose_thresholds, corpus_rows, flagged_rows,
                                heldout_predictions)

    h = heldout_predictions(corpus_rows(seed, limit), "gb", seed)
    y = np.array([r.label for r in h.rows])
    p = np.array(h.p)
    flagged = flagged_rows(h.rows)
    real = np.array([r.family == "real" for r in h.rows])
    thr = choose_thresholds(y, p, real, flagged)["spam"]
    out: dict[str, list[bool]] = defaultdict(list)
    for r, x, f in zip(h.rows, p, flagged):
        out[r.id].append(bool(x >= thr and f))
    return out


def main(argv: list[str] | None = None) -> int:
    import pandas as pd

    from detector.scan.run import scan

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--limit", type=int, default=None, help="pages a dataset")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", type=Path, default=None, help="scan into this folder and keep it")
    ap.add_argument("--heldout", action="store_true",
                    help="also the spam label of held-out models (detector.train protocol, "
                         "~5 min): the scan's own label comes from the shipped model, which "
                         "was trained on these very pages")
    args = ap.parse_args(argv)
    heldout = heldout_spam(args.seed, args.limit) if args.heldout else None
    with tempfile.TemporaryDirectory() as tmp:
        crawl = Path(tmp) / "crawl"
        crawl.mkdir()
        meta = write_crawl(args.seed, args.limit, crawl)
        out = args.keep or Path(tmp) / "out"
        scan([str(crawl)], out, jobs=args.jobs, force=True)
        df = pd.read_parquet(out)
    by_id = {m["id"]: m for m in meta}
    # Rows keep the record's id only through its line: map (input file, line) -> example.
    line_of = {(m["input"], m["line"]): m["id"] for m in meta}
    df["id"] = [line_of.get((Path(inp).name, int(rec.split(":")[1])))
                if isinstance(rec, str) and rec.startswith("line:") else None
                for inp, rec in zip(df["input"], df["record"])]
    rows = df.set_index("id")
    urls_in_crawl = {m["url"] for m in meta if m["family"] == "real"}
    original_url = {}
    for m in meta:
        if m["label"] == 1 or m["family"] == "wire":
            # copy:FAMILY:DATASET:ID, wire:DATASET:ID
            rest = m["id"].split(":", 2 if m["label"] == 1 else 1)[-1]
            original_url[m["id"]] = by_id.get(f"real:{rest}", {}).get("url")
    print(f"{len(meta)} pages with a URL scanned (seed {args.seed}); {len(df)} rows, "
          f"{int(df['error'].notna().sum())} errors")
    print(f"{'family':<18}{'pages':>7}{'marked':>8}{'right original':>16}"
          f"{'spam (in-sample)':>18}" + (f"{'held-out spam':>15}{'or copy_of':>12}"
                                         if heldout else ""))
    fams = sorted({m["family"] for m in meta}, key=lambda f: (f != "real", f))
    groups = [(f, [m for m in meta if m["family"] == f]) for f in fams]
    groups.append(("copies, hard case", [m for m in meta if m["label"] == 1
                                         and "hard_case" in m["artifacts"]]))
    groups.append(("copies, all", [m for m in meta if m["label"] == 1]))
    for name, ms in groups:
        ids = [m["id"] for m in ms if m["id"] in rows.index]
        if not ids:
            continue
        sub = rows.loc[ids]
        marked = sub["copy_of"].notna()
        spam = sub["label"] == "spam"
        with_orig = [i for i in ids if original_url.get(i) in urls_in_crawl]
        right = (sum(rows.loc[i, "copy_of"] == original_url[i] for i in with_orig)
                 / len(with_orig)) if with_orig else float("nan")
        line = f"{name:<18}{len(ids):>7}{marked.mean():>8.3f}{right:>16.3f}{spam.mean():>18.3f}"
        if heldout:
            # every held-out prediction of the page (a real page is held out once per family)
            pairs = [(x, bool(mk)) for i, mk in zip(ids, marked) for x in heldout.get(i, [])]
            if pairs:
                line += (f"{sum(x for x, _ in pairs) / len(pairs):>15.3f}"
                         f"{sum(x or mk for x, mk in pairs) / len(pairs):>12.3f}")
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
