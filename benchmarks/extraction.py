"""Extraction benchmark: detector vs trafilatura, readability-lxml, jusText and resiliparse.

For every dataset of ../shared/data, in one single-process run on the same decoded pages:
AEB-style 4-gram shingle P/R/F1 where the gold is text, snippet P/R/F1 where there are
``with``/``without`` snippets (see detector.metrics), pages a second per extractor, and the
ratio of detector's speed to trafilatura's. By default only held-out pages are used: pages of
sites the block classifier never trained on (detector.blocks.split). With ``--blocks`` it also
reports block-type precision/recall on held-out L3S-GN1 pages.

    OMP_NUM_THREADS=1 PYTHONPATH=$PWD python benchmarks/extraction.py            # everything
    PYTHONPATH=$PWD python benchmarks/extraction.py --datasets l3s_gn1 --limit 100
    PYTHONPATH=$PWD python benchmarks/extraction.py --extractors detector --blocks --pin

The regression gate (tests/test_extraction_gate.py) holds detector to the figures pinned in
PINS_FILE, on pages whose digest is pinned with them: a changed page set fails the gate
rather than moving it. ``--pin`` rewrites the file from this run (a full, detector-only,
held-out run with ``--blocks``); commit it with the reason.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from detector.blocks.split import is_held_out, site_of  # noqa: E402
from detector.datasets import DATASETS, load  # noqa: E402
from detector.decode import decode_bytes  # noqa: E402
from detector.metrics import Score, aeb_score, snippet_score  # noqa: E402

warnings.filterwarnings("ignore")

PINS_FILE = Path(__file__).resolve().with_name("extraction_pins.json")


@dataclass(slots=True)
class BenchPage:
    dataset: str
    id: str
    url: str | None
    html: str
    gold: str | None
    with_: list[str] = field(default_factory=list)
    without: list[str] = field(default_factory=list)
    page_type: str | None = None
    site: str = ""


def read_pages(name: str, limit: int | None, split: str) -> list[BenchPage]:
    """Decoded pages of one dataset: ``split`` is held-out, train or all."""
    out = []
    for g in load(name):
        html, _ = decode_bytes(g.raw())
        site = site_of(name, g.id, g.url, html)
        held = is_held_out(site)
        if split == "held-out" and not held or split == "train" and held:
            continue
        out.append(BenchPage(name, g.id, g.url, html, g.article, g.with_snippets,
                             g.without_snippets, g.page_type, site))
        if limit is not None and len(out) >= limit:
            break
    return out


# Extractors: decoded HTML string in, article text out. Imports happen once, outside timing.

def make_detector() -> Callable[[str], str]:
    from detector.pipeline import extract

    page_types: list[str] = []

    def run(html: str) -> str:
        ex = extract(html)
        page_types.append(ex.page_type)
        return ex.text
    run.page_types = page_types  # type: ignore[attr-defined]  # read by the page-type figure
    return run


def make_trafilatura() -> Callable[[str], str]:
    import trafilatura

    return lambda html: trafilatura.extract(html) or ""


def make_readability() -> Callable[[str], str]:
    import lxml.html
    from readability import Document

    def run(html: str) -> str:
        summary = Document(html).summary(html_partial=True)
        return lxml.html.fromstring(summary).text_content() if summary.strip() else ""
    return run


def make_justext() -> Callable[[str], str]:
    import justext

    stoplist = justext.get_stoplist("English")  # as in the reference runs of the data README

    def run(html: str) -> str:
        paras = justext.justext(html.encode("utf-8"), stoplist, encoding="utf-8")
        return "\n".join(p.text for p in paras if not p.is_boilerplate)
    return run


def make_resiliparse() -> Callable[[str], str]:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    return lambda html: extract_plain_text(HTMLTree.parse(html), main_content=True)


EXTRACTORS = {
    "detector": make_detector, "trafilatura": make_trafilatura,
    "readability": make_readability, "justext": make_justext, "resiliparse": make_resiliparse,
}


def digest(pages: list[BenchPage]) -> str:
    """sha1 of what the figures are measured on: every page's id, decoded HTML and gold."""
    h = hashlib.sha1()
    for p in pages:
        h.update(json.dumps([p.id, p.html, p.gold, p.with_, p.without, p.page_type],
                            ensure_ascii=False).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def pins_from(report: dict) -> dict:
    """The gate's figures from a held-out ``--blocks`` report of detector (see PINS_FILE)."""
    out: dict = {"datasets": {}, "l3s_block_f1": {}}
    for ds, e in report["datasets"].items():
        det = e["extractors"]["detector"]
        out["datasets"][ds] = {"pages": e["pages"], "digest": e["digest"],
                               **{m: det[m]["f1"] for m in ("aeb", "snippet") if m in det}}
        if "page_type_accuracy" in e:
            out["datasets"][ds]["page_type_accuracy"] = e["page_type_accuracy"]
    for kind, d in report["blocks"]["kinds"].items():
        out["l3s_block_f1"][kind] = d["f1"]
    return out


def run_extractor(fn: Callable[[str], str], pages: list[BenchPage]) -> tuple[list[str], float]:
    outs = []
    try:  # warm-up (lazy imports, caches) outside the timing
        fn(pages[0].html)
    except Exception:
        pass
    if hasattr(fn, "page_types"):
        fn.page_types.clear()
    t0 = time.perf_counter()
    for p in pages:
        try:
            outs.append(fn(p.html) or "")
        except Exception:  # an extractor failing on a page extracts nothing there
            outs.append("")
    return outs, time.perf_counter() - t0


def score_dataset(pages: list[BenchPage], outs: list[str]) -> dict[str, Score]:
    scores = {}
    with_gold = [(o, p.gold) for o, p in zip(outs, pages) if p.gold is not None]
    if with_gold:
        scores["aeb"] = aeb_score(with_gold)
    snip = [(o, p.with_, p.without) for o, p in zip(outs, pages) if p.with_ or p.without]
    if snip:
        scores["snippet"] = snippet_score(snip)
    return scores


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--datasets", default=",".join(DATASETS), help="comma-separated names")
    ap.add_argument("--limit", type=int, default=None, help="at most this many pages a dataset")
    ap.add_argument("--extractors", default=",".join(EXTRACTORS))
    ap.add_argument("--split", default="held-out", choices=["held-out", "train", "all"])
    ap.add_argument("--blocks", action="store_true", help="block-type P/R on L3S-GN1 pages")
    ap.add_argument("--json", type=Path, default=None, help="write all figures here")
    ap.add_argument("--pin", action="store_true",
                    help=f"write detector's figures to {PINS_FILE.name} (the regression gate)")
    args = ap.parse_args(argv)
    if args.pin and (args.split != "held-out" or args.limit or not args.blocks
                     or "detector" not in args.extractors.split(",")):
        ap.error("--pin needs a full held-out run of detector with --blocks")

    names = [n for n in args.extractors.split(",") if n]
    fns = {n: EXTRACTORS[n]() for n in names}
    report: dict = {"split": args.split, "datasets": {}}
    rows = []
    for ds in [d for d in args.datasets.split(",") if d]:
        pages = read_pages(ds, args.limit, args.split)
        if not pages:
            continue
        entry: dict = {"pages": len(pages), "digest": digest(pages), "extractors": {}}
        for n, fn in fns.items():
            outs, secs = run_extractor(fn, pages)
            sc = score_dataset(pages, outs)
            entry["extractors"][n] = {"pages_per_s": round(len(pages) / secs, 1),
                                      **{k: v.to_dict() for k, v in sc.items()}}
        if "detector" in fns:
            kinds: dict[str, int] = {}
            for t in fns["detector"].page_types:
                kinds[t] = kinds.get(t, 0) + 1
            entry["detector_page_types"] = kinds
            print(f"{ds}: detector page types {kinds}", file=sys.stderr)
        if "detector" in fns and any(p.page_type for p in pages):
            from detector.blocks.page_type import WCXB_TO_OURS

            got = fns["detector"].page_types
            gold = [WCXB_TO_OURS.get(p.page_type or "", "other") for p in pages]
            entry["page_type_accuracy"] = round(
                sum(g == w for g, w in zip(got, gold)) / len(gold), 4)
            confusion: dict[str, dict[str, int]] = {}
            for g, w in zip(got, gold):
                confusion.setdefault(w, {}).setdefault(g, 0)
                confusion[w][g] += 1
            entry["page_type_confusion"] = confusion
            print(f"{ds}: page type accuracy {entry['page_type_accuracy']:.3f} "
                  f"(gold -> predicted: {confusion})")
        report["datasets"][ds] = entry
        ex = entry["extractors"]
        tra = ex.get("trafilatura", {}).get("pages_per_s")
        for metric in ("aeb", "snippet"):
            if not any(metric in e for e in ex.values()):
                continue
            cells = [f"{e[metric]['f1']:.3f} / {e['pages_per_s']:.0f}" for e in ex.values()]
            det = ex.get("detector", {}).get("pages_per_s")
            ratio = f"{det / tra:.1f}x" if det and tra else "-"
            rows.append(f"| {ds} ({metric}) | {len(pages)} | " + " | ".join(cells)
                        + f" | {ratio} |")
        print(rows[-1] if rows else ds, file=sys.stderr, flush=True)
    if args.blocks:
        from detector.blocks.evaluate import block_report

        report["blocks"] = block_report(split=args.split, limit=args.limit)
    header = ("| dataset (metric) | pages | " + " | ".join(f"{n} F1 / p/s" for n in names)
              + " | detector speed vs trafilatura |")
    print(header)
    print("|" + "---|" * (len(names) + 3))
    print("\n".join(rows))
    if args.blocks:
        print(f"\nL3S-GN1 block kinds ({report['blocks']['pages']} {args.split} pages)")
        print("| block kind | precision | recall | F1 | F1 by words | gold blocks |")
        print("|---|---|---|---|---|---|")
        for kind, d in report["blocks"]["kinds"].items():
            print(f"| {kind} | {d['precision']:.3f} | {d['recall']:.3f} | {d['f1']:.3f} "
                  f"| {d['f1_words']:.3f} | {d['support']} |")
        for kind, d in report["blocks"]["marked"].items():
            print(f"| {kind}, pages whose gold uses the label | {d['precision']:.3f} "
                  f"| {d['recall']:.3f} | {d['f1']:.3f} | {d['f1_words']:.3f} "
                  f"| {d['support']} |")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    if args.pin:
        PINS_FILE.write_text(json.dumps(pins_from(report), indent=2) + "\n")
        print(f"pinned: {PINS_FILE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
