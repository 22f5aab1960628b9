"""Extraction of one report: figures → observations, with place, period and qualifier, plus directives.

The report is read sentence by sentence. A sentence's figures are classified by the indicator cues; then
a few general rules of how these reports are written are applied (comparisons "từ A lên B", rates that
follow their count, "lần lượt" lists, breakdowns, figures of one operator). Place and period carry over
from sentence to sentence, as a reader carries them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sources import catalog
from sources.extract import dates, directives, fold, indicators, places, qualifiers, sentence_rules, tables
from sources.extract.context import FigureReading, ReadingState, SentenceContext
from sources.extract.numbers import Figure, find_figures
from sources.extract.records import Extraction, Observation, UnmappedMention
from sources.extract.text import Sentence, clause_start, normalize, sentences

EXTRACTOR_VERSION = "0.9.7"


@dataclass(frozen=True, slots=True)
class ReportMeta:
    """What a sidecar (`<name>.meta.json`) may say about a report; it overrides inference."""

    province: str | None = None
    published_date: str | None = None
    source_url: str | None = None


_DELTA_BEFORE = fold.compile_quick(
    r"(?:tăng|giảm|tăng thêm|thêm|tăng trưởng|vượt|gấp|cao gấp|nhiều hơn|ít hơn|chênh lệch|hụt)"
    r"(?:\s+(?:khoảng|gần|hơn|trên|được))?\s*$",
    re.I,
)
_DELTA_SCAN = fold.Scan(_DELTA_BEFORE)  # behind its literal gate: "tăng", "giảm", "vượt", ...
_COMPLETION_AFTER = re.compile(r"^\s*(?:so với|của|trên)?\s*(?:chỉ tiêu|kế hoạch|mục tiêu)\b(?!\s+(?:đến|năm))", re.I)
_PER_YEAR_AFTER = re.compile(r"^\s*/\s*năm\b", re.I)
_TARGET_OPENER = re.compile(
    r"^\s*(?:(?:[-+•*]|\d{1,2}\.|[IVX]{1,4}\.|[a-đ]\))\s*)?"
    r"(?:mục tiêu|chỉ tiêu|phấn đấu|định hướng|kế hoạch năm|dự kiến)\b",
    re.I,
)
# behind its literal gate: most sentences say neither "mục tiêu" nor "phấn đấu"
_TARGET_INSIDE = fold.Scan(r"(?:đặt mục tiêu|mục tiêu cụ thể|mục tiêu đến năm|phấn đấu đến)", flags=re.I)
_SECTION_OPENER = re.compile(
    r"^\s*(?:[IVX]+\.|\d+\.|phần|các giải pháp|giải pháp|nhiệm vụ|kết quả|tình hình|đánh giá|bên cạnh)", re.I
)
# "xã Vĩnh Sơn, tỉnh Gia Lai": a commune addressed by its province alone, as since the districts were abolished
_TWO_TIER_ADDRESS = fold.compile_quick(
    r"\b(?:xã|phường|đặc khu)\s+[A-ZĐ]\w*(?:\s+[A-ZĐ0-9]\w*){0,3}\s*,\s*tỉnh\s+[A-ZĐ]"
)
_POST_MERGER_CUE = fold.compile_quick(r"sau (?:sáp nhập|hợp nhất)|từ ngày 0?1/0?7/2025|34 tỉnh, thành", re.I)


def extract_report(text: str, report_id: str, meta: ReportMeta | None = None) -> Extraction:
    """All facts of one report, from its text. Pure: no I/O."""
    meta = meta or ReportMeta()
    text = normalize(text)
    sents = sentences(text)
    title = sents[0].text if sents and len(sents[0].text) < 250 else None
    rd = dates.report_date(text, meta.published_date)
    post_merger = _post_merger(text, rd)
    # each sentence lowercased and scanned for provinces once: the document's place and the cues share it
    lows = [fold.one_spelling(fold.lower(s.text)) for s in sents]
    named = [places.find_provinces(s.text, low) for s, low in zip(sents, lows, strict=True)]
    doc_geo = _document_geo(text, title or "", meta, post_merger, [n for found in named for *_, n in found])
    state = ReadingState(
        doc_geo=doc_geo, scope=doc_geo, last_province=doc_geo if doc_geo != "00" else None, post_merger=post_merger
    )
    if title and re.search(r"\bDTI\b|chỉ số chuyển đổi số|xếp hạng chuyển đổi số", title, re.I):
        state.rank_topic, state.rank_topic_doc = "dti_rank", True
    reporting = _reporting_period(sents[:4], rd)
    rows = tables.ranking_rows(sents, named, state.rank_topic)

    observations: list[Observation] = []
    mentions: list[UnmappedMention] = []
    paragraph = -1
    for s, low, provinces in zip(sents, lows, named, strict=True):
        if s.paragraph != paragraph:
            paragraph = s.paragraph
            _enter_paragraph(state, s)
        if s.index in rows:
            period = _table_period(rows[s.index], title, rd) or state.period_frame or reporting or rd.stated()
            observations += _row_observations(rows[s.index], s, report_id, period, post_merger)
            continue
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


def _table_period(row: tables.TableRow, title: str | None, rd: dates.ReportDate) -> str | None:
    """The index year a ranking table is about: said in its headings, else in the report's title."""
    for text in (row.heading, title or ""):
        years = [p for p in dates.period_mentions(text, rd) if p.kind in {"index", "year"} and p.label]
        if years:
            return years[-1].label
    return None


def _row_observations(
    row: tables.TableRow, s: Sentence, report_id: str, period: str | None, post_merger: bool
) -> list[Observation]:
    inds = catalog.indicators()
    return [
        Observation(
            report_id=report_id,
            geo_code=row.province.code(post_merger),
            geo_level="province",
            geo_name=None,
            indicator=cell.column,
            value=cell.value,
            denominator=None,
            unit=inds[cell.column].unit,
            period=period,
            qualifier=None,
            evidence=s.text,
            char_start=s.start,
            char_end=s.end,
            period_explicit=period is not None,
        )
        for cell in row.cells
    ]


# --- document-level context -----------------------------------------------------------------------------


def _post_merger(text: str, rd: dates.ReportDate) -> bool:
    """Was the report written after the 2025-07-01 merger? Its date says; else what it cites."""
    d = rd.as_date()
    if rd.month is not None and d is not None:
        return d >= catalog.MERGER_DATE
    latest = dates.latest_year(text)
    return bool(latest and latest >= 2026) or bool(_POST_MERGER_CUE.search(text) or _TWO_TIER_ADDRESS.search(text))


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
    # no province named: the nation's report only when the text speaks of the nation (or its ministries) more
    # than of "the province"; else the place is unknown (None), never silently the nation's
    national = len(_NATIONAL_WORDS.findall(text)) + len(_CENTRAL_WORDS.findall(text))
    return "00" if own < 3 and national > own else None


_OWN_WORDS = fold.compile_quick(r"\b(?:toàn tỉnh|của tỉnh|trên địa bàn|UBND tỉnh|thành phố)\b")
_NATIONAL_WORDS = fold.compile_quick(r"\b(?:cả nước|toàn quốc|Việt Nam|Chính phủ|quốc gia)\b")
_CENTRAL_WORDS = fold.compile_quick(r"\b(?:Thủ tướng|Trung ương|GDP|Tổng cục|Bộ [A-ZĐ])")


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


def _enter_paragraph(state: ReadingState, s: Sentence) -> None:
    if state.target_mode == "paragraph":
        state.target_mode = None
    if state.target_mode == "section" and (
        _SECTION_OPENER.search(s.text) or re.search(r"\b(?:đã đạt|đạt được|kết quả)\b", s.text, re.I)
    ):
        state.target_mode = None


# --- one sentence ---------------------------------------------------------------------------------------


def _read_sentence(
    s: Sentence,
    low: str,
    provinces: list,
    report_id: str,
    rd: dates.ReportDate,
    reporting: str | None,
    post_merger: bool,
    state: ReadingState,
    observations: list[Observation],
    mentions: list[UnmappedMention],
) -> None:
    text = s.text
    opener = _TARGET_OPENER.search(text) or _TARGET_INSIDE.search(text, low)
    if opener:
        heading = len(text.strip()) <= 60 and not re.search(r"\d\s*%|\d[.,]\d", text)  # "2. Mục tiêu năm 2025"
        colon = re.search(r":\s*", text[:60]) or text.rstrip().endswith(":")
        state.target_mode = "section" if colon or heading else "paragraph"
        state.target_from = (s.index, opener.start())  # figures before the cue in its own sentence are achieved
    figures, _ = find_figures(text, low)
    cues = places.place_cues(text, post_merger, low, provinces)
    periods = dates.period_mentions(text, rd, low)
    figs = [FigureReading(f) for f in figures if not _is_noise(text, f)]
    if figs:
        ctx = classify_by_cues(s, low, figs, cues, state)
        sentence_rules.apply(ctx)
        if s.columns:  # a table row: the value cells follow the header's columns
            cells = [f for f in figs if "\n" in text[: f.fig.start]]
            for f, column in zip(cells, s.columns, strict=False):
                f.target = f.target or column == "target"
        _assign_periods(text, figs, periods, state, reporting, rd, s.index)
        for f in figs:
            _emit(f, s, report_id, cues, state, post_merger, observations, mentions)
            if f.code in _RANK_TOPICS:
                state.rank_topic, state.rank_topic_at = f.code, s.index
            if f.code and catalog.indicators()[f.code].unit == "rank":
                state.last_rank = (f.code, f.fig.value)
            if f.code and f.fig.kind == "percent":
                state.last_percent_code = f.code
            for code in (f.code, *f.extra):
                if code:
                    state.recent[code] = s.index
        ranks = [f.code for f in figs if f.code and f.fig.kind == "rank"]
        if len(ranks) >= 2:
            state.last_ranks = tuple(ranks)
    _update_state(text, low, cues, periods, s, state)


_RANK_TOPICS = {"dti_rank", "public_service_portal_rank", "egdi_rank"}  # rankings a passage can be about


def classify_by_cues(
    s: Sentence, low: str, figs: list[FigureReading], cues: list[places.PlaceCue], state: ReadingState
) -> SentenceContext:
    """A sentence's figures classified by the indicator cues alone: what the sentence rules start from."""
    text = s.text
    candidates = indicators.candidate_rules(low)
    views = _views(low, [f.fig for f in figs])
    for i, f in enumerate(figs):
        reason = _filter_reason(text, low, f.fig)
        if reason:
            f.reason = reason
            continue
        f.code = indicators.classify(views[i], f.fig.kind, candidates)
        if f.code is None and f.fig.kind == "fraction":
            whole = indicators.classify_whole(views[i], candidates)
            if whole:  # "1.542/1.871 DVCTT": the whole is the figure we know
                f.fig.value, f.fig.denominator, f.code = f.fig.denominator, None, whole
    return SentenceContext(s, low, figs, views, candidates, cues, state)


def sentence_context(text: str, state: ReadingState | None = None, post_merger: bool = False) -> SentenceContext:
    """One sentence read on its own, up to the sentence rules (for tests and for trying a phrasing)."""
    s = Sentence(0, len(text), text, 0, 0)
    low = fold.one_spelling(fold.lower(text))
    figures, _ = find_figures(text, low)
    cues = places.place_cues(text, post_merger, low)
    state = state or ReadingState(doc_geo="01", scope="01", last_province="01")
    return classify_by_cues(s, low, [FigureReading(f) for f in figures if not _is_noise(text, f)], cues, state)


def _is_noise(text: str, f: Figure) -> bool:
    """A bare number on its own line (a list marker or a picture counter)."""
    return len(text.strip()) <= 4 and f.kind == "count"


def _filter_reason(text: str, low: str, f: Figure) -> str | None:
    before = text[max(0, f.start - 30) : f.start]
    after = text[f.end : f.end + 40]
    delta = f.kind != "rank" and _DELTA_SCAN.search(before, low[max(0, f.start - 30) : f.start])
    if delta and not re.search(r"\b(?:từ|lên|đạt)\s*$", before, re.I):
        return "delta"
    if f.kind == "percent" and (_COMPLETION_AFTER.search(after) or _PER_YEAR_AFTER.search(after)):
        return "completion"
    if "mỗi" in before and _PER_UNIT_BEFORE.search(before):
        return "per_unit"  # "mỗi thôn thành lập 01 Tổ công nghệ số": a quantity per unit, not a total
    return None


_PER_UNIT_BEFORE = fold.compile_quick(r"\bmỗi\s+\w+(?:\s+\w+)?\s+(?:thành lập|có|được|đều có|bố trí)?\s*$", re.I)


_QUALIFIER_BEFORE_MARK = fold.compile_quick(
    r"\b(?:hơn|trên|khoảng|gần|tối thiểu|ít nhất|xấp xỉ|ước tính|ước|chừng|chưa đến|chưa tới|dưới|tới|gần như|"
    r"không dưới|không quá)\s+(?=[#@])"
)


def _views(low: str, figs: list[Figure]) -> list[str]:
    """For each figure, the sentence with it marked '#' and the other figures '@'.

    Qualifiers right before a figure ("hơn", "khoảng", "tối thiểu") are read from the text separately and
    dropped here, so that the cue patterns need not spell them out; so are the dots of abbreviations ("TP.
    Pleiku"), which would end the patterns' gaps, and a bracket that only restates a figure ("4.500 (70,8%)
    thủ tục"), which would part it from its noun.
    """
    low = _ABBREVIATION_DOT.sub(" ", low)
    out = []
    for i in range(len(figs)):
        parts = []
        pos = 0
        for j, f in enumerate(figs):
            parts.append(low[pos : f.start])
            parts.append(_placeholder(low[f.start : f.end], f, "#" if i == j else "@"))
            pos = f.end
        parts.append(low[pos:])
        view = _QUALIFIER_BEFORE_MARK.sub("", "".join(parts))
        out.append(_RESTATED.sub(r"\1", view) if "(" in view else view)
    return out


# the dot first: `re` then jumps from dot to dot instead of trying every position
_ABBREVIATION_DOT = re.compile(
    r"\.(?:"
    + "|".join(rf"(?<=\b{a}\.)" for a in ("tp", "tx", "tt", "ts", "ths", "pgs", "gs", "q", "p"))
    + r")(?=\s*\w)"
)
_RESTATED = fold.compile_quick(r"([#@]%?)\s*\(\s*(?:tương đương|tương ứng|đạt|chiếm)?\s*[#@]%?\s*\)")


_CORE = fold.compile_quick(r"\d[\d.,]*(?:\s*/\s*\d[\d.,]*)?|\b(?:nhất|nhì|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|mười)\b")


def _placeholder(segment: str, f: Figure, mark: str) -> str:
    if f.kind == "rank":
        if f.rank_word:
            return mark + segment if mark == "#" else segment
        m = _CORE.search(segment)
        return segment[: m.start()] + mark + segment[m.end() :] if m else mark + segment
    return mark + ("%" if f.kind == "percent" else "")


_HELD_YEARS = fold.compile_quick(r"\bnăm liên tiếp\s*\(\s*(20\d\d)\s*[-–]\s*(20\d\d)\s*\)", re.I)
_YEARS_IN_TURN = fold.compile_quick(r"năm\s+(20\d\d(?:\s*(?:,|và)\s*20\d\d)+)[^.;]{0,80}?\blần lượt\b", re.I)


def _assign_periods(
    text: str,
    figs: list[FigureReading],
    periods: list[dates.PeriodMention],
    state: ReadingState,
    reporting: str | None,
    rd: dates.ReportDate,
    index: int,
) -> None:
    usable = [p for p in periods if p.kind != "reference"]
    for p in (p for p in periods if p.kind == "reference"):  # "so với DTI 2022 (27/63)": the compared figure's
        after = next((f for f in figs if 0 <= f.fig.start - p.end <= 16), None)
        if after is not None and re.fullmatch(
            r"[\s(:]*(?:là\s*|(?:xếp|đứng)(?:\s+(?:thứ|hạng|thứ hạng))?\s*)?", text[p.end : after.fig.start], re.I
        ):
            after.period, after.period_explicit = p.label, True
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
    held = "liên tiếp" in text and _HELD_YEARS.search(text)  # "giữ vững vị trí 3 năm liên tiếp (2020-2022)"
    if held:
        y0, y1 = int(held.group(1)), int(held.group(2))
        for f in figs:
            if f.code and f.fig.kind == "rank" and f.fig.end <= held.start() and 0 < y1 - y0 < 10:
                f.period, f.period_explicit = str(y1), True
                f.also_periods = [str(y) for y in range(y0, y1)]
    default = state.period_frame or reporting or rd.stated()
    horizons = any(p.kind == "horizon" for p in usable)
    for i, f in enumerate(figs):
        if f.period:
            continue
        # a goal's period is its horizon ("phấn đấu đến năm 2025, ..."): only a sentence with one asks
        target = f.target or (horizons and _is_target(f, text, state, index))
        if i in owned:
            p = owned[i]
            f.period, f.period_explicit = p.label, p.label is not None
            continue
        candidates = [p for p in usable if id(p) not in owned_ids and p.kind != "list"]
        if not target:  # "Đến hết năm 2024, 100% thôn đã được phủ sóng" in an undated report: where it stands
            candidates = [p for p in candidates if p.kind != "horizon" or _not_ahead(p, rd)]
        if f.code and catalog.indicators()[f.code].unit in {"rank", "score"}:
            index = [p for p in candidates if p.kind == "index"]
            if index:
                f.period, f.period_explicit = index[-1].label, True
                continue
            if state.index_year and not any(p.kind in {"year", "span"} for p in candidates):
                f.period, f.period_explicit = state.index_year, True  # the index the report is about
                continue
        clause = clause_start(text, f.fig.start)
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
        if f.period and not f.period_explicit and f.code and catalog.indicators()[f.code].unit in {"rank", "score"}:
            f.period = f.period[:4]  # an index of the report's time is of its year, not of the report's day


def _not_ahead(p: dates.PeriodMention, rd: dates.ReportDate) -> bool:
    """A horizon that is not ahead of the report (or of a report of unknown date) can date an achievement."""
    return rd.inferred and p.label is not None and p.label[:4].isdigit() and int(p.label[:4]) <= (rd.year or 0)


_NO_PLACE_KINDS = {"non_place", "non_place_scope", "operator"}


def _governing_place(
    f: FigureReading, text: str, cues: list[places.PlaceCue], state: ReadingState, post_merger: bool
) -> tuple[str | None, str, str | None] | None:
    """(geo_code, geo_level, geo_name) of a figure, or None when its subject is not a place."""
    pos = f.fig.start
    clause = clause_start(text, pos)
    left = [
        c
        for c in cues
        if c.end <= pos and not c.comparison and (c.kind not in {"non_place", "operator"} or c.start >= clause)
    ]
    if f.fig.rank_word and not any(c.kind in {"province", "national", "own"} and not c.comparison for c in cues):
        return (None, "province", None)  # "Dẫn đầu nhiều chỉ số": a heading, not a ranking of a place
    if f.fig.kind == "rank":  # "xếp thứ hai là Quảng Ninh": the place the rank is given to, whoever came before
        named = _NAMED_AFTER_RANK.match(text, f.fig.end)
        after = named and next((c for c in cues if c.kind == "province" and c.start == named.end()), None)
        if after is not None:
            return (after.code, "province", None)
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
            if c.start < clause and not _is_subject(c, cues, pos):
                continue
            return (state.province_in_scope(), c.kind, c.name)
        if c.kind == "own":
            named = next((x for x in reversed(left) if x.kind == "province" and x.end <= c.start), None)
            if named is not None:
                return (named.code, "province", None)
            unit = next((x for x in reversed(left) if x.kind in {"district", "commune"} and x.end <= c.start), None)
            if unit is not None and _BARE_OWN.fullmatch(text, c.start, c.end):  # "Tại thành phố X, ... trên địa bàn"
                return (state.province_in_scope(), unit.kind, unit.name)
        if c.kind == "sub_anaphora":
            unit = next((x for x in reversed(left) if x.kind == c.name), None)
            if unit:
                return (state.province_in_scope(), unit.kind, unit.name)
            if state.last_sub_unit:
                return (state.province_in_scope(), *state.last_sub_unit)
            continue
        return _cue_geo(c, state)
    right = [
        c
        for c in cues
        if c.start >= f.fig.end
        and c.kind == "province"
        and not c.comparison
        and ";" not in text[f.fig.end : c.start]
        and c.start - f.fig.end < 150
    ]
    if right and re.search(
        r"\b(?:là|thuộc về|của|trên địa bàn|tại)\s+(?:(?:UBND|Ủy ban nhân dân)\s+)?(?:tỉnh\s+|thành phố\s+|TP\.?\s*)?$",
        text[f.fig.end : right[0].start],
        re.I,
    ):
        return (right[0].code, "province", None)
    # "Kinh tế số chiếm 8,7% GRDP của tỉnh": the province's own figure, whatever the sentence before was about
    own_after = next(
        (c for c in cues if c.kind == "own" and 0 <= c.start - f.fig.end < 40 and ";" not in text[f.fig.end : c.start]),
        None,
    )
    grdp = _GRDP_AFTER.match(text, f.fig.end)  # a share of GRDP (regional product) is a province's; GDP the nation's
    if (own_after is not None or grdp) and state.province_in_scope():
        return (state.province_in_scope(), "province", None)
    if state.scope is None:
        return (None, "province", None)
    return (state.scope, "national" if state.scope == "00" else "province", None)


_NAMED_AFTER_RANK = re.compile(
    r"\s*(?:là|thuộc về)\s+(?:(?:UBND|Ủy ban nhân dân)\s+)?(?:tỉnh\s+|thành phố\s+|TP\.?\s*)?", re.I
)
_BARE_OWN = re.compile(r"trên địa bàn", re.I)
_GRDP_AFTER = re.compile(r"[\s%]*(?:trong\s+|của\s+)?(?:tổng sản phẩm[^.;]{0,20}\()?GRDP\b")


def _is_subject(c: places.PlaceCue, cues: list[places.PlaceCue], pos: int) -> bool:
    """Is the unit what the sentence is about ("huyện Pác Nặm tập trung ...: 80% ...; 75% ..."): named at its start,
    and no other place named between it and the figure?"""
    return c.start < 40 and not any(
        o.kind in {"province", "national", "district", "commune"} and c.end <= o.start < pos for o in cues
    )


_SUBJECT_LEAD = re.compile(r"\s*(?:(?:trong đó|cụ thể|đó là|gồm|riêng)\s*[,:]?\s*)?(?:tỉnh\s+)?", re.I)


def _listed_subjects(text: str, cues: list[places.PlaceCue]) -> list[places.PlaceCue]:
    """Provinces listed as the sentence's subject ("Hà Nam, Hà Tĩnh và Lạng Sơn là ba địa phương ...")."""
    provinces = [c for c in cues if c.kind == "province" and not c.comparison]
    if len(provinces) < 2 or not _SUBJECT_LEAD.fullmatch(text[: provinces[0].start]):
        return []
    listed = [provinces[0]]
    for c in provinces[1:]:
        if not re.fullmatch(r"\s*(?:,|và|,\s*và)\s*", text[listed[-1].end : c.start]):
            break
        listed.append(c)
    gap_words = text[listed[-1].end : listed[-1].end + 12]
    return listed if len(listed) >= 2 and re.match(r"\s+(?:là|đã|đều|cùng|hoàn thành|đạt)\b", gap_words) else []


def _cue_geo(c: places.PlaceCue, state: ReadingState) -> tuple[str | None, str, str | None] | None:
    if c.kind == "province":
        return (c.code, "province", None)
    if c.kind == "national":
        return ("00", "national", None)
    if c.kind == "own":
        code = state.province_in_scope()
        return (code, "province", None)
    return None  # non_place


def _emit(
    f: FigureReading,
    s: Sentence,
    report_id: str,
    cues: list[places.PlaceCue],
    state: ReadingState,
    post_merger: bool,
    observations: list[Observation],
    mentions: list[UnmappedMention],
) -> None:
    text = s.text
    fig = f.fig
    geos = None
    if f.code and fig.bound and not _is_target(f, text, state, s.index):
        f.reason, f.code = "band", None  # "lần đầu vào Top 10": a band reached is no rank; one aimed at is
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
        if geo is not None and geo[1] == "province" and _beyond_a_province(f):
            geo = ("00", "national", None)  # "hơn 83,5 triệu người dân đã đăng ký": no province has as many
        no_place_before = any(c.kind in _NO_PLACE_KINDS and c.end <= fig.start for c in cues)  # "Châu Âu dẫn đầu"
        if geo is not None and f.code in catalog.vocabulary()["national_only"] and not no_place_before:
            geo, geos = ("00", "national", None), []  # a province's report quoting the nation's figure
        if geo is not None and geo[0] is None and not geos:
            geo = (None, "unknown", None)  # a place's figure, but the text never says which: kept, flagged
        elif geo is None or geo[0] is None:
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
    target = _is_target(f, text, state, s.index)
    qual = "target" if target else (fig.bound if fig.kind == "rank" else qualifiers.qualifier(text[: fig.start]))
    inds = catalog.indicators()
    places_codes = ((g, c, p) for g in (geos or [geo]) for c in [f.code, *f.extra] for p in [f.period, *f.also_periods])
    for (geo_code, level, name), code, period in places_codes:
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
                period=period,
                qualifier=qual,
                evidence=text,
                char_start=s.start,
                char_end=s.end,
                period_explicit=f.period_explicit,
            )
        )


def _beyond_a_province(f: FigureReading) -> bool:
    vocabulary = catalog.vocabulary()
    return f.code in vocabulary["people_counts"] and f.fig.value > vocabulary["province_people_max"]


def _is_target(f: FigureReading, text: str, state: ReadingState, index: int) -> bool:
    left = text[clause_start(text, f.fig.start) : f.fig.start]
    in_mode = state.target_mode is not None and not (
        state.target_from[0] == index and f.fig.start < state.target_from[1]
    )
    return f.target or qualifiers.is_target(left) or in_mode


def _has_operator(cues: list[places.PlaceCue]) -> bool:
    return any(c.kind == "operator" for c in cues)


def _update_state(
    text: str,
    low: str,
    cues: list[places.PlaceCue],
    periods: list[dates.PeriodMention],
    s: Sentence,
    state: ReadingState,
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
            state.scope = state.province_in_scope()
            break
    for c in cues:
        if c.kind in {"district", "commune"}:
            state.last_sub_unit = (c.kind, c.name)
    index = [p.label for p in periods if p.kind == "index" and p.label]
    if index:
        state.index_year = index[-1]
    head = [p for p in periods if p.start < 60 and p.kind in {"span", "year", "asof"} and p.label]
    if head:
        state.period_frame = head[0].label
    if sentence_rules.about_dti(low):
        state.rank_topic, state.rank_topic_at = "dti_rank", s.index
    elif ("egdi" in low or "chính phủ điện tử" in low) and _EGDI_TOPIC.search(low):
        state.rank_topic, state.rank_topic_at = "egdi_rank", s.index


_EGDI_TOPIC = fold.compile_quick(r"\begdi\b|chính phủ điện tử")


def _dedupe(observations: list[Observation]) -> list[Observation]:
    """A figure stated twice (headline and body) is one observation: keep the one with the explicit period, and
    drop a rounded repeat ("Hơn 1,2 triệu tài khoản" in the headline of a body that gives 1.204.550)."""

    def key(o: Observation) -> tuple:
        return (o.geo_code, o.geo_level, o.geo_name, o.indicator, o.qualifier == "target")

    keys = {id(o): key(o) for o in observations}  # each key once: the loops below compare them pairwise
    kept: list[Observation] = []
    for o in observations:
        k_o, v_o = keys[id(o)], round(o.value, 4)
        twin = next((k for k in kept if keys[id(k)] == k_o and round(k.value, 4) == v_o), None)
        if twin is None:
            kept.append(o)
        elif twin.period != o.period:
            if twin.period_explicit and o.period_explicit:
                kept.append(o)  # the same value for two stated periods (12,87% in 2021 and in 2023)
            elif o.period_explicit and not twin.period_explicit:
                kept[kept.index(twin)] = o
    return [o for o in kept if not any(_rounds(o, k) for k in kept if k is not o and keys[id(k)] == keys[id(o)])]


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
