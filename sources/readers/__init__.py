"""Readers: a landed file → a report's text and metadata, or a rejection with its reason.

Supported: UTF-8 text and markdown, UTF-16 with or without BOM, Windows-1258, saved HTML pages. An optional
sidecar `<name>.meta.json` ({"province", "published_date", "source_url"}) overrides what the text implies.
Ingest reads the bytes itself, from inside the landing folder only (sources/landing.py), and hands them here.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sources.readers.decode import RejectedFile, decode
from sources.readers.html import html_to_text, looks_like_html

if TYPE_CHECKING:
    from sources.extract import ReportMeta

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".html", ".htm", ""}
SIDECAR_SUFFIX = ".meta.json"
MAX_BYTES = 20 * 1024 * 1024

__all__ = [
    "RejectedFile",
    "ReadReport",
    "check_name",
    "is_sidecar",
    "parse_sidecar",
    "sidecar_candidates",
    "sidecar_path",
    "read_file",
    "read_report",
    "report_id_of",
    "sha256",
]


@dataclass(frozen=True, slots=True)
class ReadReport:
    report_id: str
    text: str
    encoding: str
    file_format: str  # text | markdown | html
    title: str | None
    province: str | None
    published_date: str | None
    source_url: str | None
    warnings: tuple[str, ...] = ()  # what was repaired or ignored while reading, for the file's record

    @property
    def meta(self) -> ReportMeta:
        """What the extractor takes besides the text: the sidecar's (or the page's) metadata."""
        from sources.extract import ReportMeta  # the extractor, imported by those who extract

        return ReportMeta(self.province, self.published_date, self.source_url)


_LOOK_UP = object()  # read_report's default: find and read the sidecar next to the file


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_sidecar(path: Path) -> bool:
    return path.name.endswith(SIDECAR_SUFFIX)


def report_id_of(path: Path) -> str:
    """The report id is the file name without its extension (the extraction contract)."""
    return path.name[: -len(path.suffix)] if path.suffix else path.name


def sidecar_candidates(path: Path) -> tuple[Path, Path]:
    """Where a report's sidecar may be, first found first: `<report id>.meta.json`, `<file name>.meta.json`, in
    the report's folder. The one pairing rule: ingest, `dxw extract` and the sidecars' own rows all use it."""
    return path.with_name(report_id_of(path) + SIDECAR_SUFFIX), path.with_name(path.name + SIDECAR_SUFFIX)


def sidecar_path(path: Path) -> Path | None:
    """The sidecar of a report file, if one is there (present even when it is a link to nowhere: reading it then
    says why, instead of the report silently losing its metadata)."""
    return next((c for c in sidecar_candidates(path) if os.path.lexists(c)), None)


def parse_sidecar(name: str, raw: bytes) -> tuple[dict[str, str], list[str]]:
    """(fields, warnings) of a sidecar's bytes. A malformed sidecar is an error the operator must see, not a
    silent default; a province no one knows is dropped with a warning (the text's province is used)."""
    try:
        meta = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise RejectedFile(f"sidecar {name} is not UTF-8 (byte offset {e.start})") from None
    except json.JSONDecodeError as e:
        raise RejectedFile(f"sidecar {name} is not valid JSON: {e}") from None
    if not isinstance(meta, dict):
        raise RejectedFile(f"sidecar {name} must hold a JSON object")
    fields = {k: str(v) for k, v in meta.items() if k in {"province", "published_date", "source_url"} and v}
    warnings = []
    if "province" in fields:
        from sources.extract.places import province_code  # the gazetteer the extractor resolves places with

        if province_code(fields["province"], post_merger=False) is None:
            shown = fields.pop("province").encode("unicode_escape").decode("ascii")[:80]
            warnings.append(f"sidecar {name} names an unknown province {shown!r}: ignored, the text's province is used")
    return fields, warnings


def read_file(path: Path) -> bytes:
    """A report file's bytes outside ingest (`dxw extract FILE`); the size limit comes from stat, before reading."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise RejectedFile(f"too large ({size / 1024 / 1024:,.0f} MB > {MAX_BYTES // 1024 // 1024} MB), not read")
    return path.read_bytes()


def check_name(path: Path) -> None:
    """What the name alone rejects, before a byte is read."""
    if path.name.startswith("."):
        raise RejectedFile("hidden file")
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES:
        raise RejectedFile(f"unsupported format {suffix!r}: expected .txt, .md or .html")


def read_report(
    path: Path, data: bytes | None = None, sidecar: tuple[str, bytes] | None | object = _LOOK_UP
) -> ReadReport:
    """Read one report file, or raise RejectedFile with the reason.

    `data` and `sidecar` ((name, bytes), or None for none) are what ingest already read safely from the landing
    folder; without them the file and the sidecar next to it are read here (`dxw extract FILE`).
    """
    check_name(path)
    if data is None:
        data = read_file(path)
    if sidecar is _LOOK_UP:
        side = sidecar_path(path)
        try:
            sidecar = (side.name, side.read_bytes()) if side else None
        except OSError as e:
            raise RejectedFile(f"sidecar {side.name}: unreadable: {e.strerror}") from None
    if len(data) > MAX_BYTES:
        raise RejectedFile(f"too large ({len(data) // 1024 // 1024} MB > {MAX_BYTES // 1024 // 1024} MB)")
    decoded = decode(data)
    text, file_format, page = decoded.text, "text", {}
    if path.suffix.lower() in {".html", ".htm"} or looks_like_html(text):
        text, page = html_to_text(text)
        file_format = "html"
    elif path.suffix.lower() in {".md", ".markdown"}:
        text, file_format = _strip_markdown(text), "markdown"
    if len(text.strip()) < 20:
        raise RejectedFile("no report text (fewer than 20 characters after reading)")
    side_fields, side_warnings = parse_sidecar(*sidecar) if sidecar else ({}, [])
    meta = {**page, **side_fields}
    first_line = next((line.strip() for line in text.split("\n") if line.strip()), "")
    return ReadReport(
        report_id=report_id_of(path),
        text=text,
        encoding=decoded.encoding,
        file_format=file_format,
        title=meta.get("title") or (first_line[:250] if first_line else None),
        province=meta.get("province"),
        published_date=meta.get("published_date"),
        source_url=meta.get("source_url"),
        warnings=(*decoded.warnings, *side_warnings),
    )


def _strip_markdown(text: str) -> str:
    text = re.sub(r"^\s{0,3}#{1,6}\s*", "", text, flags=re.M)
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    text = re.sub(r"!\[[^\]]*\]\([^)]+\)", "", text)
    return re.sub(r"(\*\*|__|\*|_)(\S[^*_]*?)\1", r"\2", text)
