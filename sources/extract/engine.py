"""Extraction of one report: figures → observations, with place, period and qualifier, plus directives.

The report is read sentence by sentence. A sentence's figures are classified by the indicator cues; then
a few general rules of how these reports are written are applied (comparisons "từ A lên B", rates that
follow their count, "lần lượt" lists, breakdowns, figures of one operator). Place and period carry over
from sentence to sentence, as a reader carries them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sources import catalog
from sources.extract import dates, directives, fold, indicators, places, qualifiers
from sources.extract.numbers import Figure, find_figures
from sources.extract.records import Extraction, Observation, UnmappedMention
from sources.extract.text import Sentence, normalize, sentences

EXTRACTOR_VERSION = "0.7.1"


@dataclass(frozen=True, slots=True)
class ReportMeta:
    """What a sidecar (`<name>.meta.json`) may say about a report; it overrides inference."""

    province: str | None = None
    published_date: str | None = None
    source_url: str | None = None


@dataclass
class _State:
    """What a reader carries from one sentence to the next."""

    doc_geo: str | None  # the report's own province, or "00"
    scope: str | None  # place the current passage is about
    last_province: str | None
    period_frame: str | None = None
    rank_topic: str | None = None
    rank_topic_at: int = -10
    last_percent_code: str | None = None
    recent: dict[str, int] = field(default_factory=dict)  # indicator → sentence index it was last read at
    rank_topic_doc: bool = False  # the whole report is about a ranking (its title says DTI)
    target_mode: str | None = None  # None | "paragraph" | "section"
    target_paragraph: int = -1
    last_sub_unit: tuple[str, str] | None = None  # (level, name)


_DELTA_BEFORE = re.compile(
    r"(?:tăng|giảm|tăng thêm|thêm|tăng trưởng|vượt|gấp|cao gấp|nhiều hơn|ít hơn|chênh lệch|hụt)"
    r"(?:\s+(?:khoảng|gần|hơn|trên|được))?\s*$",
    re.I,
)
_COMPLETION_AFTER = re.compile(r"^\s*(?:so với|của|trên)?\s*(?:chỉ tiêu|kế hoạch|mục tiêu)\b(?!\s+(?:đến|năm))", re.I)
_PER_YEAR_AFTER = re.compile(r"^\s*/\s*năm\b", re.I)
_GENERIC_WORDS = frozenset(
    [
        "đạt",
        "với",
        "là",
        "lên",
        "từ",
        "và",
        "chiếm",
        "khoảng",
        "gần",
        "hơn",
        "trên",
        "ước",
        "bằng",
        "tỷ",
        "tỉ",
        "lệ",
        "trung",
        "bình",
        "tối",
        "thiểu",
        "mức",
        "ở",
        "còn",
        "chỉ",
        "mới",
        "cao",
        "thấp",
        "được",
        "có",
        "tương",
        "đương",
        "ứng",
        "trong",
        "khi",
        "riêng",
        "tức",
        "dừng",
        "đã",
        "nay",
        "đến",
        "hết",
        "đó",
        "nhất",
    ]
)
_TARGET_LEFT = re.compile(
    r"(?:mục tiêu|chỉ tiêu|kế hoạch)(?:\s+(?:đề ra|giao|được giao|đặt ra))?(?:\s+(?:là|đạt|của))?[\s(:]*$",
    re.I,
)
_BARE_AFTER_PLACE = re.compile(r"\s*,?\s*(?:với|đạt|mới đạt|chỉ đạt|là|có|đạt mức)\s*(?:khoảng|gần|hơn|trên)?\s*", re.I)
_ANAPHORA = re.compile(r"\b(?:tỷ trọng|tỷ lệ|tỉ lệ|con số|chỉ số) (?:này|đó)\b", re.I)
_NOUN_FAMILIES = (
    ("tổ",),
    ("dịch vụ", "thủ tục", "tthc", "dvctt"),
    ("hồ sơ",),
    ("tài khoản",),
    ("thẻ",),
    ("cơ sở dữ liệu",),
    ("trạm",),
    ("cán bộ", "công chức", "người"),
    ("thành viên",),
)
_NOT_CONTENT = re.compile(
    r"\(?\s*(?:năm|trong năm|đến năm|đến hết năm|vào năm)\s+\d{4}\s*\)?|\b(?:vượt|mục tiêu|chỉ tiêu|đề ra|kế hoạch|"
    r"so với|giao|trên địa bàn|toàn tỉnh|toàn thành phố|tỉnh|thành phố|cả nước|toàn quốc|của|chung)\b|[,;:()…%@]",
    re.I,
)
_BARE_RIGHT = re.compile(
    r"^\s*(?:[.,;:)…]|$|so với|trên tổng|của tổng|tổng số|\(|(?:vào |trong |đến )?(?:năm|cuối năm|hết năm) \d{4}"
    r"|và\s+(?:huyện|xã|phường|quận|thị xã|thị trấn|thành phố|tỉnh|tp|đặc khu)\b"
    r"|(?:do|vì|nhờ|bởi|cao nhất|thấp nhất)\b)",
    re.I,
)
_BREAKDOWN = re.compile(r"\b(?:trong đó|gồm|bao gồm)\s*(?:có\s*)?:?\s*", re.I)
_THREE_PILLARS = re.compile(r"(?:cả\s+)?(?:3|ba)\s+trụ cột", re.I)
_PILLARS = ("dti_rank_digital_government", "dti_rank_digital_economy", "dti_rank_digital_society")
_EXPLICIT_TOPIC_AFTER = re.compile(r"^[^;.]{0,50}?(?<!thuộc )\bvề\s+(\w+\s+\w+)", re.I)
_TARGET_OPENER = re.compile(r"^\s*(?:[-+•*]\s*)?(?:mục tiêu|chỉ tiêu|phấn đấu|định hướng|kế hoạch năm|dự kiến)\b", re.I)
_TARGET_INSIDE = re.compile(r"(?:đặt mục tiêu|mục tiêu cụ thể|mục tiêu đến năm|phấn đấu đến)", re.I)
_SECTION_OPENER = re.compile(
    r"^\s*(?:[IVX]+\.|\d+\.|phần|các giải pháp|giải pháp|nhiệm vụ|kết quả|tình hình|đánh giá|bên cạnh)", re.I
)
_POST_MERGER_CUE = re.compile(r"sau (?:sáp nhập|hợp nhất)|từ ngày 0?1/0?7/2025|34 tỉnh, thành", re.I)


def extract_report(text: str, report_id: str, meta: ReportMeta | None = None) -> Extraction:
    """All facts of one report, from its text. Pure: no I/O."""
    meta = meta or ReportMeta()
    text = normalize(text)
    sents = sentences(text)
    title = sents[0].text if sents and len(sents[0].text) < 250 else None
    rd = dates.report_date(text, meta.published_date)
    post_merger = _post_merger(text, rd)
    # each sentence lowercased and scanned for provinces once: the document's place and the cues share it
    lows = [fold.lower(s.text) for s in sents]
    named = [places.find_provinces(s.text, low) for s, low in zip(sents, lows, strict=True)]
    doc_geo = _document_geo(text, title or "", meta, post_merger, [n for found in named for *_, n in found])
    state = _State(doc_geo=doc_geo, scope=doc_geo, last_province=doc_geo if doc_geo != "00" else None)
    if title and re.search(r"\bDTI\b|chỉ số chuyển đổi số|xếp hạng chuyển đổi số", title, re.I):
        state.rank_topic, state.rank_topic_doc = "dti_rank", True
    reporting = _reporting_period(sents[:4], rd)

    observations: list[Observation] = []
    mentions: list[UnmappedMention] = []
    paragraph = -1
    for s, low, provinces in zip(sents, lows, named, strict=True):
        if s.paragraph != paragraph:
            paragraph = s.paragraph
            _enter_paragraph(state, s)
        _read_sentence(s, low, provinces, report_id, rd, reporting, post_merger, state, observations, mentions)

    docs, instructions = directives.extract_directives(sents, report_id, rd, state.doc_geo, post_merger, lows)
    return Extraction(
        report_id=report_id,
        title=title,
        report_date=rd.label(),
        geo_code=doc_geo,
        observations=_dedupe(observations),
        documents=docs,
        instructions=instructions,
        mentions=mentions,
        post_merger=post_merger,
    )


# --- document-level context -----------------------------------------------------------------------------


def _post_merger(text: str, rd: dates.ReportDate) -> bool:
    """Was the report written after the 2025-07-01 merger? Its date says; else what it cites."""
    d = rd.as_date()
    if rd.month is not None and d is not None:
        return d >= catalog.MERGER_DATE
    latest = dates.latest_year(text)
    return bool(latest and latest >= 2026) or bool(_POST_MERGER_CUE.search(text))


def _document_geo(
    text: str, title: str, meta: ReportMeta, post_merger: bool, named: list[places.ProvinceName]
) -> str | None:
    if meta.province:
        code = places.province_code(meta.province, post_merger)
        if code:
            return code
    code = places.default_province(title, text, post_merger, named)
    own = len(_OWN_WORDS.findall(text))
    mentions = sum(1 for n in named if n.code(post_merger) == code)
    if (
        code
        and mentions <= 1
        and len({n.code(post_merger) for n in named}) >= 3
        and own < 3
        and not places.find_provinces(title)
        and len(_NATIONAL_WORDS.findall(text)) >= 2
    ):
        return "00"  # a national report that names a few provinces once each ("Bình Dương, Quảng Ninh ... dẫn đầu")
    if code:
        return code
    return None if own >= 3 else "00"


_OWN_WORDS = re.compile(r"\b(?:toàn tỉnh|của tỉnh|trên địa bàn|UBND tỉnh|thành phố)\b")
_NATIONAL_WORDS = re.compile(r"\b(?:cả nước|toàn quốc|Việt Nam|Chính phủ|quốc gia)\b")


def _reporting_period(head: list[Sentence], rd: dates.ReportDate) -> str | None:
    """The span a report summarises, when its title or opening says ("tổng kết ... năm 2023")."""
    for s in head:
        for p in dates.period_mentions(s.text, rd):
            if (
                p.kind in {"span", "year"}
                and p.label
                and re.search(r"tổng kết|sơ kết|kết quả|tháng|năm", s.text[max(0, p.start - 60) : p.start], re.I)
            ):
                return p.label
    return None


def _enter_paragraph(state: _State, s: Sentence) -> None:
    if state.target_mode == "paragraph":
        state.target_mode = None
    if state.target_mode == "section" and (
        _SECTION_OPENER.search(s.text) or re.search(r"\b(?:đã đạt|đạt được|kết quả)\b", s.text, re.I)
    ):
        state.target_mode = None


# --- one sentence ---------------------------------------------------------------------------------------


@dataclass
class _Fig:
    fig: Figure
    code: str | None = None
    reason: str = "no_indicator"
    target: bool = False
    extra: list[str] = field(default_factory=list)  # pillar ranks read from "cả 3 trụ cột"
    period: str | None = None
    period_explicit: bool = False
    place: tuple[str | None, str, str | None] | None = None  # set when the sentence says whose figure it is


def _read_sentence(
    s: Sentence,
    low: str,
    provinces: list,
    report_id: str,
    rd: dates.ReportDate,
    reporting: str | None,
    post_merger: bool,
    state: _State,
    observations: list[Observation],
    mentions: list[UnmappedMention],
) -> None:
    text = s.text
    if _TARGET_OPENER.search(text) or _TARGET_INSIDE.search(text):
        state.target_mode = "section" if re.search(r":\s*", text[:60]) or text.rstrip().endswith(":") else "paragraph"
    figures, _ = find_figures(text, low)
    cues = places.place_cues(text, post_merger, low, provinces)
    periods = dates.period_mentions(text, rd, low)
    figs = [_Fig(f) for f in figures if not _is_noise(text, f)]
    if figs:
        candidates = indicators.candidate_rules(low)
        views = _views(low, [f.fig for f in figs])
        for i, f in enumerate(figs):
            reason = _filter_reason(text, f.fig)
            if reason:
                f.reason = reason
                continue
            f.code = indicators.classify(views[i], f.fig.kind, candidates)
            if f.code is None and f.fig.kind == "fraction":
                whole = indicators.classify_whole(views[i], candidates)
                if whole:  # "1.542/1.871 DVCTT": the whole is the figure we know
                    f.fig.value, f.fig.denominator, f.code = f.fig.denominator, None, whole
        _apply_sentence_rules(text, low, figs, views, candidates, s, state, cues)
        if s.columns:  # a table row: the value cells follow the header's columns
            cells = [f for f in figs if "\n" in text[: f.fig.start]]
            for f, column in zip(cells, s.columns, strict=False):
                f.target = f.target or column == "target"
        _assign_periods(text, figs, periods, state, reporting, rd)
        for f in figs:
            _emit(f, s, report_id, cues, state, post_merger, observations, mentions)
            if f.code == "dti_rank":
                state.rank_topic, state.rank_topic_at = "dti_rank", s.index
            if f.code and f.fig.kind == "percent":
                state.last_percent_code = f.code
            for code in (f.code, *f.extra):
                if code:
                    state.recent[code] = s.index
    _update_state(text, cues, periods, s, state)


def _is_noise(text: str, f: Figure) -> bool:
    """A bare number on its own line (a list marker or a picture counter)."""
    return len(text.strip()) <= 4 and f.kind == "count"


def _filter_reason(text: str, f: Figure) -> str | None:
    before = text[max(0, f.start - 30) : f.start]
    after = text[f.end : f.end + 40]
    if f.kind != "rank" and _DELTA_BEFORE.search(before) and not re.search(r"\b(?:từ|lên|đạt)\s*$", before, re.I):
        return "delta"
    if f.kind == "percent" and (_COMPLETION_AFTER.search(after) or _PER_YEAR_AFTER.search(after)):
        return "completion"
    return None


_QUALIFIER_BEFORE_MARK = re.compile(
    r"\b(?:hơn|trên|khoảng|gần|tối thiểu|ít nhất|xấp xỉ|ước tính|ước|chừng|chưa đến|chưa tới|dưới|tới|gần như|"
    r"không dưới|không quá)\s+(?=[#@])"
)


def _views(low: str, figs: list[Figure]) -> list[str]:
    """For each figure, the sentence with it marked '#' and the other figures '@'.

    Qualifiers right before a figure ("hơn", "khoảng", "tối thiểu") are read from the text separately and
    dropped here, so that the cue patterns need not spell them out.
    """
    out = []
    for i in range(len(figs)):
        parts = []
        pos = 0
        for j, f in enumerate(figs):
            parts.append(low[pos : f.start])
            parts.append(_placeholder(low[f.start : f.end], f, "#" if i == j else "@"))
            pos = f.end
        parts.append(low[pos:])
        out.append(_QUALIFIER_BEFORE_MARK.sub("", "".join(parts)))
    return out


_CORE = re.compile(r"\d[\d.,]*(?:\s*/\s*\d[\d.,]*)?|\b(?:nhất|nhì|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|mười)\b")


def _placeholder(segment: str, f: Figure, mark: str) -> str:
    if f.kind == "rank":
        if f.rank_word:
            return mark + segment if mark == "#" else segment
        m = _CORE.search(segment)
        return segment[: m.start()] + mark + segment[m.end() :] if m else mark + segment
    return mark + ("%" if f.kind == "percent" else "")


def _is_bare(left: str, strict: bool = False) -> bool:
    """Does the figure only say "đạt (tỷ lệ) 77%", leaving its subject to the words before?

    `strict`: every word between two figures is generic ("82,4%, và 80%"), not just the last few.
    """
    if not strict:
        last = max(left.rfind(","), left.rfind("("), left.rfind(":"), left.rfind("@"))
        left = left[last + 1 :] if last >= 0 else left
    words = _NOT_CONTENT.sub(" ", left).split()
    if strict:
        return all(w in _GENERIC_WORDS for w in words)
    return all(w in _GENERIC_WORDS for w in words[-4:]) and len(words) <= 6


def _unnamed(text: str) -> str:
    """The words of a phrase without proper names ("phường Vĩnh Phúc dẫn đầu với" → "phường dẫn đầu với")."""
    words = [w for w in re.split(r"(\s+)", text) if not w[:1].isupper()]
    return re.sub(
        r"\b(?:dẫn đầu|đứng đầu|cao nhất|thấp nhất|xã|phường|huyện|quận|thị xã|thị trấn)\b",
        " ",
        "".join(words).lower(),
    )


def _same_family(low: str, a: Figure, b: Figure) -> bool:
    """Do two counts count the same kind of thing (the first noun after each)?"""

    def family(f: Figure) -> int | None:
        after = low[f.end : f.end + 20].strip()
        return next((k for k, nouns in enumerate(_NOUN_FAMILIES) if after.startswith(nouns)), None)

    fa, fb = family(a), family(b)
    return fa is not None and fa == fb


def _clause_start(text: str, pos: int) -> int:
    return text.rfind(";", 0, pos) + 1


def _apply_sentence_rules(
    text: str,
    low: str,
    figs: list[_Fig],
    views: list[str],
    candidates: list[indicators.Rule],
    s: Sentence,
    state: _State,
    cues: list[places.PlaceCue],
) -> None:
    by_code = indicators.rules_by_code()
    inds = catalog.indicators()
    # "từ 56% (năm 2022) lên 87,4%": both ends of a comparison are the same indicator
    for i, f in enumerate(figs):
        if f.reason != "no_indicator" or f.code:
            continue
        before = low[max(0, f.fig.start - 12) : f.fig.start]
        if re.search(r"\btừ\s*$", before):
            for g in figs[i + 1 :]:
                if g.code and g.fig.kind == f.fig.kind and re.search(r"\blên\b", low[f.fig.end : g.fig.start]):
                    f.code = g.code
                    break
        if f.code is None and re.search(r"\b(?:lên|từ|so với)\s*(?:mức|con số)?\s*$", before):
            # "lên 90%" after "từ 76%"; "đạt 68,4%, tăng từ 52,7%"; "so với mức 27,9% của cùng kỳ"
            for g in reversed(figs[:i]):
                if g.code and g.fig.kind == f.fig.kind and ";" not in low[g.fig.end : f.fig.start]:
                    f.code = g.code
                    break
    # a bare rate after its count ("762.284 tài khoản ..., đạt tỷ lệ 77%"), or after its subject
    wholes = {ind.whole_code for ind in inds.values() if ind.whole_code}
    for i, f in enumerate(figs):
        if f.code or f.reason != "no_indicator" or f.fig.kind != "percent":
            continue
        view = views[i]
        hash_at = view.find("#")
        clause = view.rfind(";", 0, hash_at) + 1
        left_start = max(_clause_start(text, f.fig.start), figs[i - 1].fig.end if i else 0)
        if not _is_bare(_unnamed(text[left_start : f.fig.start])):
            continue
        clause_low = _clause_start(low, f.fig.start)
        for g in reversed(figs[:i]):
            if g.fig.start < clause_low:
                break
            if g.code in wholes:
                continue
            if g.code and g.fig.kind in {"count", "fraction"}:
                rate = next((c for c, ind in inds.items() if ind.rate_of == g.code), None)
                if rate:
                    f.code = rate
                break
        if f.code is not None:
            continue
        bare_right = bool(_BARE_RIGHT.match(view[hash_at + 2 :]))
        in_clause = "@" in view[clause:hash_at]
        if bare_right or in_clause:
            f.code = indicators.classify_subject(view[clause:hash_at], "percent", candidates)
        if f.code is None and clause > 0 and bare_right and not in_clause:
            f.code = indicators.classify_subject(view[:hash_at], "percent", candidates)
    # "đạt 20% vào năm 2025 và 30% vào năm 2030", "đạt 82,4%, vượt mục tiêu 80%": the same indicator again
    for i, f in enumerate(figs):
        if f.code or f.reason != "no_indicator" or f.fig.kind not in {"percent", "rank", "count", "decimal"}:
            continue
        view = views[i]
        hash_at = view.find("#")
        clause = view.rfind(";", 0, hash_at) + 1
        prev = next((g for g in reversed(figs[:i]) if g.fig.kind == f.fig.kind and g.code), None)
        bare_right = bool(_BARE_RIGHT.match(view[hash_at + (2 if f.fig.kind == "percent" else 1) :]))
        if prev is not None:
            between = text[prev.fig.end : f.fig.start]
            target = bool(_TARGET_LEFT.search(view[clause:hash_at]))  # "vượt chỉ tiêu 16% đề ra"
            another_place = any(
                c.kind in {"province", "district", "commune"} and prev.fig.end <= c.start < f.fig.start for c in cues
            )
            # "từ 20% vào năm 2025 và 30% vào năm 2030"; "đạt 71,3%; huyện Kỳ Sơn mới đạt 21,6% và huyện ... 24,9%"
            if (";" not in between or another_place) and (
                (target and ";" not in between)
                or (bare_right and _is_bare(_unnamed(between) if another_place else between.lower(), strict=True))
            ):
                f.code = prev.code
                continue
        if f.fig.kind == "percent" and state.last_percent_code and _ANAPHORA.search(view[clause:hash_at]):
            f.code = state.last_percent_code
            continue
        # "Dẫn đầu là Hà Nam với 89,7%; thấp nhất là Cao Bằng với 41,2%" right after a sentence about a rate:
        # a place and its bare percentage continue that rate
        if (
            f.fig.kind == "percent"
            and state.last_percent_code
            and s.index - state.recent.get(state.last_percent_code, -9) <= 1
        ):
            start = _clause_start(text, f.fig.start)
            named = [
                c for c in cues if c.kind in {"province", "district", "commune"} and start <= c.start < f.fig.start
            ]
            if named and _BARE_AFTER_PLACE.fullmatch(text[named[-1].end : f.fig.start]):
                f.code = state.last_percent_code
                continue
        recent = {c for c, at in state.recent.items() if s.index - at <= 3}
        recent |= {g.code for g in figs if g.code}  # the same sentence spoke of it already
        if recent:
            f.code = indicators.classify_anaphora(view, f.fig.kind, recent)
    # "109 tài khoản/2.068 chỉ tiêu giao": the target of the same indicator
    for i, f in enumerate(figs[1:], 1):
        prev = figs[i - 1]
        if not f.code and prev.code and prev.fig.kind == "count" and f.fig.kind == "count":
            between = low[prev.fig.end : f.fig.start]
            after = low[f.fig.end : f.fig.end + 20]
            if between.rstrip().endswith("/") and re.match(r"\s*(?:chỉ tiêu|kế hoạch)", after):
                f.code, f.target = prev.code, True
    # ranks: "cả 3 trụ cột" gives each pillar; a bare rank continues the ranking the text is about
    for i, f in enumerate(figs):
        if f.fig.kind != "rank":
            continue
        clause = _clause_start(low, f.fig.start)
        clause_end = low.find(";", f.fig.end)
        clause_text = low[clause : clause_end if clause_end >= 0 else len(low)]
        # "đứng đầu cả ba trụ cột": the pillars named between this rank and the next one
        nxt = next((g.fig.start for g in figs[i + 1 :] if g.fig.kind == "rank"), len(low))
        prv = next((g.fig.end for g in reversed(figs[:i]) if g.fig.kind == "rank"), clause)
        own_span = low[max(clause, prv) : min(nxt, clause + len(clause_text))]
        pillars = _THREE_PILLARS.search(own_span)
        rel = f.fig.start - max(clause, prv)
        if pillars and (pillars.start() > rel or re.search(r"\bđều\b", own_span[pillars.end() : rel])):
            codes = (["dti_rank"] if f.code == "dti_rank" else []) + list(_PILLARS)
            f.code, f.extra = codes[0], codes[1:]
            continue
        if f.code is None:
            first_in_clause = all(g.fig.start < clause or g.fig.kind == "rank" for g in figs[:i])
            after = low[f.fig.end : f.fig.end + 60]
            explicit = _EXPLICIT_TOPIC_AFTER.search(after)
            if (
                first_in_clause
                and state.rank_topic
                and (s.index - state.rank_topic_at <= 4 or state.rank_topic_doc)
                and not explicit
                and not re.match(r"^[^,;.]{0,25}hoàn thành", after)
                and not any(x.search(views[i]) for x in by_code[state.rank_topic].exclude)
            ):
                f.code = state.rank_topic
    # the whole a count is part of: "762.284 tài khoản ... trên tổng số 980.226 công dân", or
    # "229.704 hồ sơ, trong đó ... 174.411 hồ sơ" (a whole that is no indicator of ours, of the same kind)
    for i, f in enumerate(figs):
        if not f.code or f.fig.kind != "count" or f.fig.denominator is not None:
            continue
        for g in figs[i + 1 :]:
            between = low[f.fig.end : g.fig.start]
            if ";" in between or g.fig.kind != "count":
                break
            if re.search(r"\b(?:trên|trong|so với)\s+tổng\s+số\s*$", between):
                f.fig.denominator = g.fig.value
                break
        whole = next((g for g in reversed(figs[:i]) if g.fig.kind == "count"), None)
        if (
            f.fig.denominator is None
            and whole is not None
            and whole.code is None
            and _same_family(low, whole.fig, f.fig)
            and _BREAKDOWN.search(low, whole.fig.end, f.fig.start)
            and whole.fig.value > f.fig.value
        ):
            f.fig.denominator = whole.fig.value
    # "lần lượt": pillars named before the turn take the ranks after it in order; ranks before the turn take
    # the provinces after it ("Vị trí thứ hai và thứ ba lần lượt thuộc về TP.HCM và Hà Nội")
    turn = re.search(r"\blần lượt\b", low)
    if turn:
        words = zip(("chính quyền số", "kinh tế số", "xã hội số"), _PILLARS, strict=True)
        named = sorted((m.start(), code) for word, code in words for m in re.finditer(word, low[: turn.start()]))
        after = [f for f in figs if f.fig.kind == "rank" and f.fig.start > turn.start()]
        if len(named) == len(after) > 1:
            for f, (_, code) in zip(after, named, strict=True):
                f.code, f.extra = code, []
        before = [f for f in figs if f.fig.kind == "rank" and f.fig.start < turn.start()]
        listed = [c for c in cues if c.kind == "province" and c.start > turn.start()]
        if len(before) == len(listed) > 1:
            for f, c in zip(before, listed, strict=True):
                f.place = (c.code, "province", None)
        # "lần lượt là Bình Dương, Quảng Ninh và Thái Nguyên, với 79,4%, 72,6% và 68,1%": places, then their figures
        elif listed:
            values = [f for f in figs if f.fig.start > listed[-1].end and f.fig.kind != "rank"]
            if len(values) == len(listed) > 1:
                for f, c in zip(values, listed, strict=True):
                    f.place = (c.code, "province", None)
    # a part ("trong đó 43 thủ tục ...") is kept only when its whole is one of its parents
    for i, f in enumerate(figs):
        if not f.code or f.fig.kind not in {"count", "fraction"} or i == 0:
            continue
        markers = list(_BREAKDOWN.finditer(low, _clause_start(low, f.fig.start), f.fig.start))
        m = markers[-1] if markers else None
        if m is None:
            continue
        before = [g for g in figs[:i] if g.fig.end <= m.start()]
        whole = next((g for g in reversed(before) if _same_family(low, g.fig, f.fig)), before[-1] if before else None)
        if whole is None or whole.code is None or not _same_family(low, whole.fig, f.fig):
            continue
        if any(c.kind in {"province", "district", "commune"} and m.end() <= c.start < f.fig.start for c in cues):
            continue  # "cả nước ..., trong đó Hà Nội ...": a place's own figure, not a part of the same kind
        rule = by_code.get(f.code)
        if whole.code == f.code or (rule and whole.code not in rule.parents):
            f.reason, f.code = "breakdown", None


_YEARS_IN_TURN = re.compile(r"năm\s+(20\d\d(?:\s*(?:,|và)\s*20\d\d)+)[^.;]{0,80}?\blần lượt\b", re.I)


def _assign_periods(
    text: str,
    figs: list[_Fig],
    periods: list[dates.PeriodMention],
    state: _State,
    reporting: str | None,
    rd: dates.ReportDate,
) -> None:
    usable = [p for p in periods if p.kind != "reference"]
    owned: dict[int, dates.PeriodMention] = {}
    for i, f in enumerate(figs):
        for p in usable:
            gap = text[f.fig.end : p.start]
            if (
                0 <= p.start - f.fig.end <= 14
                and re.fullmatch(r"[\s(,]*(?:\w+\s+){0,2}?[\s(]*", gap)
                and not any(f.fig.end <= g.fig.start < p.start for g in figs)
            ):
                owned[i] = p
                break
    owned_ids = {id(p) for p in owned.values()}
    year_list = next((p for p in usable if p.kind == "list" and re.search(r"lần lượt", text[p.end : p.end + 40])), None)
    listed = [f for f in figs if year_list and f.fig.start > year_list.end and f.code]
    if year_list and listed:
        y0, y1 = (int(x) for x in year_list.label.split("-"))
        if y1 - y0 + 1 == len(listed):
            for k, f in enumerate(listed):
                f.period, f.period_explicit = str(y0 + k), True
    # "các năm 2023, 2024 và 2025 lần lượt là 8,56%, 8,97% và 10,02%": the years, then their figures
    enumerated = _YEARS_IN_TURN.search(text)
    if enumerated and not (year_list and listed):
        years = re.findall(r"20\d\d", enumerated.group(1))
        values = [f for f in figs if f.fig.start > enumerated.end() and f.code]
        if len(years) == len(values) > 1:
            for f, year in zip(values, years, strict=True):
                f.period, f.period_explicit = year, True
    default = state.period_frame or reporting or rd.label()
    for i, f in enumerate(figs):
        if f.period:
            continue
        target = f.target
        if i in owned:
            p = owned[i]
            f.period, f.period_explicit = p.label, p.label is not None
            continue
        candidates = [p for p in usable if id(p) not in owned_ids and p.kind != "list"]
        if not target:
            candidates = [p for p in candidates if p.kind != "horizon"]
        if f.code and catalog.indicators()[f.code].unit == "rank":
            index = [p for p in candidates if p.kind == "index"]
            if index:
                f.period, f.period_explicit = index[-1].label, True
                continue
        clause = _clause_start(text, f.fig.start)
        left = [p for p in candidates if p.end <= f.fig.start]
        same_clause = [p for p in left if p.start >= clause]
        right = [p for p in candidates if p.start >= f.fig.end and ";" not in text[f.fig.end : p.start]]
        horizon = [p for p in candidates if p.kind == "horizon"] if target else []
        pick = (
            horizon[-1]
            if horizon
            else same_clause[-1]
            if same_clause
            else left[-1]
            if left
            else right[0]
            if right
            else None
        )
        if pick is not None:
            f.period, f.period_explicit = pick.label, pick.label is not None and pick.kind != "now"
        else:
            f.period = default


def _governing_place(
    f: _Fig, text: str, cues: list[places.PlaceCue], state: _State, post_merger: bool
) -> tuple[str | None, str, str | None] | None:
    """(geo_code, geo_level, geo_name) of a figure, or None when its subject is not a place."""
    pos = f.fig.start
    clause = _clause_start(text, pos)
    left = [
        c
        for c in cues
        if c.end <= pos and not c.comparison and (c.kind not in {"non_place", "operator"} or c.start >= clause)
    ]
    if f.fig.rank_word and not any(c.kind in {"province", "national", "own"} and not c.comparison for c in cues):
        return (None, "province", None)  # "Dẫn đầu nhiều chỉ số": a heading, not a ranking of a place
    operators = {c.name for c in left if c.kind == "operator"}
    if len(operators) == 1:
        op = max(c.end for c in cues if c.kind == "operator" and c.end <= pos)
        if not any(c.kind in {"own", "province", "district", "commune"} and c.start >= op for c in left):
            return None
    for c in reversed(left):
        if c.kind == "operator":
            continue
        if c.kind == "non_place_scope":  # "Ở khối bộ, ngành, ...; Ngân hàng Nhà nước đứng thứ hai"
            return None
        if c.kind in {"district", "commune"}:
            if c.start < clause:
                continue
            return (_province_in_scope(state), c.kind, c.name)
        if c.kind == "own":
            named = next((x for x in reversed(left) if x.kind == "province" and x.end <= c.start), None)
            if named is not None:
                return (named.code, "province", None)
        if c.kind == "sub_anaphora":
            unit = next((x for x in reversed(left) if x.kind == c.name), None)
            if unit:
                return (_province_in_scope(state), unit.kind, unit.name)
            if state.last_sub_unit:
                return (_province_in_scope(state), *state.last_sub_unit)
            continue
        return _cue_geo(c, state)
    right = [
        c
        for c in cues
        if c.start >= f.fig.end
        and c.kind == "province"
        and not c.comparison
        and ";" not in text[f.fig.end : c.start]
        and c.start - f.fig.end < 60
    ]
    if right and re.search(
        r"\b(?:là|thuộc về|của)\s+(?:tỉnh\s+|thành phố\s+|TP\.?\s*)?$", text[f.fig.end : right[0].start], re.I
    ):
        return (right[0].code, "province", None)
    # "Kinh tế số chiếm 8,7% GRDP của tỉnh": the province's own figure, whatever the sentence before was about
    own_after = next(
        (c for c in cues if c.kind == "own" and 0 <= c.start - f.fig.end < 40 and ";" not in text[f.fig.end : c.start]),
        None,
    )
    grdp = _GRDP_AFTER.match(text, f.fig.end)  # a share of GRDP (regional product) is a province's; GDP the nation's
    if (own_after is not None or grdp) and _province_in_scope(state):
        return (_province_in_scope(state), "province", None)
    if state.scope is None:
        return (None, "province", None)
    return (state.scope, "national" if state.scope == "00" else "province", None)


_GRDP_AFTER = re.compile(r"[\s%]*(?:trong\s+|của\s+)?(?:tổng sản phẩm[^.;]{0,20}\()?GRDP\b")


def _province_in_scope(state: _State) -> str | None:
    if state.scope and state.scope != "00":
        return state.scope
    return state.last_province or (state.doc_geo if state.doc_geo != "00" else None)


def _listed_subjects(text: str, cues: list[places.PlaceCue]) -> list[places.PlaceCue]:
    """Provinces listed as the sentence's subject ("Hà Nam, Hà Tĩnh và Lạng Sơn là ba địa phương ...")."""
    provinces = [c for c in cues if c.kind == "province" and not c.comparison]
    if len(provinces) < 2 or provinces[0].start > 3:
        return []
    listed = [provinces[0]]
    for c in provinces[1:]:
        if not re.fullmatch(r"\s*(?:,|và|,\s*và)\s*", text[listed[-1].end : c.start]):
            break
        listed.append(c)
    gap_words = text[listed[-1].end : listed[-1].end + 12]
    return listed if len(listed) >= 2 and re.match(r"\s+(?:là|đã|đều|cùng|hoàn thành|đạt)\b", gap_words) else []


def _cue_geo(c: places.PlaceCue, state: _State) -> tuple[str | None, str, str | None] | None:
    if c.kind == "province":
        return (c.code, "province", None)
    if c.kind == "national":
        return ("00", "national", None)
    if c.kind == "own":
        code = _province_in_scope(state)
        return (code, "province", None)
    return None  # non_place


def _emit(
    f: _Fig,
    s: Sentence,
    report_id: str,
    cues: list[places.PlaceCue],
    state: _State,
    post_merger: bool,
    observations: list[Observation],
    mentions: list[UnmappedMention],
) -> None:
    text = s.text
    fig = f.fig
    geos = None
    if f.code:
        geo = f.place or _governing_place(f, text, cues, state, post_merger)
        subjects = _listed_subjects(text, cues)
        if (
            not f.place
            and subjects
            and fig.start > subjects[-1].end
            and not any(
                c.kind in {"province", "district", "commune", "national"} and subjects[-1].end <= c.start < fig.start
                for c in cues
            )
        ):
            geos = [(c.code, "province", None) for c in subjects]  # "Hà Nam, Hà Tĩnh và Lạng Sơn ... 100%"
        if geo is None or geo[0] is None:
            f.reason, f.code = ("operator" if geo is None and _has_operator(cues) else "no_place"), None
    if not f.code:
        lo, hi = max(0, fig.start - 50), min(len(text), fig.end + 50)
        mentions.append(
            UnmappedMention(
                report_id=report_id,
                value=fig.value,
                figure_kind=fig.kind,
                figure_text=fig.text,
                reason=f.reason,
                nearby=text[lo:hi],
                evidence=text,
                char_start=s.start,
                char_end=s.end,
            )
        )
        return
    clause = _clause_start(text, fig.start)
    left = text[clause : fig.start]
    target = f.target or qualifiers.is_target(left) or state.target_mode is not None
    qual = "target" if target else (None if fig.kind == "rank" else qualifiers.qualifier(text[: fig.start]))
    inds = catalog.indicators()
    for (geo_code, level, name), code in ((g, c) for g in (geos or [geo]) for c in [f.code, *f.extra]):
        ind = inds[code]
        denominator = fig.denominator
        if ind.unit == "rank" and denominator is None:
            m = re.search(
                r"(?:trong|trên|xếp hạng|bảng xếp hạng)\s+(\d+)\s+(?:tỉnh|địa phương|quốc gia)",
                text[fig.end :],
                re.I,
            )
            denominator = float(m.group(1)) if m else None
        observations.append(
            Observation(
                report_id=report_id,
                geo_code=geo_code,
                geo_level=level,
                geo_name=name,
                indicator=code,
                value=fig.value,
                denominator=denominator,
                unit=ind.unit,
                period=f.period,
                qualifier=qual,
                evidence=text,
                char_start=s.start,
                char_end=s.end,
                period_explicit=f.period_explicit,
            )
        )


def _has_operator(cues: list[places.PlaceCue]) -> bool:
    return any(c.kind == "operator" for c in cues)


def _update_state(
    text: str, cues: list[places.PlaceCue], periods: list[dates.PeriodMention], s: Sentence, state: _State
) -> None:
    listing = len({c.code for c in cues if c.kind == "province"}) >= 3  # a list of provinces is no subject
    for c in [] if listing else cues:
        if c.comparison:
            continue
        if c.kind == "province":
            state.scope = state.last_province = c.code
            break

        if c.kind == "national" and (c.start < 60 or re.search(r"cả nước|toàn quốc|Việt Nam", text[c.start : c.end])):
            state.scope = "00"
            break
        if c.kind == "own":
            state.scope = _province_in_scope(state)
            break
    for c in cues:
        if c.kind in {"district", "commune"}:
            state.last_sub_unit = (c.kind, c.name)
    head = [p for p in periods if p.start < 60 and p.kind in {"span", "year", "asof"} and p.label]
    if head:
        state.period_frame = head[0].label
    if re.search(r"\bdti\b|xếp hạng[^.;]{0,20}chuyển đổi số|chỉ số chuyển đổi số", text.lower()):
        state.rank_topic, state.rank_topic_at = "dti_rank", s.index


def _dedupe(observations: list[Observation]) -> list[Observation]:
    """A figure stated twice (headline and body) is one observation: keep the one with the explicit period, and
    drop a rounded repeat ("Hơn 1,2 triệu tài khoản" in the headline of a body that gives 1.204.550)."""

    def key(o: Observation) -> tuple:
        return (o.geo_code, o.geo_level, o.geo_name, o.indicator, o.qualifier == "target")

    kept: list[Observation] = []
    for o in observations:
        twin = next((k for k in kept if key(k) == key(o) and round(k.value, 4) == round(o.value, 4)), None)
        if twin is None:
            kept.append(o)
        elif twin.period != o.period:
            if twin.period_explicit and o.period_explicit:
                kept.append(o)  # the same value for two stated periods (12,87% in 2021 and in 2023)
            elif o.period_explicit and not twin.period_explicit:
                kept[kept.index(twin)] = o
    return [o for o in kept if not any(_rounds(o, k) for k in kept if k is not o and key(k) == key(o))]


def _rounds(rough: Observation, exact: Observation) -> bool:
    """Is `rough` a rounded statement of `exact` ("hơn 72%" of 72,6%; "khoảng 3,9 triệu" of 3.912.000)?"""
    if rough.qualifier not in {"approx", "at_least", "at_most"} or exact.qualifier is not None:
        return False
    if rough.period_explicit and exact.period_explicit and rough.period != exact.period:
        return False
    a, b = rough.value, exact.value
    if rough.qualifier == "at_least":
        return a <= b <= a * 1.1 + 1
    if rough.qualifier == "at_most":
        return a * 0.9 - 1 <= b <= a
    return abs(a - b) <= 0.05 * max(abs(b), 1)
