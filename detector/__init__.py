"""detector: tell original journalism from scraped, spun, boilerplate-stuffed copies."""

from detector.page import Block, Evidence, Flag, Page, Result
from detector.pipeline import analyze, extract, score

__version__ = "0.1.0"
__all__ = ["Block", "Evidence", "Flag", "Page", "Result", "analyze", "extract", "score",
           "__version__"]
