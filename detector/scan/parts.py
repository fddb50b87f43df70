"""Parquet parts: one per input, written under a hidden temporary name and renamed when whole.

``pandas.read_parquet(DIR)`` (pyarrow datasets) ignores names starting with ``.`` or ``_``, so a
temporary part (``.tmp-...``), the manifest, the summary and the report are never read as data,
and a part is either absent or complete: ``os.replace`` is atomic on one filesystem.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

# Rows buffered before a row group is written: bounds memory per worker (rows carry evidence
# JSON, a few KB each) while keeping row groups large enough for fast reads.
ROW_GROUP_ROWS = 500
TMP_PREFIX = ".tmp-"

SCHEMA = pa.schema([
    ("input", pa.string()),  # absolute path of the input file
    ("record", pa.string()),  # offset:N (WARC), line:N (JSONL), file, damage:N
    ("url", pa.string()),
    ("host", pa.string()),
    ("quality", pa.float64()),
    ("label", pa.string()),
    ("flags", pa.list_(pa.string())),  # rule ids, plus near_duplicate_copy from the copy pass
    ("evidence", pa.string()),  # JSON list of flags with their evidence
    ("text_chars", pa.int64()),  # characters of clean article text
    ("content_hash", pa.string()),  # blake2b-128 of the decoded page (HTML or text)
    ("error", pa.string()),  # null, or why the record could not be read or scored
    ("page_type", pa.string()),
    ("title", pa.string()),
    ("canonical", pa.string()),
    ("site_name", pa.string()),
    ("published", pa.string()),
    ("model_version", pa.string()),
    ("minhash", pa.binary()),  # MinHash signature of the article text (copies.signature)
    ("credits", pa.list_(pa.string())),  # outlets the text credits (source:, via, domains)
    ("copy_of", pa.string()),  # URL of the likely original when this is a copy
    ("copy_similarity", pa.float64()),  # estimated Jaccard similarity with that original
])


def part_name(input_path: Path) -> str:
    """Stable per input path, so a redone input replaces its part instead of adding one."""
    return f"part-{hashlib.sha1(str(input_path).encode()).hexdigest()[:16]}.parquet"


def parts_of(out: Path) -> list[Path]:
    return sorted(out.glob("part-*.parquet"))


def remove_temporaries(out: Path) -> int:
    """Delete what a killed run left half-written (call under the lock)."""
    n = 0
    for p in out.glob(TMP_PREFIX + "*"):
        p.unlink(missing_ok=True)
        n += 1
    return n


def atomic_write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(f"{TMP_PREFIX}{path.name}.{os.getpid()}")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class PartWriter:
    """Stream rows into ``out/<name>`` through a temporary file; `commit` renames it."""

    def __init__(self, out: Path, name: str) -> None:
        self.final = out / name
        self.tmp = out / f"{TMP_PREFIX}{name}.{os.getpid()}"
        self._writer = pq.ParquetWriter(self.tmp, SCHEMA, compression="zstd")
        self._rows: list[dict] = []
        self.count = 0

    def add(self, row: dict) -> None:
        self._rows.append(row)
        self.count += 1
        if len(self._rows) >= ROW_GROUP_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            self._writer.write_table(pa.Table.from_pylist(self._rows, schema=SCHEMA))
            self._rows = []

    def commit(self) -> Path:
        self._flush()
        self._writer.close()
        with open(self.tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(self.tmp, self.final)
        return self.final

    def abort(self) -> None:
        try:
            self._writer.close()
        finally:
            self.tmp.unlink(missing_ok=True)


def write_table_atomic(table: pa.Table, path: Path) -> None:
    tmp = path.with_name(f"{TMP_PREFIX}{path.name}.{os.getpid()}")
    pq.write_table(table, tmp, compression="zstd")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)
