"""Imports every rule module so that each registers its rules. Add new modules here."""

from detector.rules import context, persona, scraper, sourceleak, spun, teasers, urlsignals  # noqa: F401
