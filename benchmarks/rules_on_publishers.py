"""Every rule over every page of ../shared/data (all real publishers: negatives).

Prints each rule's firing rate (pages with at least one piece of evidence / pages) per dataset
and overall, and exits 1 when a `strong` rule fires on OVER_LIMIT or more of the pages.

    DETECTOR_DATA=../shared/data PYTHONPATH=. python benchmarks/rules_on_publishers.py [--examples N]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict

from detector.datasets import DATASETS, data_dir, load
from detector.pipeline import prepare
from detector.readers import ReadError, page_from_bytes
from detector.rules import all_rules

# Issue 4: a strong rule must stay under 0.5% of real publisher pages.
OVER_LIMIT = 0.005


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--datasets", nargs="*", default=list(DATASETS))
    ap.add_argument("--limit", type=int, default=None, help="pages per dataset (for a quick look)")
    ap.add_argument("--examples", type=int, default=0,
                    help="print up to N evidence examples per rule that fired")
    args = ap.parse_args(argv)
    if data_dir() is None:
        print("../shared/data is absent (set DETECTOR_DATA)", file=sys.stderr)
        return 2
    rules = all_rules()
    fired: dict[str, Counter] = defaultdict(Counter)  # dataset -> rule -> pages
    pages: Counter = Counter()
    seen: dict[str, list[str]] = defaultdict(list)
    rule_time: Counter = Counter()
    errors = 0
    t0 = time.perf_counter()
    for ds in args.datasets:
        for gp in load(ds, limit=args.limit):
            rec = page_from_bytes(gp.raw(), source=str(gp.path), url=gp.url)
            if isinstance(rec, ReadError):
                errors += 1
                continue
            try:
                page = prepare(rec)
            except Exception:  # noqa: BLE001  (a page that cannot be segmented is counted)
                errors += 1
                continue
            pages[ds] += 1
            for r in rules:
                t = time.perf_counter()
                ev = r(page)
                rule_time[r.id] += time.perf_counter() - t
                if ev:
                    fired[ds][r.id] += 1
                    if len(seen[r.id]) < args.examples:
                        seen[r.id].append(f"{ds}/{gp.id} {gp.url}: {ev[0].text[:100]!r}")
    total = sum(pages.values())
    elapsed = time.perf_counter() - t0
    print(f"{total} pages ({', '.join(f'{d} {n}' for d, n in pages.items())}), "
          f"{errors} unreadable, {elapsed:.0f} s")
    print(f"{'rule':32} {'severity':8} {'pages':>6} {'rate':>7}  ms/page  per dataset")
    failed = []
    for r in rules:
        n = sum(fired[ds][r.id] for ds in pages)
        rate = n / total if total else 0.0
        per = " ".join(f"{ds}:{fired[ds][r.id]}" for ds in pages if fired[ds][r.id])
        mark = ""
        if r.severity == "strong" and rate >= OVER_LIMIT:
            failed.append(r.id)
            mark = "  <-- over the strong limit"
        ms = 1000 * rule_time[r.id] / total if total else 0.0
        print(f"{r.id:32} {r.severity:8} {n:6d} {100 * rate:6.2f}%  {ms:6.3f}  {per}{mark}")
    for rid, lines in seen.items():
        if not lines:  # --examples 0 (the default) collects none
            continue
        print(f"\n{rid}:")
        for line in lines:
            print("  " + line)
    if failed:
        print(f"\nstrong rules at or over {100 * OVER_LIMIT:.1f}%: {', '.join(failed)}")
        return 1
    print(f"\nevery strong rule fires on under {100 * OVER_LIMIT:.1f}% of publisher pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
