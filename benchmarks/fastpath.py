"""Where extract's time goes, stage by stage, and the compiled walk checked on every page.

    DETECTOR_DATA=/work/shared/data DETECTOR_CACHE=/work/cache OMP_NUM_THREADS=1 PYTHONPATH=$PWD \\
        python benchmarks/fastpath.py [--per-dataset N] [--compare-walks]

Run it twice, with and without ``DETECTOR_PURE_PYTHON=1``, to see what the compiled fast paths
(detector/_fast) save. Each stage is timed alone on every page (single process): read+decode,
segment, page_matrix, the two block forests, the whole classify_blocks (which computes
page_matrix and the forests again), rules, page features and the quality model.

``--compare-walks``: instead, segment every HTML page with the compiled walk (strict: no
fallback) and with the Python walk and count pages whose blocks, links or metas differ.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import defaultdict
from dataclasses import astuple

os.environ.setdefault("OMP_NUM_THREADS", "1")


def stages(raws: list[bytes]) -> dict[str, float]:
    from detector.blocks.features import page_matrix
    from detector.blocks.model import shipped_model
    from detector.boilerplate import classify_blocks
    from detector.features import page_features
    from detector.model import load_model
    from detector.readers import page_from_bytes
    from detector.rules import run_rules
    from detector.segment import segment

    qm, bm = load_model(), shipped_model()
    spent: dict[str, float] = defaultdict(float)
    for raw in raws:
        t = [time.perf_counter()]
        page = page_from_bytes(raw, source="<bench>")
        t.append(time.perf_counter())
        segment(page)
        t.append(time.perf_counter())
        X = page_matrix(page.blocks, page.title)
        t.append(time.perf_counter())
        if len(X) and bm is not None:
            bm.predict(X)
        t.append(time.perf_counter())
        classify_blocks(page)
        t.append(time.perf_counter())
        flags = run_rules(page)
        t.append(time.perf_counter())
        feats = page_features(page, flags)
        t.append(time.perf_counter())
        qm.p_spam(feats)
        t.append(time.perf_counter())
        for k, name in enumerate(("read+decode", "segment", "page_matrix", "block forests",
                                  "classify_blocks (all)", "rules", "features",
                                  "quality model")):
            spent[name] += t[k + 1] - t[k]
    return {k: v / len(raws) * 1e3 for k, v in spent.items()}


def compare_walks(raws: list[bytes]) -> tuple[int, int, int]:
    """(HTML pages, pages that differ, pages the compiled walk refused)."""
    from detector.page import Page
    from detector.readers import page_from_bytes
    from detector.segment import _segment_html, compiled_walk

    W = compiled_walk()
    if W is None:
        raise SystemExit("the compiled walk is not available here")
    n = differ = refused = 0
    for raw in raws:
        html = getattr(page_from_bytes(raw, source="<bench>"), "html", None)
        if html is None:
            continue
        n += 1
        fast, ref = Page(source="f", html=html), Page(source="p", html=html)
        try:
            _segment_html(fast, fast=W, strict=True)
        except W.Unsupported:
            refused += 1
            continue
        _segment_html(ref, fast=None)
        if ([astuple(b) for b in fast.blocks] != [astuple(b) for b in ref.blocks]
                or fast.links != ref.links or fast.meta != ref.meta):
            differ += 1
    return n, differ, refused


def main(argv: list[str] | None = None) -> int:
    from detector.datasets import DATASETS, data_dir, load

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-dataset", type=int, default=None)
    ap.add_argument("--compare-walks", action="store_true")
    args = ap.parse_args(argv)
    if data_dir() is None:
        print("../shared/data is absent: set DETECTOR_DATA", file=sys.stderr)
        return 2
    raws = [gp.raw() for name in DATASETS for gp in load(name, limit=args.per_dataset)]
    sys.path.insert(0, os.path.dirname(__file__))
    from throughput import compiled_paths

    print(f"{len(raws)} pages; {compiled_paths()}")
    if args.compare_walks:
        n, differ, refused = compare_walks(raws)
        print(f"compiled vs Python walk: {n} HTML pages, {differ} differ, {refused} refused")
        return 1 if differ else 0
    for name, ms in stages(raws).items():
        print(f"{name:<24} {ms:7.2f} ms/page")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
