"""Records a second and peak memory of `detector scan` on 1x and 10x a dump.

    OMP_NUM_THREADS=1 PYTHONPATH=. python benchmarks/scan.py [--base 5] [--scale 4] [--jobs 1]

A dump is ``--base`` synthetic crawl folders (detector.scan.synth: WARC.gz, WARC, JSONL(.gz),
pages, with faults); 10x is ten times as many folders. Each size is scanned by a fresh
``python -m detector scan`` process; its peak RSS comes from ``wait4`` (the kernel's
high-water mark, workers not included: use --jobs 1 to measure the whole scan). The model is
the shipped one when present, else the tiny stand-in model of synth.tiny_model.
Memory should not grow with the dump: records are streamed and written in row groups; only
the copy pass keeps ~0.5 KB a page (signature, URL, host) for the whole folder.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from detector.model import MODEL_PATH, save_model  # noqa: E402
from detector.scan.synth import build_dump, tiny_model  # noqa: E402


def run(dump: Path, out: Path, model: Path | None, jobs: int) -> dict:
    cmd = [sys.executable, "-m", "detector", "scan", str(dump), "--out", str(out), "--quiet",
           "--jobs", str(jobs)]
    if model is not None:
        cmd += ["--model", str(model)]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"scan failed with exit {code}")
    summary = json.loads((out / "_summary.json").read_text())
    return {"wall": wall, "rss_mb": usage.ru_maxrss / 1024, "summary": summary}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--base", type=int, default=5, help="crawl folders in the 1x dump")
    ap.add_argument("--scale", type=int, default=4, help="records multiplier per folder")
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="detector-bench-") as tmp:
        tmp = Path(tmp)
        model = None
        if not MODEL_PATH.exists():
            m = tiny_model()
            model = save_model(m.pipeline, m.card, tmp / "tiny.skops")
        print(f"model: {'shipped' if model is None else 'tiny stand-in (no shipped model)'}; "
              f"jobs {args.jobs}; 1x = {args.base} folders x scale {args.scale}")
        print(f"{'size':>4} {'inputs':>6} {'records':>7} {'MB':>7} {'scan s':>7} {'rec/s':>7} "
              f"{'wall s':>7} {'peak RSS MB':>11}")
        for mult in (1, 10):
            dump = tmp / f"dump-{mult}x"
            for i in range(args.base * mult):
                build_dump(dump / f"crawl-{i:04d}", scale=args.scale, variant=i)
            size_mb = sum(p.stat().st_size for p in dump.rglob("*") if p.is_file()) / 1e6
            r = run(dump, tmp / f"out-{mult}x", model, args.jobs)
            run_ = r["summary"]["run"]
            print(f"{mult:>3}x {run_['inputs_scanned']:>6} {run_['records']:>7} {size_mb:>7.1f} "
                  f"{run_['seconds']:>7.1f} {run_['records_per_second']:>7.1f} {r['wall']:>7.1f} "
                  f"{r['rss_mb']:>11.0f}")
            shutil.rmtree(dump)


if __name__ == "__main__":
    main()
