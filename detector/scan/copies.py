"""Copies across the dump: MinHash LSH over article text, then the likely original per cluster.

1. Per page (in the workers): a MinHash signature of the article's word 3-gram set, and the
   outlets its text credits (``Source: X``, ``via X``, ``first appeared on X``, bare domains).
2. Across the dump (here, once per run): LSH finds candidate pairs; pairs whose estimated
   Jaccard similarity reaches `COPY_THRESHOLD` are joined into clusters (union-find).
3. In each cluster spanning more than one host, the likely original is the page that
   (a) is not a proxy mirror of another member (its host in the URL's path) and that
   other pages name as canonical, then (b) other pages credit in their text, then
   (c) was published first, then (d) scores higher; ties break on the URL so runs agree.
4. Every page on another host than the original gets ``copy_of`` = its URL, the similarity,
   and the flag `COPY_FLAG` with evidence. Parts whose values change are rewritten atomically.

`copy_pass` records a fingerprint of the parts (names, sizes, mtimes) in ``_copies.json`` when
it completes, and skips steps 2-4 while the parts are unchanged (an idle nightly rerun).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import zlib
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from datasketch import LeanMinHash, MinHash, MinHashLSH

from detector.scan.parts import atomic_write_bytes, parts_of, write_table_atomic
from detector.urls import host_of, same_site

COPY_FLAG = "near_duplicate_copy"
# Word 3-grams, at a Jaccard threshold of 0.3: a spinner that swaps 10-40% of the content words
# breaks most 5-grams (a spun copy kept a median Jaccard of 0.38 with its original over word
# 5-grams, so the 5-gram pass at 0.7 linked 3% of spun copies) but fewer 3-grams (median 0.52).
# Measured on the training corpus's copies whose original is in the crawl and on its real pages
# (docs/copies.md): 5-grams at 0.7 link 3.3% of spun and 91.9% of unspun copies, 3-grams at 0.3
# link 95.3% and 99.3%; real pages with a near twin on another host rise from 0.46% to 0.96%,
# and the twins read are agency stories run by two outlets and press releases: true copies of
# one text, which the classifier keeps `ok` (`copy_of` is information, not a verdict).
SHINGLE_WORDS = 3
COPY_THRESHOLD = 0.3
# 128 permutations: the Jaccard estimate's standard error is about 0.04 at the threshold (0.06
# with 64), so articles on the same story (Jaccard 0.1-0.2) rarely cross it. 512 bytes a page.
NUM_PERM = 128
# Each shingle is hashed with CRC-32 before the permutations (zlib, in C: the signature takes
# 0.73 ms a page instead of 1.08 with datasketch's default sha1, on 1,000 corpus articles; the
# affine permutations on top do the mixing, and the benchmark's figures held, docs/copies.md).
# A signature starts with this tag (shingles, permutations, hash): a part written by an older
# detector (untagged 5-gram signatures of 64 permutations) is not comparable, and is left out
# of the copy pass with a warning, until a rerun with --force rewrites it.
SIGNATURE_TAG = b"w3p128c:"
# Shorter article texts (a teaser, a cookie notice) are not compared: they collide by chance.
MIN_COPY_CHARS = 400
SEED = 1
SCHEME = "affine32"  # datasketch >= 2: 32-bit hash values, stored as uint32

_WORD = re.compile(r"\w+", re.UNICODE)
_CREDIT = re.compile(
    r"(?:\bsource|\boriginally (?:published|appeared)|\bfirst (?:published|appeared)|"
    r"\bread (?:the )?full (?:article|story)|\bvia|\bcourtesy of|\breprinted from|"
    r"\bcontent from)\s*(?:on|at|in|by|from|:)?\s*:?\s*([A-Z][\w.&'\- ]{1,40})")
_DOMAIN = re.compile(r"\b([a-z0-9][a-z0-9\-]{1,62})\.(?:com|org|net|co\.uk|news|info|io|de|fr|"
                     r"jp|in|au|ca)\b", re.IGNORECASE)
# Labels too generic to name an outlet.
_GENERIC = frozenset({"www", "news", "com", "org", "net", "co", "the", "online", "media"})


def signature(text: str) -> bytes | None:
    """`SIGNATURE_TAG` + MinHash of the word 3-gram set of ``text`` as uint32 bytes; None when
    too short."""
    if len(text) < MIN_COPY_CHARS:
        return None
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE_WORDS:
        return None
    shingles = {" ".join(words[i:i + SHINGLE_WORDS]).encode()
                for i in range(len(words) - SHINGLE_WORDS + 1)}
    m = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashfunc=zlib.crc32)
    m.update_batch(list(shingles))
    return SIGNATURE_TAG + np.asarray(m.hashvalues, dtype="<u4").tobytes()


def signature_values(sig: bytes | None) -> np.ndarray | None:
    """The hash values of a signature of this detector's scheme; None for an older one."""
    if sig is None or not sig.startswith(SIGNATURE_TAG) \
            or len(sig) != len(SIGNATURE_TAG) + 4 * NUM_PERM:
        return None
    return np.frombuffer(sig, dtype="<u4", offset=len(SIGNATURE_TAG)).astype(np.uint32)


def credits(text: str) -> list[str]:
    """Normalised names of outlets the text credits (for step 3b)."""
    found = {_norm(m.group(1)) for m in _CREDIT.finditer(text)}
    found |= {_norm(m.group(1)) for m in _DOMAIN.finditer(text)}
    return sorted(f for f in found if len(f) >= 4)


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def outlet_keys(host: str, site_name: str | None) -> set[str]:
    """How a text might name this outlet: its site name, its host's main label."""
    keys = {_norm(site_name)} if site_name else set()
    labels = [lb for lb in (host or "").split(".")[:-1] if lb not in _GENERIC]
    if labels:
        keys.add(_norm(labels[-1]))
    return {k for k in keys if len(k) >= 4}


def _date(value: str | None) -> float:
    if not value:
        return float("inf")
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00")).timestamp()
    except (ValueError, OverflowError):
        return float("inf")


_COLUMNS = ["url", "host", "minhash", "canonical", "site_name", "published", "credits",
            "quality", "copy_of", "copy_similarity"]


Marks = dict[Path, dict[int, tuple[str, float]]]  # part -> {row: (copy_of, similarity)}
MARKER_NAME = "_copies.json"


def copy_pass(out: Path) -> tuple[int, int]:
    """Steps 2-4 unless the parts are exactly as the last completed pass left them (then the
    marker's counts). Returns (clusters, copies)."""
    marker = out / MARKER_NAME
    if marker.exists():
        done = json.loads(marker.read_text())
        if done.get("fingerprint") == _fingerprint(out):
            return done["clusters"], done["copies"]
    marks, current, clusters, stale = find_copies(out)
    if stale:
        print(f"detector scan: {stale} pages carry a copy signature of an older detector and "
              f"were left out of the copy pass; rerun with --force to rescore them",
              file=sys.stderr)
    copies = apply_copies(out, marks, current)
    atomic_write_bytes(marker, json.dumps({"fingerprint": _fingerprint(out), "clusters": clusters,
                                           "copies": copies}).encode())
    return clusters, copies


def _fingerprint(out: Path) -> str:
    h = hashlib.sha1()
    for part in parts_of(out):
        st = part.stat()
        h.update(f"{part.name} {st.st_size} {st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def find_copies(out: Path) -> tuple[Marks, Marks, int, int]:
    """Steps 2-3: the marks the parts should carry, the marks they carry, the number of
    clusters, and the number of pages left out for a signature of an older scheme."""
    rows: list[tuple[Path, int, dict]] = []
    lsh = MinHashLSH(threshold=COPY_THRESHOLD, num_perm=NUM_PERM)
    sigs: list[np.ndarray] = []
    current: Marks = defaultdict(dict)
    stale = 0
    for part in parts_of(out):
        table = pq.read_table(part, columns=_COLUMNS)
        for i, r in enumerate(table.to_pylist()):
            if r["copy_of"] is not None:
                current[part][i] = (r["copy_of"], r["copy_similarity"])
            # A record whose URL names no host ("hard::page.html") cannot be on another
            # host than anything: it stays out of the clusters.
            # So does a page without a signature of this detector's scheme (`copy_pass` warns).
            hv = signature_values(r["minhash"])
            stale += hv is None and r["minhash"] is not None
            if hv is None or not r["url"] or not r["host"]:
                continue
            n = len(rows)
            rows.append((part, i, r))
            sigs.append(hv)
            lsh.insert(n, LeanMinHash(seed=SEED, hashvalues=hv, scheme=SCHEME),
                       check_duplication=False)

    parent = list(range(len(rows)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for n, hv in enumerate(sigs):
        for m in lsh.query(LeanMinHash(seed=SEED, hashvalues=hv, scheme=SCHEME)):
            if m > n and float(np.mean(sigs[m] == hv)) >= COPY_THRESHOLD:
                parent[find(m)] = find(n)
    clusters: dict[int, list[int]] = defaultdict(list)
    for n in range(len(rows)):
        clusters[find(n)].append(n)

    marks: Marks = defaultdict(dict)
    n_clusters = 0
    for members in clusters.values():
        hosts = {rows[n][2]["host"] for n in members}
        if len(members) < 2 or len(hosts) < 2:
            continue
        n_clusters += 1
        orig = _original([rows[n][2] for n in members])
        o = rows[members[orig]][2]
        for n in members:
            part, i, r = rows[n]
            if not same_site(r["host"], o["host"]):
                sim = float(np.mean(sigs[n] == sigs[members[orig]]))
                marks[part][i] = (o["url"], round(sim, 4))
    return marks, current, n_clusters, stale


def _canonical_host(r: dict) -> str:
    """The host a member's canonical link names; "" when none, or when it names no domain
    (pages carry canonicals such as "http://packing-list-backpacking-trip", which point
    nowhere and say nothing about where the original is)."""
    host = host_of(r["canonical"]) if r["canonical"] else ""
    return host if "." in host else ""


def _mirrors(r: dict, members: list[dict]) -> bool:
    """Is this member's URL a mirror of another member's page: that member's host inside its
    path ("https://farm.online/proxy/http/os-system.com/blog/...")? A proxy serves the
    original's own HTML, canonical, dates and all, so only its URL tells them apart."""
    path = r["url"].split("://", 1)[-1].partition("/")[2].lower()
    return any(o is not r and o["host"] and not same_site(o["host"], r["host"])
               and o["host"] in path for o in members)


def _original(members: list[dict]) -> int:
    """Step 3: index of the likely original among the members of one cluster (a proxy
    mirror of another member never is)."""
    targets = [_canonical_host(r) for r in members]
    # a canonical naming another host: a vote for it, and the page itself points away
    away = [bool(t) and not same_site(t, r["host"]) for t, r in zip(targets, members)]
    canon_votes: dict[str, int] = defaultdict(int)
    for t, a in zip(targets, away):
        if a:
            canon_votes[t] += 1
    named_votes = []
    for r in members:
        keys = outlet_keys(r["host"], r["site_name"])
        named_votes.append(sum(
            1 for other in members if other is not r and not same_site(other["host"], r["host"])
            and any(k in c for k in keys for c in (other["credits"] or []))))

    def rank(k: int) -> tuple:
        r = members[k]
        canon = sum(v for h, v in canon_votes.items() if same_site(h, r["host"]))
        return (_mirrors(r, members), -(canon - away[k]), -named_votes[k],
                _date(r["published"]), -(r["quality"] or 0.0), r["url"])

    return min(range(len(members)), key=rank)


def apply_copies(out: Path, marks: Marks, current: Marks) -> int:
    """Step 4: rewrite the parts whose marks change (one at a time); return the copies."""
    total = 0
    for part in parts_of(out):
        mine = marks.get(part, {})
        total += len(mine)
        if mine == current.get(part, {}):
            continue
        table = pq.read_table(part)
        new_copy = [mine[i][0] if i in mine else None for i in range(table.num_rows)]
        new_sim = [mine[i][1] if i in mine else None for i in range(table.num_rows)]
        flags = table.column("flags").to_pylist()
        evidence = table.column("evidence").to_pylist()
        for i in range(table.num_rows):
            fl = [f for f in (flags[i] or []) if f != COPY_FLAG]
            ev = json.loads(evidence[i]) if evidence[i] else None
            if ev is not None:
                ev = [e for e in ev if e.get("id") != COPY_FLAG]
            if new_copy[i] is not None:
                fl.append(COPY_FLAG)
                ev = (ev or []) + [_copy_evidence(new_copy[i], new_sim[i])]
            flags[i] = fl
            evidence[i] = None if ev is None else json.dumps(ev, ensure_ascii=False)
        for name, values in (("copy_of", new_copy), ("copy_similarity", new_sim),
                             ("flags", flags), ("evidence", evidence)):
            idx = table.schema.get_field_index(name)
            table = table.set_column(idx, table.schema.field(idx),
                                     pa.array(values, type=table.schema.field(idx).type))
        write_table_atomic(table, part)
    return total


def _copy_evidence(url: str, sim: float) -> dict:
    return {"id": COPY_FLAG, "severity": "medium", "evidence": [{
        "text": url, "why": f"the article text is a near-duplicate (estimated Jaccard {sim:.2f})"
                            f" of this page on another host, the likely original",
        "where": "url", "block": -1, "path": "", "start": 0, "end": 0}]}
