"""One task = one input: read its records, score each within the limits, write its part.

Tasks are independent and run anywhere that sees the input and the output folder (a local
process, a Dask worker). A task returns an `InputReport` dict; the driver writes the manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urljoin

from detector.model import QualityModel, load_model
from detector.page import Page, Result
from detector.pipeline import analyze, warm_up
from detector.readers import MAX_PAGE_BYTES, ReadError
from detector.scan.copies import credits, signature
from detector.scan.inputs import InputReader, InputRecord
from detector.limits import PageTimeout, time_limit
from detector.scan.parts import PartWriter, part_name
from detector.urls import host_of

# Default per-page time limit in seconds: the pipeline takes well under a second on the
# largest page of ../shared/data; 30 s leaves room for slow machines and stops pathological
# pages (a 400-level nested table) from holding a worker.
TIME_LIMIT = 30.0
DIGEST_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Limits:
    time_limit: float | None = TIME_LIMIT
    max_bytes: int = MAX_PAGE_BYTES


@lru_cache(maxsize=4)
def _load_cached(path: str | None) -> QualityModel:
    return load_model(path)


def resolve_model(model: QualityModel | str | Path | None) -> QualityModel:
    """A model object as given, or loaded once per worker process from a path (None: shipped)."""
    if isinstance(model, QualityModel):
        return model
    return _load_cached(None if model is None else str(model))


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(DIGEST_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def error_reason_kind(reason: str) -> str:
    """The counter key of an error: the reason up to its first colon (``truncated``, ...)."""
    return reason.split(":", 1)[0].strip()


def run_input(path: str, out: str, model: QualityModel | str | None = None,
              limits: Limits = Limits()) -> dict:
    """Score every record of ``path`` into its part under ``out``; never raises."""
    started = time.perf_counter()
    p, outdir = Path(path), Path(out)
    writer: PartWriter | None = None
    try:
        st = p.stat()
        digest = file_digest(p)
        qm = resolve_model(model)
        warm_up(qm)  # lazy loads happen here, outside the first record's time limit
        writer = PartWriter(outdir, part_name(p))
        labels, flags, reasons = Counter(), Counter(), Counter()
        reader = InputReader(p, limits.max_bytes)
        for item in reader:
            row = score_record(str(p), item, qm, limits)
            writer.add(row)
            if row["error"]:
                reasons[error_reason_kind(row["error"])] += 1
            else:
                labels[row["label"]] += 1
                flags.update(row["flags"])
        records = writer.count
        part = writer.commit()
    except Exception as exc:  # an input-level failure (disk full, vanished file): redo next run
        if writer is not None:
            writer.abort()
        return {"input": str(p), "failed": f"{type(exc).__name__}: {exc}",
                "seconds": round(time.perf_counter() - started, 3)}
    return {
        "input": str(p), "part": part.name, "size": st.st_size, "mtime_ns": st.st_mtime_ns,
        "sha256": digest, "records": records, "errors": sum(reasons.values()),
        "labels": dict(labels), "flags": dict(flags), "error_reasons": dict(reasons),
        "skipped": dict(reader.skipped), "seconds": round(time.perf_counter() - started, 3),
        "pid": os.getpid(),
    }


def score_record(input_path: str, item: InputRecord, model: QualityModel,
                 limits: Limits) -> dict:
    """One output row for one record: scored, or an error row with the reason."""
    rec = item.record
    sig = creds = None
    try:
        with time_limit(limits.time_limit):  # the scanner's limit: analyze sets none of its own
            result = analyze(rec, model=model, max_seconds=None)
            if result.error is None:
                sig, creds = signature(result.text), credits(result.text)
    except PageTimeout as exc:
        result = Result(source=getattr(rec, "source", input_path), url=rec.url,
                        error=f"timeout: {exc}")
    return build_row(input_path, item.key, rec, result, sig, creds)


def build_row(input_path: str, key: str, rec: Page | ReadError, result: Result,
              sig: bytes | None, creds: list[str] | None) -> dict:
    meta = rec.meta if isinstance(rec, Page) else {}
    # A file or JSONL record without a URL: the page's own og:url is the best statement of
    # where it was served (a syndication partner's og:url names the partner, unlike its
    # canonical), so hosts and the copy pass can use it.
    og_url = meta.get("og:url") or ""
    url = result.url or rec.url or (og_url if og_url.startswith(("http://", "https://")) else None)
    body = (rec.html if rec.html is not None else rec.text or "") if isinstance(rec, Page) else None
    ok = result.error is None
    canonical = meta.get("canonical")
    return {
        "input": input_path,
        "record": key,
        "url": url,
        "host": host_of(url) or None,
        "quality": result.quality if ok else None,
        "label": result.label if ok else None,
        "flags": [f.id for f in result.flags] if ok else [],
        "evidence": json.dumps([f.to_dict() for f in result.flags], ensure_ascii=False)
        if ok else None,
        "text_chars": len(result.text) if ok else None,
        "content_hash": hashlib.blake2b(body.encode("utf-8", "replace"), digest_size=16)
        .hexdigest() if body is not None else None,
        "error": result.error,
        "page_type": result.page_type if ok else None,
        "title": result.title if ok else None,
        "canonical": urljoin(url or "", canonical) if canonical else None,
        "site_name": meta.get("og:site_name"),
        "published": meta.get("published") or meta.get("date"),
        "model_version": result.model_version,
        "minhash": sig,
        "credits": creds,
        "copy_of": None,
        "copy_similarity": None,
    }
