"""Scan crawled dumps in batch: incremental, crash-safe, observable, local or on Dask.

See detector.scan.run for the flow and docs/scan.md for operating it from cron.
"""

from detector.scan.lock import Locked
from detector.scan.run import EXIT_FAILED, EXIT_LOCKED, EXIT_OK, ScanOutcome, scan
from detector.scan.task import TIME_LIMIT, Limits

__all__ = ["scan", "ScanOutcome", "Limits", "Locked", "TIME_LIMIT", "EXIT_OK", "EXIT_FAILED",
           "EXIT_LOCKED"]
