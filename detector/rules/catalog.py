"""Imports every rule module so that each registers its rules. Add new modules here."""

from detector.rules import scraper  # noqa: F401
