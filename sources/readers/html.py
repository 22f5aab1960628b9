"""Article text from a saved news page: the story, not the menus, scripts, comments or related links."""

from __future__ import annotations

import html
import re
from collections import Counter
from html.parser import HTMLParser

_SKIP = {
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "menu",
    "form",
    "button",
    "iframe",
    "svg",
    "template",
    "select",
    "figure",
    "figcaption",
}
_BLOCK = {
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "section",
    "article",
    "blockquote",
    "table",
    "ul",
    "ol",
    "main",
    "td",
    "th",
}
_NOISE_CLASS = re.compile(
    r"(?:menu|nav|breadcrumb|footer|header|sidebar|related|comment|share|social|banner|"
    r"advert|ads?\b|tag|subscribe|login|search|popup|cookie)",
    re.I,
)
_CONTENT_CLASS = re.compile(r"(?:article|content|detail|story|post|entry|news-body|body-text|noidung|chitiet)", re.I)
_VOID = {
    "br",
    "img",
    "hr",
    "meta",
    "link",
    "input",
    "source",
    "wbr",
    "area",
    "base",
    "col",
    "embed",
    "param",
    "track",
}


class _Extractor(HTMLParser):
    """Each stack entry carries whether it or any element above it is skipped or content, and a count of the
    open elements of each tag says whether an end tag closes anything: every event costs O(1) (plus the
    elements it closes), so a page of 40,000 nested divs reads in linear time, not quadratic."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, skipping here, inside content here)
        self.open: Counter[str] = Counter()
        self.chunks: list[tuple[bool, str]] = []  # (inside a content element, text)
        self.title: str | None = None
        self.meta: dict[str, str] = {}
        self._in_title = False

    def _skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def _in_content(self) -> bool:
        return bool(self.stack) and self.stack[-1][2]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta":
            key = a.get("property") or a.get("name") or ""
            if key and a.get("content"):
                self.meta[key.lower()] = a["content"]
            return
        if tag == "title":
            self._in_title = True
        if tag in _VOID:
            if tag == "br":
                self.chunks.append((self._in_content(), "\n"))
            return
        marker = f"{a.get('class', '')} {a.get('id', '')}"
        skipped = tag in _SKIP or (
            tag in {"div", "section", "ul", "span"}
            and bool(_NOISE_CLASS.search(marker))
            and not _CONTENT_CLASS.search(marker)
        )
        content = tag in {"article", "main"} or (tag in {"div", "section"} and bool(_CONTENT_CLASS.search(marker)))
        self.stack.append((tag, skipped or self._skipping(), content or self._in_content()))
        self.open[tag] += 1
        if tag in _BLOCK:
            self.chunks.append((self._in_content(), "\n"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if self.open[tag]:  # close it and every element left open inside it
            while self.stack:
                closed = self.stack.pop()[0]
                self.open[closed] -= 1
                if closed == tag:
                    break
        if tag in _BLOCK:
            self.chunks.append((self._in_content(), "\n"))

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = (self.title or "") + data
            return
        if not self._skipping():
            self.chunks.append((self._in_content(), data))


def looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or ("<body" in head and "</" in head)


def html_to_text(source: str) -> tuple[str, dict[str, str]]:
    """(article text, page metadata). Paragraphs come out one per line."""
    parser = _Extractor()
    parser.feed(source)
    parser.close()
    content = [t for inside, t in parser.chunks if inside]
    chosen = content if len("".join(content).strip()) > 200 else [t for _, t in parser.chunks]
    text = html.unescape("".join(chosen))
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    body = "\n".join(line for line in lines if line)
    meta = {}
    title = (parser.title or parser.meta.get("og:title") or "").strip()
    if title:
        meta["title"] = title
    for key in ("article:published_time", "pubdate", "date", "dc.date", "og:updated_time"):
        if parser.meta.get(key):
            meta["published_date"] = parser.meta[key][:10]
            break
    if parser.meta.get("og:url"):
        meta["source_url"] = parser.meta["og:url"]
    if title and not body.startswith(title[:40]):
        body = f"{title}\n{body}"
    return body, meta
