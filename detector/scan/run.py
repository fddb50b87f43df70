"""The scan of a dump, in one place:

1. lock the output folder (`DirLock`; a second run raises `Locked`, the CLI exits 75);
2. remove temporary parts a killed run left behind;
3. find the inputs, and skip those the manifest says are finished (unless ``force``);
4. run one task per remaining input on the chosen engine; append each to the manifest as it
   completes (its part is already renamed into place);
5. the copy pass across every part in the folder (detector.scan.copies);
6. write ``_summary.json`` and return it with the exit code.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from detector.model import QualityModel
from detector.scan.copies import COPY_FLAG, copy_pass
from detector.scan.engines import run_dask, run_local
from detector.scan.inputs import discover
from detector.scan.lock import DirLock
from detector.scan.manifest import Manifest
from detector.scan.parts import atomic_write_bytes, remove_temporaries
from detector.scan.task import Limits, resolve_model

SUMMARY_NAME = "_summary.json"
EXIT_OK = 0
EXIT_FAILED = 1  # some inputs or records of this run failed (error rows, missing inputs)
EXIT_LOCKED = 75  # EX_TEMPFAIL: another scan holds the output folder; try again later

Event = Callable[[str, dict], None]


@dataclass(slots=True)
class ScanOutcome:
    summary: dict
    exit_code: int


def scan(inputs: list[str], out: str | Path, *, force: bool = False, jobs: int | None = None,
         engine: str = "local", scheduler: object = None,
         model: QualityModel | str | Path | None = None, limits: Limits = Limits(),
         on_event: Event | None = None) -> ScanOutcome:
    """Scan ``inputs`` into ``out`` (see the module docstring). Raises `Locked`, ModelLoadError."""
    emit = on_event or (lambda kind, data: None)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with DirLock(out):  # 1
        remove_temporaries(out)  # 2
        resolve_model(model)  # fail fast on a bad model, before any work
        # Workers get the object as given, or the path to load once per worker process.
        model_arg = model if isinstance(model, QualityModel) or model is None else str(model)
        files, missing = discover(inputs, exclude=out)  # 3
        manifest = Manifest(out)
        todo = [f for f in files if force or manifest.status(f) != "done"]
        emit("start", {"inputs": len(files), "todo": len(todo), "missing": missing})
        tasks = [(str(f), str(out), model_arg, limits) for f in todo]
        if engine == "dask":  # 4
            reports = run_dask(tasks, scheduler)
        elif engine == "local":
            reports = run_local(tasks, jobs or len(os.sched_getaffinity(0)))
        else:
            raise ValueError(f"unknown engine {engine!r} (local or dask)")
        done, failed = [], []
        for rep in reports:
            if "failed" in rep:
                failed.append(rep)
            else:
                manifest.record(rep)
                done.append(rep)
            emit("input", rep)
        t_copies = time.perf_counter()
        clusters, copies = copy_pass(out)  # 5
        emit("copies", {"clusters": clusters, "copies": copies})
        manifest.compact()
        summary = build_summary(manifest, files, done, failed, missing, clusters, copies,
                                seconds=time.perf_counter() - started,
                                copy_seconds=time.perf_counter() - t_copies)
        atomic_write_bytes(out / SUMMARY_NAME,  # 6
                           (json.dumps(summary, indent=1, ensure_ascii=False) + "\n").encode())
    bad = missing or failed or any(r["errors"] for r in done)
    return ScanOutcome(summary, EXIT_FAILED if bad else EXIT_OK)


def build_summary(manifest: Manifest, files: list[Path], done: list[dict], failed: list[dict],
                  missing: list[str], clusters: int, copies: int, *, seconds: float,
                  copy_seconds: float) -> dict:
    """Counts for this run and for everything in the folder (from the manifest)."""
    totals = {"inputs": len(manifest.inputs), "records": 0, "errors": 0}
    labels, flags, reasons, skipped = Counter(), Counter(), Counter(), Counter()
    for entry in manifest.inputs.values():
        totals["records"] += entry["records"]
        totals["errors"] += entry["errors"]
        labels.update(entry["labels"])
        flags.update(entry["flags"])
        reasons.update(entry["error_reasons"])
        skipped.update(entry.get("skipped", {}))
    if copies:
        flags[COPY_FLAG] = copies
    run_records = sum(r["records"] for r in done)
    run_reasons = Counter()
    for r in done:
        run_reasons.update(r["error_reasons"])
    return {
        "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "run": {
            "inputs_given": len(files),
            "inputs_scanned": len(done),
            "inputs_skipped": len(files) - len(done) - len(failed),
            "inputs_failed": {r["input"]: r["failed"] for r in failed},
            "inputs_missing": missing,
            "records": run_records,
            "errors": sum(r["errors"] for r in done),
            "error_reasons": dict(run_reasons.most_common()),
            "seconds": round(seconds, 3),
            "copy_pass_seconds": round(copy_seconds, 3),
            "records_per_second": round(run_records / seconds, 2) if seconds > 0 else None,
        },
        "totals": {
            **totals,
            "labels": dict(labels.most_common()),
            "flags": dict(flags.most_common()),
            "error_reasons": dict(reasons.most_common()),
            "skipped": dict(skipped.most_common()),
            "copy_clusters": clusters,
            "copies": copies,
        },
        "inputs": {
            path: {k: e[k] for k in ("records", "errors", "labels", "error_reasons", "seconds")}
            for path, e in sorted(manifest.inputs.items())
        },
    }
