"""The whole flow for one page, in one place:

1. read: bytes or text into a `Page` (detector.readers)
2. segment: the page into blocks (detector.segment)
3. type blocks: article vs boilerplate and of what kind (detector.boilerplate)
4. rules: every rule on every page, flags with evidence (detector.rules)
5. features: rule hits and page statistics (detector.features)
6. model: calibrated P(spam), quality = 1 - P(spam), label (detector.model)

`analyze` never raises for a bad page: the error is in ``Result.error``; a page that takes
longer than ``max_seconds`` (detector.limits) is an error too (``timeout: ...``).
"""

from __future__ import annotations

from detector.boilerplate import Extraction, classify_blocks, extraction_of
from detector.features import page_features
from detector.limits import DEFAULT_PAGE_SECONDS, PageTimeout, time_limit
from detector.model import QualityModel, load_model
from detector.page import Page, Result
from detector.readers import ReadError, Record, record_from_text
from detector.rules import run_rules
from detector.rules._util import rule_pass
from detector.segment import segment


def prepare(page: Page) -> Page:
    """Steps 2-3: segment and type the blocks."""
    segment(page)
    classify_blocks(page)
    return page


def analyze(record: Record, *, model: QualityModel | None = None,
            explain: bool = False, max_seconds: float | None = DEFAULT_PAGE_SECONDS) -> Result:
    """Steps 2-6 for one record read by detector.readers."""
    if isinstance(record, ReadError):
        return Result(source=record.source, id=record.id, url=record.url, error=record.reason)
    page = record
    warm_up(model)
    try:
        with time_limit(max_seconds):
            return _analyze(page, model, explain)
    except PageTimeout as exc:
        return Result(source=page.source, id=page.id, url=page.url, error=f"timeout: {exc}")


# One small page run once per process, outside any time limit, before the first real page:
# models, word lists and the compiled walk's self-test load lazily (importing skops and
# scikit-learn alone takes seconds on a busy machine), and that cost must not count against
# the first page's time limit.
_WARM_UP_HTML = (
    "<html><head><title>Council approves budget | City News</title></head><body><article>"
    "<h1>Council approves budget</h1><p>The city council voted on Tuesday to approve the "
    "budget for next year, after a long debate about schools and roads.</p><p>The mayor "
    "said the plan would keep taxes level while hiring more teachers for the district.</p>"
    "</article><div class='related'><ul><li><a href='/a'>Another story about the city "
    "…</a></li></ul></div></body></html>")
_warmed: set[int] = set()


def warm_up(model: QualityModel | None) -> None:
    key = id(model)
    if key in _warmed:
        return
    _warmed.add(key)
    from detector.readers import page_from_bytes

    warm = page_from_bytes(_WARM_UP_HTML.encode(), source="<warm-up>")
    if not isinstance(warm, ReadError):
        _analyze(warm, model, explain=False)  # never raises: errors become a Result


def _analyze(page: Page, model: QualityModel | None, explain: bool) -> Result:
    try:
        prepare(page)
        with rule_pass(page):  # one pass: features reuse what the rules computed
            flags = run_rules(page)  # 4
            feats = page_features(page, flags)  # 5
        model = model or load_model()
        p_spam = model.p_spam(feats)  # 6
        return Result(
            source=page.source, id=page.id, url=page.url, quality=1.0 - p_spam,
            label=model.label(p_spam, flagged=bool(flags)), flags=flags, blocks=page.blocks,
            text=page.article_text(), page_type=page.page_type, title=page.title,
            features=feats, model_version=model.version,
            explanation=model.explain(feats) if explain else None,
        )
    except Exception as exc:  # one bad page never stops a batch
        return Result(source=page.source, id=page.id, url=page.url,
                      error=f"internal error: {type(exc).__name__}: {exc}")


def score(html_or_text: str | bytes, url: str | None = None, *, explain: bool = False) -> Result:
    """Score one page given as HTML or plain text (str or bytes)."""
    from detector.readers import page_from_bytes

    if isinstance(html_or_text, bytes):
        record = page_from_bytes(html_or_text, source="<bytes>", url=url)
    else:
        record = record_from_text(html_or_text, source="<string>", url=url)
    return analyze(record, explain=explain)


def extract_record(record: Record) -> dict:
    """Extraction of one record as a JSON-ready dict; errors are records with a reason."""
    base = {"source": record.source, "id": record.id, "url": record.url}
    if isinstance(record, ReadError):
        return {**base, "title": "", "page_type": None, "text": "", "blocks": [],
                "error": record.reason}
    try:
        ex = extraction_of(prepare(record))
    except Exception as exc:  # one bad page never stops a batch
        return {**base, "title": "", "page_type": None, "text": "", "blocks": [],
                "error": f"internal error: {type(exc).__name__}: {exc}"}
    return {**base, "title": ex.title, "page_type": ex.page_type, "text": ex.text,
            "blocks": [b.to_dict() for b in ex.blocks], "error": None}


def extract(html: str | bytes, url: str | None = None) -> Extraction:
    """Article text and typed blocks of one page (no scoring)."""
    from detector.readers import page_from_bytes

    if isinstance(html, bytes):
        record = page_from_bytes(html, source="<bytes>", url=url)
    else:
        record = record_from_text(html, source="<string>", url=url)
    if isinstance(record, ReadError):  # empty or too large
        return Extraction(text="", blocks=[], page_type="error")
    return extraction_of(prepare(record))
