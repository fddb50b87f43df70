"""Synthetic crawl dumps, clean or with faults, for the scan tests and benchmarks/scan.py.

Pages are generated (seeded, so every build is identical), never copied from third parties.
`build_dump` returns what a correct scan must produce: rows and error rows per input.
"""

from __future__ import annotations

import gzip
import json
import random
import uuid
from dataclasses import dataclass, field
from pathlib import Path

_WORDS = (
    "minister government talks summit trade economy security agreement officials week "
    "president reporters said state visit defence alliance region policy market prices "
    "workers union strike city council budget vote election parliament court ruling law "
    "police investigation report data research university study health hospital patients "
    "climate energy power grid storm flood rescue village farmers harvest water school "
    "teachers students company shares investors bank rates inflation growth exports tariffs "
    "border migrants ceasefire troops negotiations statement spokesperson interview analysis"
).split()


def article_text(seed: int, paragraphs: int = 6) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(paragraphs):
        sentences = []
        for _ in range(rng.randint(3, 5)):
            words = rng.choices(_WORDS, k=rng.randint(10, 18))
            sentences.append(" ".join(words).capitalize() + ".")
        out.append(" ".join(sentences))
    return out


def article_html(title: str, paragraphs: list[str], *, site: str, canonical: str | None = None,
                 published: str | None = None) -> str:
    head = [f"<title>{title} | {site}</title>", f'<meta property="og:site_name" content="{site}">']
    if canonical:
        head.append(f'<link rel="canonical" href="{canonical}">')
    if published:
        head.append(f'<meta property="article:published_time" content="{published}">')
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!doctype html><html lang='en'><head>{''.join(head)}</head><body>"
            f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
            f"<article><h1>{title}</h1>{body}</article>"
            f"<footer>Copyright {site}. All rights reserved.</footer></body></html>")


def warc_record(kind: str, url: str | None, block: bytes, content_type: str) -> bytes:
    """One WARC/1.0 record (deterministic record id, so builds are identical)."""
    rid = uuid.uuid5(uuid.NAMESPACE_URL, f"{kind} {url} {len(block)}")
    headers = [("WARC-Type", kind), ("WARC-Record-ID", f"<urn:uuid:{rid}>"),
               ("WARC-Date", "2024-04-10T12:00:00Z")]
    if url:
        headers.append(("WARC-Target-URI", url))
    headers += [("Content-Type", content_type), ("Content-Length", str(len(block)))]
    head = "WARC/1.0\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
    return head.encode() + block + b"\r\n\r\n"


def warc_bytes(records: list[tuple[str, bytes, str]], *, gzip_members: bool) -> bytes:
    """A WARC of response records ``(url, body, content type)``, each followed by its request
    record, after one warcinfo record; with ``gzip_members`` one gzip member per record."""
    out = [warc_record("warcinfo", None, b"software: detector synth\r\n",
                       "application/warc-fields")]
    for url, body, ctype in records:
        http = (f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode() + body
        out.append(warc_record("response", url, http, "application/http; msgtype=response"))
        out.append(warc_record("request", url, f"GET {url} HTTP/1.1\r\n\r\n".encode(),
                               "application/http; msgtype=request"))
    if gzip_members:
        out = [gzip.compress(r, mtime=0) for r in out]
    return b"".join(out)


@dataclass
class Expect:
    """What a scan of the dump must give: rows and error rows per input (absolute paths)."""

    rows: dict[str, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)  # an error kind each input must show
    original: str = ""  # URL of the original of the copied article
    copies: list[str] = field(default_factory=list)  # URLs of its copies on other hosts

    def add(self, path: Path, rows: int, errors: int = 0, reason: str | None = None) -> None:
        self.rows[str(path.resolve())] = rows
        self.errors[str(path.resolve())] = errors
        if reason:
            self.reasons[str(path.resolve())] = reason

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _pages(n: int, seed: int, host: str) -> list[tuple[str, bytes, str]]:
    out = []
    for i in range(n):
        html = article_html(f"Story {seed}-{i}", article_text(seed * 1000 + i), site=host,
                            published=f"2024-04-{1 + i % 28:02d}T08:00:00Z")
        out.append((f"https://{host}/news/{seed}-{i}", html.encode(), "text/html; charset=utf-8"))
    return out


def tiny_model():
    """A stand-in for the shipped model (tests, benchmarks): trained on four feature dicts,
    long clean articles ok, short or scraper-flagged pages spam."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from detector.model import QualityModel

    X = [{"read_full_article_tail": 1.0, "page_article_chars": 200.0},
         {"read_full_article_tail": 0.0, "page_article_chars": 3000.0},
         {"read_full_article_tail": 0.0, "page_article_chars": 150.0},
         {"read_full_article_tail": 1.0, "page_article_chars": 2500.0}]
    pipe = make_pipeline(DictVectorizer(), LogisticRegression()).fit(X, [1, 0, 1, 0])
    return QualityModel(pipe, {"version": "test-tiny"})


def build_dump(root: Path, *, faults: bool = True, scale: int = 1, variant: int = 0) -> Expect:
    """A dump under ``root``: WARC.gz, WARC, JSONL, JSONL.gz and a folder of pages.

    With ``faults``: a corrupt gzip member, a truncated WARC record, a truncated gzip stream,
    a malformed JSONL line, an empty file and a binary file. ``scale`` multiplies the records;
    ``variant`` changes the generated articles (so several dumps are not copies of each other).
    """
    v = variant * 100
    root.mkdir(parents=True, exist_ok=True)
    exp = Expect()
    # An original article and two near-copies on other hosts (one trims the last paragraph and
    # credits the source, one points its canonical link at the original).
    paras = article_text(v + 7, paragraphs=8)
    exp.original = f"https://orig-news.com/2024/04/10/summit-{variant}"
    exp.copies = [f"https://copier.net/summit-talks-{variant}", f"https://spinfarm.org/p/{variant}"]
    copy_set = [
        (exp.original, article_html("Summit talks", paras, site="Orig News",
                                    canonical=exp.original,
                                    published="2024-04-10T06:00:00Z").encode(), "text/html"),
        (exp.copies[0], article_html("Summit talks", paras[:-1] + ["Source: Orig News"],
                                     site="Copier").encode(), "text/html"),
        (exp.copies[1], article_html("Summit talks", paras, site="Spin Farm",
                                     canonical=exp.original).encode(), "text/html"),
    ]
    # 1. a clean WARC.gz: pages, the copy set, and an image response (skipped, not a page).
    recs = _pages(6 * scale, v + 1, "alpha-news.com") + copy_set
    recs.append(("https://alpha-news.com/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(200),
                 "image/png"))
    p = root / "crawl-1.warc.gz"
    p.write_bytes(warc_bytes(recs, gzip_members=True))
    exp.add(p, len(recs) - 1)
    # 2. an uncompressed WARC
    p = root / "crawl-2.warc"
    recs = _pages(5 * scale, v + 2, "beta-times.org")
    data = warc_bytes(recs, gzip_members=False)
    if faults:  # truncated: the last record loses most of its body
        data = data[:data.rfind(b"WARC/1.0\r\nWARC-Type: response") + 900]
        # the request record after it is gone too
    p.write_bytes(data)
    exp.add(p, len(recs), 1 if faults else 0, "truncated" if faults else None)
    # 3. a WARC.gz with a corrupt gzip member in the middle
    p = root / "crawl-3.warc.gz"
    recs = _pages(5 * scale, v + 3, "gamma-post.net")
    if faults:
        members = [warc_bytes([r], gzip_members=True) for r in recs]
        # each piece is warcinfo + response + request members; damage the 3rd piece's response
        broken = bytearray(members[2])
        info_len = len(warc_bytes([], gzip_members=True))
        for i in range(info_len + 60, info_len + 120):
            broken[i] ^= 0x5A
        members[2] = bytes(broken)
        p.write_bytes(b"".join(members))
        exp.add(p, 2 + 1, 1, "corrupt input")  # two records before the damage + an error row
    else:
        p.write_bytes(warc_bytes(recs, gzip_members=True))
        exp.add(p, len(recs))
    # 4. JSONL with a malformed line, a record without html/text, and a blank line
    p = root / "feed" / "items.jsonl"
    p.parent.mkdir(exist_ok=True)
    lines = [json.dumps({"url": u, "html": b.decode()}) for u, b, _ in _pages(4 * scale, v + 4,
                                                                          "delta-daily.com")]
    lines.append(json.dumps({"url": "https://delta-daily.com/t", "text": "\n\n".join(
        article_text(v + 44))}))
    errors = 0
    if faults:
        lines[1:1] = ['{"url": "https://delta-daily.com/broken", "html": "<p>unterminated',
                      json.dumps({"url": "https://delta-daily.com/nobody"}), ""]
        errors = 2
    p.write_text("\n".join(lines) + "\n")
    exp.add(p, len([x for x in lines if x.strip()]), errors, "malformed JSON" if faults else None)
    # 5. JSONL.gz, truncated in its gzip stream when faulty
    p = root / "feed" / "more.jsonl.gz"
    lines = [json.dumps({"url": u, "html": b.decode()}) for u, b, _ in _pages(4 * scale, v + 5,
                                                                          "epsilon.info")]
    blob = gzip.compress(("\n".join(lines) + "\n").encode())
    if faults:
        p.write_bytes(blob[:len(blob) * 3 // 4])  # the stream stops mid-member
        with gzip.open(p, "rb") as fh:  # how many whole lines survive the cut
            good = 0
            try:
                for line in fh:
                    good += line.endswith(b"\n")
            except EOFError:
                pass
        exp.add(p, good + 1, 1, "corrupt input")
    else:
        p.write_bytes(blob)
        exp.add(p, len(lines))
    # 6. a folder of single pages: HTML, text, and when faulty an empty and a binary file
    site = root / "site"
    site.mkdir(exist_ok=True)
    for i in range(2 * scale):
        (site / f"page-{i}.html").write_text(article_html(f"Local {i}", article_text(v + 600 + i),
                                                          site="Local"))
        exp.add(site / f"page-{i}.html", 1)
    (site / "note.txt").write_text("Plain text note\n\n" + "\n\n".join(article_text(v + 61)))
    exp.add(site / "note.txt", 1)
    (site / ".hidden.html").write_text("<p>never scanned</p>")
    if faults:
        (site / "empty.html").write_bytes(b"")
        exp.add(site / "empty.html", 1, 1, "empty")
        (site / "blob.bin").write_bytes(bytes(range(256)) * 8)
        exp.add(site / "blob.bin", 1, 1, "binary")
    return exp
