"""The whole flow for one page, in one place:

1. read: bytes or text into a `Page` (detector.readers)
2. segment: the page into blocks (detector.segment)
3. type blocks: article vs boilerplate and of what kind (detector.boilerplate)
4. rules: every rule on every page, flags with evidence (detector.rules)
5. features: rule hits and page statistics (detector.features)
6. model: calibrated P(spam), quality = 1 - P(spam), label (detector.model)

`analyze` never raises for a bad page: the error is in ``Result.error``.
"""

from __future__ import annotations

from detector.boilerplate import Extraction, classify_blocks, extraction_of
from detector.features import page_features
from detector.model import QualityModel, load_model
from detector.page import Page, Result
from detector.readers import ReadError, Record, page_from_text
from detector.rules import run_rules
from detector.segment import segment


def prepare(page: Page) -> Page:
    """Steps 2-3: segment and type the blocks."""
    segment(page)
    classify_blocks(page)
    return page


def analyze(record: Record, *, model: QualityModel | None = None,
            explain: bool = False) -> Result:
    """Steps 2-6 for one record read by detector.readers."""
    if isinstance(record, ReadError):
        return Result(source=record.source, id=record.id, url=record.url, error=record.reason)
    page = record
    try:
        prepare(page)
        flags = run_rules(page)  # 4
        feats = page_features(page, flags)  # 5
        model = model or load_model()
        p_spam = model.p_spam(feats)  # 6
        return Result(
            source=page.source, id=page.id, url=page.url, quality=1.0 - p_spam,
            label=model.label(p_spam), flags=flags, blocks=page.blocks,
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
        record = page_from_text(html_or_text, source="<string>", url=url)
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
        if isinstance(record, ReadError):
            return Extraction(text="", blocks=[], page_type="error")
    else:
        record = page_from_text(html, source="<string>", url=url)
    return extraction_of(prepare(record))
