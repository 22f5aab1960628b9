"""Pure functions from report text to facts: numbers, dates and periods, places, indicators, directives."""

from sources.extract.engine import EXTRACTOR_VERSION, ReportMeta, extract_report

__all__ = ["EXTRACTOR_VERSION", "ReportMeta", "extract_report"]
