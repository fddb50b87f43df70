"""The manifest: which inputs are finished, as what, with which counts (``DIR/_manifest.json``).

An input is finished when its part has been renamed into place; only then does the driver add
its entry (so a run killed in between redoes the input, and the new part replaces the old one).
A rerun skips an input whose size and mtime are unchanged, or whose content digest is
unchanged when only the mtime moved (a ``touch``, a copy); anything else is redone.
"""

from __future__ import annotations

import json
from pathlib import Path

from detector.scan.parts import atomic_write_bytes
from detector.scan.task import file_digest

MANIFEST_NAME = "_manifest.json"
MANIFEST_VERSION = 1


class Manifest:
    def __init__(self, out: Path) -> None:
        self.path = Path(out) / MANIFEST_NAME
        self.out = Path(out)
        self.inputs: dict[str, dict] = {}
        if self.path.exists():
            data = json.loads(self.path.read_text())
            self.inputs = data.get("inputs", {})

    def status(self, path: Path) -> str:
        """``new``, ``done`` or ``changed``."""
        entry = self.inputs.get(str(path))
        if entry is None:
            return "new"
        if not (self.out / entry.get("part", "")).is_file():
            return "changed"  # its part was deleted: redo it
        st = path.stat()
        if st.st_size != entry["size"]:
            return "changed"
        if st.st_mtime_ns == entry["mtime_ns"]:
            return "done"
        if file_digest(path) == entry["sha256"]:
            entry["mtime_ns"] = st.st_mtime_ns
            self.save()
            return "done"
        return "changed"

    def record(self, report: dict) -> None:
        self.inputs[report["input"]] = {k: v for k, v in report.items() if k != "pid"}
        self.save()

    def save(self) -> None:
        data = {"version": MANIFEST_VERSION, "inputs": dict(sorted(self.inputs.items()))}
        atomic_write_bytes(self.path, (json.dumps(data, indent=1) + "\n").encode())
