"""Pages a second of detector against trafilatura, in one run, and where detector's time goes.

    DETECTOR_CACHE=/work/cache OMP_NUM_THREADS=1 PYTHONPATH=$PWD \\
        python benchmarks/throughput.py [--per-dataset N] [--model PATH | --tiny-model]

Single process. For every page of ../shared/data (or the first N of each dataset) the raw bytes
are read once (reading the file is not timed), then each contender runs on the same bytes, in an
order that rotates from page to page so no contender always runs with a warm or cold cache:

- ``trafilatura``: ``trafilatura.extract(raw)`` (it decodes bytes itself);
- ``detector.extract``: ``detector.extract(raw)`` (decode, segment, type blocks);
- ``detector.score``: the whole pipeline (decode, segment, type, rules, features, model).
  ``detector.score(raw)`` uses the shipped model; when detector/data/model.skops is absent the
  score contender is skipped, unless ``--model PATH`` or ``--tiny-model`` (a 2-feature logistic
  model built in memory, so the pipeline cost up to the model is still measured) is given.

Printed: pages/second of each contender, the ratios against trafilatura (acceptance: score >= 5x,
extract >= 10x), then a cProfile of detector.score (or extract) on a sample of the pages: time
grouped by module (own time) and the top functions by cumulative time, plus a per-stage and
per-rule table measured directly. Profiling inflates times; the ratios come from the timed run.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import io
import os
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[1]
# PYTHONPATH decides which detector is measured; else the checkout this file is in.
if importlib.util.find_spec("detector") is None:
    sys.path.insert(0, str(ROOT))

from detector.datasets import DATASETS, data_dir, load  # noqa: E402

# Acceptance ratios of issue 7 (pages/second against trafilatura.extract, same run).
SCORE_TARGET = 5.0
EXTRACT_TARGET = 10.0
# Pages profiled after the timed run: enough for stable module shares, short enough to run
# in well under a minute (cProfile roughly doubles detector's time).
PROFILE_PAGES = 300


def pages(per_dataset: int | None, datasets: list[str]) -> list[tuple[str, bytes]]:
    out = []
    for name in datasets:
        for gp in load(name, limit=per_dataset):
            out.append((f"{name}/{gp.id}", gp.raw()))
    return out


def tiny_model_path() -> Path:
    """A throwaway logistic model on two page features, saved with detector.model.save_model."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    from detector.model import save_model

    rows = [{"page_article_share": a, "page_link_density": d}
            for a, d in ((0.9, 0.05), (0.8, 0.1), (0.2, 0.6), (0.1, 0.7))]
    pipe = Pipeline([("vec", DictVectorizer()), ("clf", LogisticRegression())])
    pipe.fit(rows, [0, 0, 1, 1])
    path = Path(tempfile.mkdtemp(prefix="detector-bench-")) / "tiny.skops"
    return save_model(pipe, {"version": "tiny-benchmark"}, path)


def contenders(model_arg: str | None, tiny: bool) -> tuple[dict, str]:
    """name -> callable(raw bytes); and a note on how score was run."""
    import trafilatura

    import detector
    from detector.model import MODEL_PATH, load_model
    from detector.pipeline import analyze
    from detector.readers import page_from_bytes

    funcs = {
        "trafilatura": lambda raw: trafilatura.extract(raw),
        "detector.extract": lambda raw: detector.extract(raw),
    }
    if model_arg or tiny:
        qm = load_model(model_arg or tiny_model_path())
        note = f"detector.score = analyze(page_from_bytes(raw), model={qm.version!r})"
        funcs["detector.score"] = lambda raw: analyze(page_from_bytes(raw, source="<bytes>"),
                                                      model=qm)
    elif MODEL_PATH.exists():
        load_model()  # load once, outside the timed loop
        note = f"detector.score(raw) with the shipped model {MODEL_PATH}"
        funcs["detector.score"] = lambda raw: detector.score(raw)
    else:
        note = (f"detector.score SKIPPED: no shipped model at {MODEL_PATH} "
                "(use --tiny-model to time the pipeline with a stand-in model)")
    return funcs, note


def timed_run(docs: list[tuple[str, bytes]], funcs: dict) -> tuple[dict, dict, dict]:
    """Total seconds, error count and slowest (seconds, page) of each contender."""
    names = list(funcs)
    total = dict.fromkeys(names, 0.0)
    errors: dict[str, int] = dict.fromkeys(names, 0)
    slowest: dict[str, tuple[float, str]] = dict.fromkeys(names, (0.0, ""))
    for i, (page_id, raw) in enumerate(docs):
        k = i % len(names)
        for name in names[k:] + names[:k]:  # rotate the order page by page
            t0 = time.perf_counter()
            try:
                out = funcs[name](raw)
                if getattr(out, "error", None):
                    errors[name] += 1
            except Exception:  # a contender crashing on a page is counted, not fatal
                errors[name] += 1
            dt = time.perf_counter() - t0
            total[name] += dt
            slowest[name] = max(slowest[name], (dt, page_id))
        if i % 500 == 499:
            print(f"  ... {i + 1} pages", file=sys.stderr, flush=True)
    return total, errors, slowest


def _group(filename: str) -> str:
    """Module group of a profiled function: detector's own modules by name, others by package."""
    f = filename.replace("\\", "/")
    if "/detector/" in f:
        return "detector/" + f.split("/detector/", 1)[1]
    if "site-packages/" in f:
        return f.split("site-packages/", 1)[1].split("/", 1)[0]
    if f.startswith("~") or f.startswith("<"):
        return "builtins (C: re, str, dict ...)"
    return "stdlib:" + Path(f).name


def profile(docs: list[tuple[str, bytes]], func, top: int = 20) -> str:
    prof = cProfile.Profile()
    prof.enable()
    for _, raw in docs:
        try:
            func(raw)
        except Exception:
            pass
    prof.disable()
    stats = pstats.Stats(prof)
    by_group: dict[str, float] = defaultdict(float)
    grand = 0.0
    for (filename, _, _), (_, _, tt, _, _) in stats.stats.items():
        by_group[_group(filename)] += tt
        grand += tt
    out = io.StringIO()
    out.write(f"own time by module ({len(docs)} pages, {grand:.2f} s profiled):\n")
    for g, t in sorted(by_group.items(), key=lambda kv: -kv[1])[:top]:
        out.write(f"  {100 * t / grand:5.1f}%  {t:7.2f} s  {g}\n")
    out.write("\ntop functions by cumulative time:\n")
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(top)
    out.write("\n".join(ln for ln in buf.getvalue().splitlines() if ln.strip()
                        and not ln.startswith(("   Ordered", "   List reduced"))))
    return out.getvalue()


def stages(docs: list[tuple[str, bytes]], qm) -> str:
    """Wall time of each pipeline stage and each rule, measured by calling them one by one."""
    from detector.boilerplate import classify_blocks
    from detector.features import page_features
    from detector.page import Flag
    from detector.readers import ReadError, page_from_bytes
    from detector.rules import all_rules
    from detector.rules._util import rule_pass
    from detector.segment import segment

    t: dict[str, float] = defaultdict(float)
    rules = all_rules()
    for _, raw in docs:
        t0 = time.perf_counter()
        page = page_from_bytes(raw, source="<bytes>")
        t["1 read+decode"] += time.perf_counter() - t0
        if isinstance(page, ReadError):
            continue
        try:
            t0 = time.perf_counter()
            segment(page)
            t["2 segment"] += time.perf_counter() - t0
            t0 = time.perf_counter()
            classify_blocks(page)
            t["3 classify_blocks"] += time.perf_counter() - t0
            flags = []
            # One rule pass around the rules and the features, as the pipeline opens it: the
            # features read the word-choice scores the rules computed (outside a pass they
            # would score the page's prose a second time).
            with rule_pass(page):
                for r in rules:
                    t0 = time.perf_counter()
                    ev = r(page)
                    t[f"4 rule {r.id}"] += time.perf_counter() - t0
                    if ev:
                        flags.append(Flag(r.id, r.severity, tuple(ev)))
                t0 = time.perf_counter()
                feats = page_features(page, flags)
                t["5 features"] += time.perf_counter() - t0
            if qm is not None:
                t0 = time.perf_counter()
                qm.p_spam(feats)
                t["6 model"] += time.perf_counter() - t0
        except Exception as exc:  # the stage table is best effort while the pipeline changes
            t[f"error {type(exc).__name__}"] += 0.0
    total = sum(t.values()) or 1.0
    rows = [f"  {100 * v / total:5.1f}%  {1000 * v / len(docs):8.2f} ms/page  {k}"
            for k, v in sorted(t.items())]
    return f"per stage ({len(docs)} pages, {total:.2f} s):\n" + "\n".join(rows)


def compiled_paths() -> str:
    """Which compiled fast paths (detector/_fast) this run uses."""
    from detector._fast import (features_module, forest_module, keywords_module,
                                wordchoice_module)
    from detector.segment import compiled_walk

    used = {"forest": forest_module(), "walk": compiled_walk(), "features": features_module(),
            "wordchoice": wordchoice_module(), "keywords": keywords_module()}
    return "compiled fast paths: " + ", ".join(
        f"{k}={'yes' if v is not None else 'no'}" for k, v in used.items())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--per-dataset", type=int, default=None,
                    help="first N pages of each dataset (default: every page)")
    ap.add_argument("--datasets", default=",".join(DATASETS))
    ap.add_argument("--model", default=None, help="time detector.score with this model file")
    ap.add_argument("--tiny-model", action="store_true",
                    help="time the whole pipeline with a throwaway model when none is shipped")
    ap.add_argument("--profile-pages", type=int, default=PROFILE_PAGES)
    ap.add_argument("--no-profile", action="store_true")
    args = ap.parse_args(argv)

    if data_dir() is None:
        print("../shared/data is absent: set DETECTOR_DATA", file=sys.stderr)
        return 2
    docs = pages(args.per_dataset, args.datasets.split(","))
    mb = sum(len(r) for _, r in docs) / 1e6
    funcs, note = contenders(args.model, args.tiny_model)
    print(f"{len(docs)} pages ({mb:.1f} MB) from {args.datasets}; one process; {note}")
    print(compiled_paths())
    # Warm-up: imports, lazy rule catalog, regex compilation, the model.
    for f in funcs.values():
        for _, raw in docs[:3]:
            try:
                f(raw)
            except Exception:
                pass
    total, errors, slowest = timed_run(docs, funcs)
    n = len(docs)
    rate = {k: n / v for k, v in total.items()}
    print(f"\n{'contender':<18} {'pages/s':>9} {'ms/page':>9} {'errors':>7}  slowest page")
    for k in funcs:
        print(f"{k:<18} {rate[k]:9.1f} {1000 * total[k] / n:9.2f} {errors[k]:7d}  "
              f"{slowest[k][0]:.3f} s {slowest[k][1]}")
    base = rate["trafilatura"]
    print()
    for k, target in (("detector.extract", EXTRACT_TARGET), ("detector.score", SCORE_TARGET)):
        if k in rate:
            r = rate[k] / base
            verdict = "holds" if r >= target else "FAILS"
            print(f"ratio {k} / trafilatura = {r:.2f}x  (target >= {target:g}x: {verdict})")
        else:
            print(f"ratio {k} / trafilatura = n/a ({note})")

    if not args.no_profile:
        step = max(1, n // args.profile_pages)
        sample = docs[::step][: args.profile_pages]
        which = "detector.score" if "detector.score" in funcs else "detector.extract"
        print(f"\n== profile of {which} ==")
        print(profile(sample, funcs[which]))
        qm = None
        if "detector.score" in funcs:
            from detector.model import load_model

            qm = load_model(args.model) if args.model else None
            if qm is None:
                qm = load_model(tiny_model_path()) if args.tiny_model else load_model()
        print()
        print(stages(sample, qm))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
