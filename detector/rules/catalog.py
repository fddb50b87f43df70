"""Imports every rule module so that each registers its rules. Add new modules here."""

from detector.rules import (attribution, context, credits, persona, scraper,  # noqa: F401
                            sourceleak, spun, teasers, urlsignals)
