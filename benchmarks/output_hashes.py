"""Per-page hashes of detector's whole output, to prove a speed change leaves it identical.

    DETECTOR_CACHE=/work/cache OMP_NUM_THREADS=1 PYTHONPATH=$PWD \\
        python benchmarks/output_hashes.py OUT.json [--compare OTHER.json]

For each page of `throughput.py`'s ``pages(100, DATASETS)`` (671 pages): the sha1 of
``extract(raw)`` (text, page type, title, every block's ``to_dict()``, index, the ``repr`` of
p_article and confidence, tokens, link_chars, depth, heading, hrefs, the ``repr`` of its
features) and of ``score(raw).to_dict(blocks=True, features=True)`` plus the ``repr`` of the
quality, block confidences, page features and every block's features. Run it in two
checkouts (each with its own built extensions, or with ``DETECTOR_PURE_PYTHON=1``) and
compare: ``--compare`` prints how many pages differ and exits 1 if any does.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import pages  # noqa: E402

from detector.datasets import DATASETS  # noqa: E402


def extract_hash(ex) -> str:
    d = {"text": ex.text, "page_type": ex.page_type, "title": ex.title, "blocks": [
        {"d": b.to_dict(), "index": b.index, "p": repr(b.features.get("p_article")),
         "c": repr(b.confidence), "tokens": list(b.tokens), "lc": b.link_chars,
         "depth": b.depth, "heading": b.heading, "hrefs": list(b.hrefs),
         "f": repr(b.features)} for b in ex.blocks]}
    return hashlib.sha1(json.dumps(d, sort_keys=True).encode()).hexdigest()


def score_hash(r) -> str:
    d = r.to_dict(blocks=True, features=True)
    d["_q"] = repr(r.quality)
    d["_conf"] = [repr(b.confidence) for b in (r.blocks or [])]
    d["_feats"] = repr(r.features)
    d["_bf"] = [repr(b.features) for b in (r.blocks or [])]
    return hashlib.sha1(json.dumps(d, sort_keys=True, default=repr).encode()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    import detector

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--compare", default=None, help="hashes of another checkout")
    args = ap.parse_args(argv)
    out = {pid: [extract_hash(detector.extract(raw)), score_hash(detector.score(raw))]
           for pid, raw in pages(100, DATASETS)}
    Path(args.out).write_text(json.dumps(out, indent=0))
    print(f"{len(out)} pages -> {args.out}")
    if args.compare:
        other = json.loads(Path(args.compare).read_text())
        if other.keys() != out.keys():
            print("the two runs hold different pages")
            return 1
        ex = [k for k in out if out[k][0] != other[k][0]]
        sc = [k for k in out if out[k][1] != other[k][1]]
        print(f"extract differ on {len(ex)}, score differ on {len(sc)} of {len(out)} pages"
              + (f": {(ex + sc)[:5]}" if ex or sc else ""))
        return 1 if ex or sc else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
