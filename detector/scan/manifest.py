"""The manifest: which inputs are finished, as what, with which counts (``DIR/_manifest.jsonl``).

An input is finished when its part has been renamed into place; only then does the driver
append its entry (one JSON line, fsynced), so a run killed in between redoes the input and the
new part replaces the old one. Appending keeps a run over 10,000 inputs linear; a line cut
short by a crash is ignored (its input is redone). At the end of a run the journal is rewritten
in sorted order, one line per input (atomic rename), so an unchanged folder is byte-identical.

A rerun skips an input whose size and mtime are unchanged, or whose content digest is
unchanged when only the mtime moved (a ``touch``, a copy); anything else is redone.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from detector.scan.parts import atomic_write_bytes
from detector.scan.task import file_digest

MANIFEST_NAME = "_manifest.jsonl"


class Manifest:
    def __init__(self, out: Path) -> None:
        self.path = Path(out) / MANIFEST_NAME
        self.out = Path(out)
        self.inputs: dict[str, dict] = {}
        if self.path.exists():
            with open(self.path, encoding="utf-8") as fh:
                for line in fh:
                    try:
                        entry = json.loads(line)
                    except json.JSONDecodeError:
                        continue  # the tail of a run killed mid-append
                    if isinstance(entry, dict) and "input" in entry:
                        self.inputs[entry["input"]] = entry

    def status(self, path: Path) -> str:
        """``new``, ``done`` or ``changed``."""
        entry = self.inputs.get(str(path))
        if entry is None:
            return "new"
        if not (self.out / entry.get("part", "")).is_file():
            return "changed"  # its part was deleted: redo it
        try:
            st = path.stat()
        except OSError:
            return "changed"  # vanished since it was found: its task reports the failure
        if st.st_size != entry["size"]:
            return "changed"
        if st.st_mtime_ns == entry["mtime_ns"]:
            return "done"
        if file_digest(path) == entry["sha256"]:
            self.record({**entry, "mtime_ns": st.st_mtime_ns})
            return "done"
        return "changed"

    def record(self, report: dict) -> None:
        entry = {k: v for k, v in report.items() if k != "pid"}
        self.inputs[entry["input"]] = entry
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, sort_keys=True) + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def compact(self) -> None:
        lines = [json.dumps(self.inputs[k], sort_keys=True) + "\n" for k in sorted(self.inputs)]
        atomic_write_bytes(self.path, "".join(lines).encode())
