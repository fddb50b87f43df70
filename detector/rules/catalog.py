"""Imports every rule module so that each registers its rules. Add new modules here."""

from detector.rules import (attribution, context, persona, scraper, sourceleak,  # noqa: F401
                            spun, teasers, urlsignals)
