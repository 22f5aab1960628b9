"""Small helpers that turn query results into Dagster UI metadata."""

from __future__ import annotations

from collections.abc import Sequence

import dagster as dg


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def table_preview(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> dg.MetadataValue:
    """A markdown table for the asset page (the UI renders markdown metadata as a table)."""
    if not rows:
        return dg.MetadataValue.md("_none_")
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return dg.MetadataValue.md("\n".join(lines))
