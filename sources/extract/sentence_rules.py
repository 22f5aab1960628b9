"""Sentence rules: how these reports are written, applied to one sentence after the indicator cues.

The cues (`indicator_cues.yml`) classify a figure by the words around it. Many figures carry no such words
of their own: the second end of a comparison, a bare rate after its count, the next item of a list, a rank
in a passage about a ranking. Each rule below reads one such habit of report prose and decides what it can
on a `SentenceContext`. They run in the order of `RULES`: a later rule sees what the earlier ones decided.

Rules describe the prose, never one report: a rule is worth keeping when it reads sentences of other
provinces and years too (each has unit tests in `tests/unit/test_sentence_rules.py`). Word lists live in
`sources/catalog/vocabulary.yml`; finding figures, places and periods is done elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from sources import catalog
from sources.extract import fold, indicators
from sources.extract.context import FigureReading, SentenceContext
from sources.extract.numbers import Figure

SentenceRule = Callable[[SentenceContext], None]

_NOT_CONTENT = fold.compile_quick(
    r"\(?\s*(?:năm|trong năm|đến năm|đến hết năm|vào năm)\s+\d{4}\s*\)?|\b(?:vượt|mục tiêu|chỉ tiêu|đề ra|kế hoạch|"
    r"so với|giao|trên địa bàn|toàn tỉnh|toàn thành phố|tỉnh|thành phố|cả nước|toàn quốc|của|chung)\b|[,;:()…%@]",
    re.I,
)
_BARE_RIGHT = fold.compile_quick(
    r"^\s*(?:[.,;:)…]|$|so với|trên tổng|của tổng|tổng số|\(|(?:vào |trong |đến )?(?:năm|cuối năm|hết năm) \d{4}"
    r"|và\s+(?:huyện|xã|phường|quận|thị xã|thị trấn|thành phố|tỉnh|tp|đặc khu)\b"
    r"|(?:do|vì|nhờ|bởi|cao nhất|thấp nhất)\b)",
    re.I,
)
_TARGET_LEFT = fold.compile_quick(
    r"(?:(?:mục tiêu|chỉ tiêu|kế hoạch)(?:\s+(?:đề ra|giao|được giao|đặt ra))?"
    r"|phấn đấu(?:\s+(?:đến|vào)\s+(?:cuối\s+|hết\s+)?năm\s+20\d\d)?,?)(?:\s+(?:là|đạt|của))?[\s(:]*$",
    re.I,
)
_BARE_AFTER_PLACE = re.compile(r"\s*,?\s*(?:với|đạt|mới đạt|chỉ đạt|là|có|đạt mức)\s*(?:khoảng|gần|hơn|trên)?\s*", re.I)
_ANAPHORA = fold.compile_quick(r"\b(?:tỷ trọng|tỷ lệ|tỉ lệ|con số|chỉ số) (?:này|đó)\b", re.I)
_RIGHT_BEFORE_MARKER = re.compile(r"(?:\s*[^\s,;:()]+){0,2}\s*[(,:]?\s*")
_YEAR_LED = re.compile(
    r"\s*(?:riêng\s+)?(?:năm|trong năm|đến năm|quý \w+ năm)\s+20\d\d\s*,?\s*(?:ước\s+)?(?:đạt|là)?\s*", re.I
)
_BREAKDOWN = fold.compile_quick(r"\b(?:trong đó|gồm|bao gồm)\s*(?:có\s*)?:?\s*", re.I)
_THREE_PILLARS = fold.compile_quick(r"(?:cả\s+)?(?:3|ba)\s+trụ cột", re.I)
_EXPLICIT_TOPIC_AFTER = fold.compile_quick(r"^[^;.]{0,50}?(?<!thuộc )\bvề\s+(\w+\s+\w+)", re.I)
_SUB_UNITS = {"province", "district", "commune"}
_SCORES = {"dti_score", "digital_infrastructure_score"}


@cache
def _generic_words() -> frozenset[str]:
    return frozenset(catalog.vocabulary()["generic_words"])


@cache
def _noun_families() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(f) for f in catalog.vocabulary()["noun_families"])


@cache
def pillars() -> dict[str, str]:
    """Pillar name or abbreviation (lower case) → its rank indicator, in the order reports list them."""
    return {name: code for code, names in catalog.vocabulary()["pillars"].items() for name in names}


@cache
def _pillar_words() -> str:
    return "|".join(rf"\b{re.escape(name)}\b" for name in pillars())


# --- reading helpers --------------------------------------------------------------------------------------


def is_bare(left: str, strict: bool = False) -> bool:
    """Does the figure only say "đạt (tỷ lệ) 77%", leaving its subject to the words before?

    `strict`: every word between two figures is generic ("82,4%, và 80%"), not just the last few.
    """
    if not strict:
        last = max(left.rfind(","), left.rfind("("), left.rfind(":"), left.rfind("@"))
        left = left[last + 1 :] if last >= 0 else left
    words = _NOT_CONTENT.sub(" ", left).split()
    generic = _generic_words()
    if strict:
        return all(w in generic for w in words)
    return all(w in generic for w in words[-4:]) and len(words) <= 6


def unnamed(text: str) -> str:
    """The words of a phrase without proper names ("phường Vĩnh Phúc dẫn đầu với" → "phường dẫn đầu với")."""
    words = [w for w in re.split(r"(\s+)", text) if not w[:1].isupper()]
    return re.sub(
        r"\b(?:dẫn đầu|đứng đầu|cao nhất|thấp nhất|xã|phường|huyện|quận|thị xã|thị trấn)\b",
        " ",
        "".join(words).lower(),
    )


def same_family(low: str, a: Figure, b: Figure) -> bool:
    """Do two counts count the same kind of thing (the first noun after each)?"""

    def family(f: Figure) -> int | None:
        after = low[f.end : f.end + 20].strip()
        return next((k for k, nouns in enumerate(_noun_families()) if after.startswith(nouns)), None)

    fa, fb = family(a), family(b)
    return fa is not None and fa == fb


# --- the rules --------------------------------------------------------------------------------------------


def ranges_of_values(ctx: SentenceContext) -> None:
    """ "dao động từ khoảng 40% đến gần 50%", "từ 12 đến 15 điểm": the ends of a range are no figure of a place
    (several places lie between them, or the value is not known). A change ("tăng từ 40% lên 50%") is no range."""
    figs, low = ctx.figs, ctx.low
    for f, g in zip(figs, figs[1:], strict=False):
        if f.fig.kind != g.fig.kind or not (f.code or g.code):
            continue
        left = low[max(0, f.fig.start - 45) : f.fig.start]
        between = low[f.fig.end : g.fig.start]
        if _RANGE_FROM.search(left) and _RANGE_TO.fullmatch(between) and not _CHANGE_VERB.search(left):
            for r in (f, g):
                r.code, r.extra, r.reason = None, [], "range"


_QUALIFIER_WORDS = r"(?:khoảng|gần|hơn|trên|dưới|mức|xấp xỉ)"
_RANGE_FROM = fold.compile_quick(rf"\btừ\s*(?:{_QUALIFIER_WORDS}\s*)?$")
_RANGE_TO = re.compile(rf"\s*%?\s*(?:đến|tới)\s*(?:{_QUALIFIER_WORDS}\s*)?")
_CHANGE_VERB = fold.compile_quick(r"\b(?:tăng|giảm|nâng|hạ|cải thiện|vươn|tụt)\b[^,;.]*$")


def comparison_ends(ctx: SentenceContext) -> None:
    """Both ends of a comparison are one indicator: "từ 56% (năm 2022) lên 87,4%", "đạt 68,4%, tăng từ 52,7%",
    "so với mức 27,9% của cùng kỳ"."""
    figs, low = ctx.figs, ctx.low
    for i, f in enumerate(figs):
        if not f.open:
            continue
        before = low[max(0, f.fig.start - 12) : f.fig.start]
        if re.search(r"\btừ\s*$", before):
            for g in figs[i + 1 :]:
                if g.code and g.fig.kind == f.fig.kind and re.search(r"\blên\b", low[f.fig.end : g.fig.start]):
                    f.code = g.code
                    break
        if f.code is None and (
            re.search(r"\b(?:lên|từ|so với)\s*(?:mức|con số)?\s*$", before)
            or re.search(r"\bso với\b[^,;()@#]{0,25}\(\s*$", low[max(0, f.fig.start - 40) : f.fig.start])
        ):
            for g in reversed(figs[:i]):
                if g.code and g.fig.kind == f.fig.kind and ";" not in low[g.fig.end : f.fig.start]:
                    f.code = g.code
                    break


def rate_after_its_count(ctx: SentenceContext) -> None:
    """A bare rate takes the rate of the count before it ("762.284 tài khoản ..., đạt tỷ lệ 77%"), or the rate
    indicator whose subject the clause names ("tỷ lệ ... kích hoạt ... đạt 77%")."""
    figs, text, views = ctx.figs, ctx.text, ctx.views
    inds = catalog.indicators()
    wholes = {ind.whole_code for ind in inds.values() if ind.whole_code}
    for i, f in enumerate(figs):
        if not f.open or f.fig.kind != "percent":
            continue
        view = views[i]
        hash_at = view.find("#")
        clause = view.rfind(";", 0, hash_at) + 1
        left_start = max(ctx.clause_start(f.fig.start), figs[i - 1].fig.end if i else 0)
        if not is_bare(unnamed(text[left_start : f.fig.start])):
            continue
        clause_low = ctx.clause_start(f.fig.start)
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
            f.code = indicators.classify_subject(view[clause:hash_at], "percent", ctx.candidates)
        if f.code is None and clause > 0 and bare_right and not in_clause:
            f.code = indicators.classify_subject(view[:hash_at], "percent", ctx.candidates)


def same_indicator_again(ctx: SentenceContext) -> None:
    """A bare figure after a classified one of its kind is the same indicator again: "đạt 20% vào năm 2025 và
    30% vào năm 2030", "đạt 82,4%, vượt mục tiêu 80%", "huyện A mới đạt 21,6% và huyện B 24,9%"; also "tỷ lệ
    này", a place and its bare rate right after a sentence about that rate, and the short phrasings of an
    indicator the text just spoke of (anaphora in the cues)."""
    figs, text, views, state, s = ctx.figs, ctx.text, ctx.views, ctx.state, ctx.sentence
    for i, f in enumerate(figs):
        if not f.open or f.fig.kind not in {"percent", "rank", "count", "decimal"}:
            continue
        view = views[i]
        hash_at = view.find("#")
        clause = view.rfind(";", 0, hash_at) + 1
        prev = next((g for g in reversed(figs[:i]) if g.fig.kind == f.fig.kind and g.code), None)
        bare_right = bool(_BARE_RIGHT.match(view[hash_at + (2 if f.fig.kind == "percent" else 1) :]))
        if prev is not None:
            between = text[prev.fig.end : f.fig.start]
            target = bool(_TARGET_LEFT.search(view[clause:hash_at]))  # "vượt chỉ tiêu 16% đề ra"
            another_place = any(c.kind in _SUB_UNITS and prev.fig.end <= c.start < f.fig.start for c in ctx.cues)
            # "lần lượt là 11,91% và 14,26%; năm 2023 ước đạt 16,5%": a clause led by its year goes on
            year_led = bool(_YEAR_LED.fullmatch(between.rsplit(";", 1)[-1]))
            if (";" not in between or another_place or year_led) and (
                (target and ";" not in between)
                or (
                    (bare_right or year_led)
                    and is_bare(unnamed(between) if another_place else between.lower(), strict=True)
                )
            ):
                f.code, f.target = prev.code, f.target or target
                continue
        if f.fig.kind == "percent" and state.last_percent_code and _ANAPHORA.search(view[clause:hash_at]):
            f.code = state.last_percent_code
            continue
        # "Dẫn đầu là Hà Nam với 89,7%; thấp nhất là Cao Bằng với 41,2%" right after a sentence about a rate
        if (
            f.fig.kind == "percent"
            and state.last_percent_code
            and s.index - state.recent.get(state.last_percent_code, -9) <= 1
        ):
            start = ctx.clause_start(f.fig.start)
            named = [c for c in ctx.cues if c.kind in _SUB_UNITS and start <= c.start < f.fig.start]
            if named and _BARE_AFTER_PLACE.fullmatch(text[named[-1].end : f.fig.start]):
                f.code = state.last_percent_code
                continue
        recent = {c for c, at in state.recent.items() if s.index - at <= 3}
        recent |= {g.code for g in figs if g.code}  # the same sentence spoke of it already
        if recent:
            f.code = indicators.classify_anaphora(view, f.fig.kind, recent)


def target_after_slash(ctx: SentenceContext) -> None:
    """ "109 tài khoản/2.068 chỉ tiêu giao": the count after the slash is the target of the same indicator."""
    figs, low = ctx.figs, ctx.low
    for i, f in enumerate(figs[1:], 1):
        prev = figs[i - 1]
        if not f.code and prev.code and prev.fig.kind == "count" and f.fig.kind == "count":
            between = low[prev.fig.end : f.fig.start]
            after = low[f.fig.end : f.fig.end + 20]
            if between.rstrip().endswith("/") and re.match(r"\s*(?:chỉ tiêu|kế hoạch)", after):
                f.code, f.target = prev.code, True


def scores_of_the_ranking(ctx: SentenceContext) -> None:
    """ "Hà Nội xếp thứ 2 với 0,6284 điểm", "Bắc Ninh đạt 0,5912 điểm, xếp thứ 5", "dẫn đầu với giá trị 0,6284",
    "tiếp theo là Quảng Ninh (0,5647)": in a passage about the DTI, a score below 1 in "điểm", after "với giá trị",
    or in brackets after a place is the DTI score of the place (a pillar's score is no indicator: its words
    exclude it)."""
    if _topic(ctx) != "dti_rank" and not about_dti(ctx.low):
        return
    exclude = indicators.rules_by_code()["dti_score"].exclude
    for i, f in enumerate(ctx.figs):
        if not (f.open and f.fig.kind == "decimal" and 0 < f.fig.value < 1):
            continue
        before = ctx.low[max(0, f.fig.start - 30) : f.fig.start]
        in_points = re.match(r"\s*điểm\b", ctx.low[f.fig.end :])
        valued = _VALUED.search(before)  # "dẫn đầu với giá trị 0,6284"
        bracketed = re.search(r"\(\s*$", before) and _name_before(ctx.text, ctx.text.rfind("(", 0, f.fig.start))
        if (in_points or valued or bracketed) and not any(x.search(ctx.views[i]) for x in exclude):
            f.code = "dti_score"


_VALUED = fold.compile_quick(r"\b(?:với|đạt)\s+(?:giá trị|số điểm|điểm)(?:\s+là)?\s*$")


def ranks_of_the_topic(ctx: SentenceContext) -> None:
    """ "đứng đầu cả 3 trụ cột" gives a rank to each pillar; a bare rank continues the ranking the passage is
    about ("xếp thứ 13/63" after a sentence on the DTI)."""
    figs, low, views, state, s = ctx.figs, ctx.low, ctx.views, ctx.state, ctx.sentence
    by_code = indicators.rules_by_code()
    codes_of_pillars = list(dict.fromkeys(pillars().values()))
    for i, f in enumerate(figs):
        if f.fig.kind != "rank":
            continue
        clause = ctx.clause_start(f.fig.start)
        clause_end = low.find(";", f.fig.end)
        clause_text = low[clause : clause_end if clause_end >= 0 else len(low)]
        nxt = next((g.fig.start for g in figs[i + 1 :] if g.fig.kind == "rank"), len(low))
        prv = next((g.fig.end for g in reversed(figs[:i]) if g.fig.kind == "rank"), clause)
        own_span = low[max(clause, prv) : min(nxt, clause + len(clause_text))]
        three = _THREE_PILLARS.search(own_span)
        rel = f.fig.start - max(clause, prv)
        if three and (three.start() > rel or re.search(r"\bđều\b", own_span[three.end() : rel])):
            codes = (["dti_rank"] if f.code == "dti_rank" else []) + codes_of_pillars
            f.code, f.extra = codes[0], codes[1:]
            continue
        if f.code is None:
            # a bare rank leads its clause, or follows only ranks and the scores given with them
            first_in_clause = all(g.fig.start < clause or g.fig.kind == "rank" or g.code in _SCORES for g in figs[:i])
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


def ranks_listed_by_pillar(ctx: SentenceContext) -> None:
    """ "xếp thứ 3 về chính quyền số, 11 về kinh tế số và 4 về xã hội số": after a rank, a bare number followed
    by "về <pillar>" is that pillar's rank."""
    names, by_pillar = pillars(), _by_pillar()
    seen_rank = False
    for f in ctx.figs:
        if f.fig.kind == "rank":
            seen_rank = True
            continue
        m = by_pillar.match(ctx.low, f.fig.end)
        if seen_rank and m and f.open and f.fig.kind == "count" and 1 <= f.fig.value <= 63:
            f.fig = Figure(f.fig.start, f.fig.end, f.fig.text, "rank", f.fig.value)
            f.code = names[m.group(1)]


@cache
def _by_pillar() -> re.Pattern[str]:
    return re.compile(rf"\s*(?:về|ở)\s+(?:trụ cột\s+)?({_pillar_words()})")


def pillars_sharing_a_rank(ctx: SentenceContext) -> None:
    """ "Kinh tế số và Xã hội số đồng xếp hạng 58/63": one rank for both pillars named before "đồng / đều / cùng"."""
    names, words = pillars(), _pillar_words()
    joint_pillars = re.compile(
        rf"((?:{words})(?:\s*(?:,|và)\s*(?:{words}))+)(?:\s+(?:của|tại)\s+[^,;]{{1,30}}?)?\s+(?:đồng|đều|cùng)\b[^,;]{{0,20}}$"
    )
    for f in ctx.figs:
        if f.fig.kind != "rank" or f.code not in names.values():
            continue
        joint = joint_pillars.search(ctx.low, ctx.clause_start(f.fig.start), f.fig.start)
        if joint:
            codes = [names[m.group(0)] for m in re.finditer(words, joint.group(1))]
            f.code, f.extra = codes[0], codes[1:]


def counts_behind_their_rate(ctx: SentenceContext) -> None:
    """ "Nghệ An đạt 72,35% (224.930/310.903 hồ sơ)": a fraction restating a rate is the count the rate is of."""
    rate_of = _counts_of_rates()
    for prev, f in zip(ctx.figs, ctx.figs[1:], strict=False):
        restates = re.fullmatch(r"\s*\(\s*", ctx.text[prev.fig.end : f.fig.start])
        if f.open and f.fig.kind == "fraction" and prev.fig.kind == "percent" and prev.code in rate_of and restates:
            f.code = rate_of[prev.code]


@cache
def _counts_of_rates() -> dict[str, str]:
    return {code: ind.rate_of for code, ind in catalog.indicators().items() if ind.rate_of}


def whole_of_count(ctx: SentenceContext) -> None:
    """The whole a count is part of: "762.284 tài khoản ... trên tổng số 980.226 công dân", or "229.704 hồ sơ,
    trong đó ... 174.411 hồ sơ" (a whole of the same kind that is no indicator of ours)."""
    figs, low = ctx.figs, ctx.low
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
            and same_family(low, whole.fig, f.fig)
            and _BREAKDOWN.search(low, whole.fig.end, f.fig.start)
            and whole.fig.value > f.fig.value
        ):
            f.fig.denominator = whole.fig.value


def respectively(ctx: SentenceContext) -> None:
    """ "lần lượt": pillars named before the turn take the ranks after it, in order; ranks before the turn take
    the provinces after it ("Vị trí thứ hai và thứ ba lần lượt thuộc về TP.HCM và Hà Nội"); provinces after it
    take the figures that follow them ("lần lượt là A, B và C, với 79,4%, 72,6% và 68,1%")."""
    figs, low, cues = ctx.figs, ctx.low, ctx.cues
    turn = re.search(r"\blần lượt\b", low) if "lần lượt" in low else None
    if not turn:
        return
    _rates_named_before_the_turn(ctx, turn.start())
    head = low[: turn.start()]
    named = sorted((m.start(), pillars()[m.group(0)]) for m in re.finditer(_pillar_words(), head))
    after = [f for f in figs if f.fig.kind == "rank" and f.fig.start > turn.start()]
    if len(named) == len(after) > 1:
        for f, (_, code) in zip(after, named, strict=True):
            f.code, f.extra = code, []
    before = [f for f in figs if f.fig.kind == "rank" and f.fig.start < turn.start()]
    listed = [c for c in cues if c.kind == "province" and c.start > turn.start()]
    if len(before) == len(listed) > 1:
        for f, c in zip(before, listed, strict=True):
            f.place = (c.code, "province", None)
    elif listed:
        values = [f for f in figs if f.fig.start > listed[-1].end and f.fig.kind != "rank"]
        if len(values) == len(listed) > 1:
            for f, c in zip(values, listed, strict=True):
                f.place = (c.code, "province", None)
    else:  # "Lai Châu, Cao Bằng và Hà Giang lần lượt ở các vị trí 61, 62 và 63": places before, figures after
        places_before = [c for c in cues if c.kind == "province" and c.end <= turn.start() and not c.comparison]
        values = [f for f in figs if f.fig.start > turn.start() and (f.code or f.open)]
        if len(places_before) == len(values) > 1 and len({f.fig.kind for f in values}) == 1:
            for f, c in zip(values, places_before, strict=True):
                f.place = (c.code, "province", None)


def _rates_named_before_the_turn(ctx: SentenceContext, turn: int) -> None:
    """ "các tỷ lệ dịch vụ công có phát sinh hồ sơ và hồ sơ trực tuyến mới đạt lần lượt 51,3% và 54,8%, so với mục
    tiêu 80% và 60%": the rates named before the turn, in order, take the percentages after it (a second run of
    as many after a target word are their targets)."""
    head = ctx.low[:turn]
    found: dict[str, int] = {}
    for rule in ctx.candidates:
        if "percent" not in rule.kinds:
            continue
        ends = [m.end() for p in rule.subject for m in p.finditer(head)]
        if ends:
            found[rule.code] = min(ends)
    named = sorted(found, key=found.get)
    after = [f for f in ctx.figs if f.fig.kind == "percent" and f.fig.start > turn and f.reason != "completion"]
    if len(named) < 2 or len(after) not in {len(named), 2 * len(named)}:
        return
    second_run = len(after) > len(named) and bool(
        _TARGET_WORD.search(ctx.text, after[len(named) - 1].fig.end, after[len(named)].fig.start)
    )
    for k, f in enumerate(after):
        f.code = named[k % len(named)]
        f.target = f.target or (second_run and k >= len(named))


_TARGET_WORD = fold.compile_quick(r"\b(?:mục tiêu|chỉ tiêu|kế hoạch)\b", re.I)


def parts_of_a_breakdown(ctx: SentenceContext) -> None:
    """A part ("trong đó 43 thủ tục ...") is kept only when its whole is one of its parents in the cues; a
    part of the same indicator as its whole is no figure of its own."""
    figs, low = ctx.figs, ctx.low
    by_code = indicators.rules_by_code()
    for i, f in enumerate(figs):
        if not f.code or f.fig.kind not in {"count", "fraction"} or i == 0:
            continue
        markers = list(_BREAKDOWN.finditer(low, ctx.clause_start(f.fig.start), f.fig.start))
        m = markers[-1] if markers else None
        if m is None:
            continue
        before = [g for g in figs[:i] if g.fig.end <= m.start()]
        whole = next((g for g in reversed(before) if same_family(low, g.fig, f.fig)), before[-1] if before else None)
        if whole is None or whole.code is None:
            continue
        # "31.426 (trong đó, 5.310 tài khoản mức 1 ...)": right before the marker, the whole of its own indicator
        enclosing = (
            whole is before[-1]
            and whole.code == f.code
            and _RIGHT_BEFORE_MARKER.fullmatch(low, whole.fig.end, m.start())
        )
        if not (same_family(low, whole.fig, f.fig) or enclosing):
            continue
        if any(c.kind in _SUB_UNITS and m.end() <= c.start < f.fig.start for c in ctx.cues):
            continue  # "cả nước ..., trong đó Hà Nội ...": a place's own figure, not a part of the same kind
        rule = by_code.get(f.code)
        if whole.code == f.code or (rule and whole.code not in rule.parents):
            f.reason, f.code = "breakdown", None


_RANKS_AGAIN = fold.compile_quick(r"\b(?:các |những )?thứ hạng (?:này|trên|tương ứng)\b", re.I)


def ranks_named_before(ctx: SentenceContext) -> None:
    """ "(So sánh với năm 2021, các thứ hạng này là 24, 27, 29)": the ranks of the indicators the sentence before
    listed, in its order."""
    last = ctx.state.last_ranks
    if len(last) < 2 or not _RANKS_AGAIN.search(ctx.low):
        return
    open_ranks = [f for f in ctx.figs if f.fig.kind == "rank" and f.open]
    if len(open_ranks) == len(last):
        for f, code in zip(open_ranks, last, strict=True):
            f.code = code


_LAST_WORD = re.compile(r"[^\s,;:()]+$")


def _name_before(text: str, end: int) -> tuple[int, str] | None:
    """The capitalised words (up to four) that end right before `end` ("... là Tây Hồ (" → "Tây Hồ")."""
    words: list[str] = []
    pos = end
    numbered = re.search(r"\s(\d{1,2})\s*$", text[max(0, end - 4) : end])  # "phường Hà Giang 2 (": its number
    if numbered and text[: end - len(numbered.group(0))].rstrip()[-1:].isalpha():
        words.append(numbered.group(1))
        pos = end - len(numbered.group(0))
    while len(words) < 5:
        head = text[:pos].rstrip()
        m = _LAST_WORD.search(head)
        if not m or not m.group(0)[0].isupper():
            break
        words.insert(0, m.group(0))
        pos = m.start()
    named = [w for w in words if not w.isdigit()]
    return (pos, " ".join(words)) if named else None


def _alone_in_brackets(text: str, fig: Figure) -> bool:
    """Is the figure alone in brackets ("Hà Giang (59)"), with only spaces between it and them?"""
    return text[: fig.start].rstrip().endswith("(") and text[fig.end :].lstrip().startswith(")")


def listed_places_before_their_subject(ctx: SentenceContext) -> None:
    """ "Hậu Giang (58,1%), Sóc Trăng (55,4%) và Bạc Liêu (52%) là những địa phương xếp sau về tỷ lệ hồ sơ trực
    tuyến": figures in brackets after two or more places, the indicator named after the list. The words after the
    last bracket name the subject, as they would before a bare rate."""
    text, low = ctx.text, ctx.low
    bracketed = [
        f for f in ctx.figs
        if (f.open or f.code) and _alone_in_brackets(text, f.fig)
        and _name_before(text, text.rfind("(", 0, f.fig.start))
    ]  # fmt: skip
    if len(bracketed) < 2 or len({f.fig.kind for f in bracketed}) != 1 or all(f.code for f in bracketed):
        return
    after = text.find(")", bracketed[-1].fig.end) + 1
    end = min([i for i in (low.find(";", after), low.find(".", after)) if i >= 0] or [len(low)])
    rest = low[after:end]
    if not re.match(r"^\s*(?:là|đều|lần lượt|cũng|dẫn đầu|(?:xếp|đứng)\s+(?:sau|cuối|đầu))\b", rest):
        return
    coded = {f.code for f in bracketed if f.code}
    code = indicators.classify_subject(rest, bracketed[0].fig.kind, ctx.candidates) or (
        coded.pop() if len(coded) == 1 else None  # the cue read one of them through the words after the list
    )
    if code:
        for f in bracketed:
            if f.open:
                f.code = code


def bare_ranks_in_brackets(ctx: SentenceContext) -> None:
    """ "Các tỉnh đứng cuối bảng xếp hạng DTI 2022 gồm Lai Châu (58), Hà Giang (59) và Cao Bằng (60)": in a
    sentence about a ranking, bare whole numbers in brackets after two or more places are their ranks."""
    if not _RANKING_WORDS.search(ctx.low):
        return
    code = "dti_rank" if about_dti(ctx.low) else _topic(ctx)
    bare = [
        f for f in ctx.figs
        if f.open and f.fig.kind == "count" and f.fig.value == int(f.fig.value) and 1 <= f.fig.value <= 63
        and _alone_in_brackets(ctx.text, f.fig)
        and _name_before(ctx.text, ctx.text.rfind("(", 0, f.fig.start))
    ]  # fmt: skip
    if code is None or len(bare) < 2:
        return
    for f in bare:
        f.fig = Figure(f.fig.start, f.fig.end, f.fig.text, "rank", f.fig.value)
        f.code = code


_RANKING_WORDS = fold.compile_quick(r"\b(?:xếp hạng|bảng xếp hạng|xếp thứ|đứng (?:thứ|đầu|cuối|ở)|vị trí|thứ hạng)\b")
# words that say a sentence is about the DTI (the engine reads the passage's topic with them too)
DTI_TOPIC = fold.Scan(r"\bdti\b|xếp hạng[^.;]{0,20}chuyển đổi số|chỉ số chuyển đổi số")  # gated: "dti", "chuyển đổi số"


def about_dti(low: str) -> bool:
    """Does the (lowercased) sentence speak of the DTI?"""
    return DTI_TOPIC.search(low, low) is not None


def places_in_brackets(ctx: SentenceContext) -> None:
    """ "Tây Hồ (94,4%), Hà Đông (93,4%) và Gia Lâm (88,7%)", "Nông Sơn (tạo lập hồ sơ đạt 115%, tỷ lệ kích hoạt
    đạt 51,19%), Đại Lộc (...)": each figure in a bracket belongs to the place named before the bracket. A name
    that is no province is a unit below the province: a district before the 2025 reorganisation, a commune after
    it."""
    text, state = ctx.text, ctx.state
    pairs, coded = [], set()
    for f in ctx.figs:
        opened = text.rfind("(", 0, f.fig.start)
        if not (f.code or f.open) or opened < 0 or ")" in text[opened : f.fig.start] or ")" not in text[f.fig.end :]:
            continue  # not inside a bracket
        if f.code:
            coded.add((f.code, f.fig.kind))
        named = _name_before(text, opened)
        if named:
            pairs.append((f, *named))
    # "thành phố Lào Cai đạt tỷ lệ cao nhất (89,5%), tiếp đến là thị xã Sa Pa (80,2%)": the list goes on
    codes = coded
    if len(codes) == 1:
        code, kind = codes.pop()
        for f, *_ in pairs:
            if f.open and f.fig.kind == kind:
                f.code = code
    pairs = [p for p in pairs if p[0].code]
    if len({start for _, start, _ in pairs}) < 2:
        return
    for f, start, name in pairs:
        cue = next((c for c in ctx.cues if start <= c.start < start + len(name) + 1), None)
        if cue is None:
            level = "commune" if state.post_merger else "district"
            f.place = (state.province_in_scope(), level, name)
        elif cue.kind == "province":
            f.place = (cue.code, "province", None)
        elif cue.kind == "national":
            f.place = ("00", "national", None)
        elif cue.kind in {"district", "commune"}:
            f.place = (state.province_in_scope(), cue.kind, cue.name)
        else:
            return  # an operator or a ministry: no place


_LIST_OPENER = fold.compile_quick(
    r"\b(?:lần lượt (?:là|thuộc về)|theo sau (?:đó )?là|tiếp theo (?:đó )?là|tiếp đến là|kế đến là)\s*", re.I
)
_LIST_GAP = re.compile(
    r"\s*(?:\([^()]{0,60}\))?\s*(?:,|;|và|,\s*và)?\s*(?:(?:UBND|Ủy ban nhân dân)\s+)?(?:tỉnh|thành phố|TP\.?)?\s*",
    re.I,
)
_LEADERS = fold.compile_quick(r"\b(?:\d+|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)\s+(?:tỉnh|địa phương|đơn vị)\b", re.I)


def ranked_list(ctx: SentenceContext) -> None:
    """Places listed after "lần lượt là", "theo sau là", "tiếp theo là" take the ranks that follow the one the
    sentence (or the sentence before) gave: "Đà Nẵng xếp hạng nhất, theo sau là A, B và C" → 2, 3, 4;
    "5 tỉnh dẫn đầu chỉ số này lần lượt là A, B, C, D và E" → 1 to 5. The list adds figures of its own."""
    text, state = ctx.text, ctx.state
    low = ctx.low
    if "lần lượt" not in low and "theo sau" not in low and "tiếp" not in low and "kế đến" not in low:
        return
    opener = _LIST_OPENER.search(text)
    if not opener:
        return
    listed: list = []
    pos = opener.end()
    for c in ctx.cues:
        if c.start < pos or c.kind != "province" or c.comparison:
            continue
        if not _LIST_GAP.fullmatch(text, pos, c.start):
            break
        listed.append(c)
        pos = c.end
    if not listed or any(f.fig.start > opener.end() for f in ctx.figs if f.fig.kind == "rank"):
        return
    anchors = [f for f in ctx.figs if f.fig.kind == "rank" and f.fig.end <= opener.start()]
    anchor = anchors[-1] if anchors else None
    respectively_of_leaders = opener.group(0).lower().startswith("lần lượt")
    if respectively_of_leaders:
        if anchor is None or not anchor.fig.rank_word or not _LEADERS.search(text, 0, anchor.fig.start):
            return  # "lần lượt là" without "N tỉnh dẫn đầu": the respectively rule's business
        first, code = 1, anchor.code or _topic(ctx)
        anchor.code, anchor.reason = None, "list_anchor"  # the group, not a place of its own
    elif anchor is not None:
        first, code = int(anchor.fig.value) + 1, anchor.code or _topic(ctx)
    elif state.last_rank is not None and ctx.sentence.index - state.rank_topic_at <= 2:
        first, code = int(state.last_rank[1]) + 1, state.last_rank[0]
    else:
        return
    if code is None:
        return
    for k, c in enumerate(listed):
        fig = Figure(c.start, c.end, text[c.start : c.end], "rank", float(first + k), rank_word=True)
        ctx.figs.append(FigureReading(fig, code=code, place=(c.code, "province", None)))


def _topic(ctx: SentenceContext) -> str | None:
    state = ctx.state
    if state.rank_topic and (ctx.sentence.index - state.rank_topic_at <= 4 or state.rank_topic_doc):
        return state.rank_topic
    return None


def target_beyond_its_part(ctx: SentenceContext) -> None:
    """ "đã thu nhận 2.389.718/1.708.473 hồ sơ, đạt 139,8% chỉ tiêu": a part larger than its whole is an
    achievement against a target; the whole is the target of the same indicator. Adds a figure."""
    for f in list(ctx.figs):
        whole = f.fig.denominator
        if not f.code or f.fig.kind != "fraction" or not whole or f.fig.value <= whole:
            continue
        slash = f.fig.text.find("/")
        f.fig.denominator = None
        target = Figure(f.fig.start + slash + 1, f.fig.end, f.fig.text[slash + 1 :], "count", whole)
        ctx.figs.append(FigureReading(target, code=f.code, target=True))


def counts_of_a_short_window(ctx: SentenceContext) -> None:
    """ "Chỉ trong 3 ngày, ... đã thu nhận 1.032 hồ sơ cấp CCCD": what a few days or weeks added is no stock of a
    cumulative indicator (the cards issued so far)."""
    inds = catalog.indicators()
    for f in ctx.figs:
        if (
            f.code
            and f.fig.kind == "count"
            and inds[f.code].is_cumulative
            and _SHORT_WINDOW.search(ctx.low, 0, f.fig.start)
        ):
            f.code, f.extra, f.reason = None, [], "flow"


_SHORT_WINDOW = fold.compile_quick(r"\b(?:chỉ\s+)?trong\s+(?:\d{1,2}|hai|ba|bốn|năm|vài|mấy)\s+(?:ngày|tuần|đêm)\b")


def rates_beyond_their_whole(ctx: SentenceContext) -> None:
    """ "đã kích hoạt hơn 1,6 triệu tài khoản, đạt tỷ lệ 133%": a rate of all eligible cannot pass 100%, so it was
    measured against a target, which is no observation of the rate (`rates_at_most_100` in the vocabulary)."""
    bounded = _rates_at_most_100()
    for f in ctx.figs:
        if f.code in bounded and f.fig.kind == "percent" and f.fig.value > 100:
            clause = ctx.low[ctx.clause_start(f.fig.start) : f.fig.start]
            if _OF_THE_WHOLE.search(clause):
                continue  # "trên tổng số hồ sơ ... đạt 135%": an impossible figure, for the expectations to flag
            f.code, f.extra, f.reason = None, [], "against_target"


_OF_THE_WHOLE = fold.compile_quick(r"\b(?:trên|so với|của) tổng(?: số)?\b")


@cache
def _rates_at_most_100() -> frozenset[str]:
    return frozenset(catalog.vocabulary()["rates_at_most_100"])


# Rules that add figures (a list's places, a target) run last: the views cover the sentence's own figures.
RULES: tuple[SentenceRule, ...] = (
    comparison_ends,
    ranges_of_values,
    rate_after_its_count,
    same_indicator_again,
    target_after_slash,
    scores_of_the_ranking,
    ranks_of_the_topic,
    ranks_named_before,
    ranks_listed_by_pillar,
    pillars_sharing_a_rank,
    counts_behind_their_rate,
    whole_of_count,
    respectively,
    parts_of_a_breakdown,
    listed_places_before_their_subject,
    bare_ranks_in_brackets,
    places_in_brackets,
    counts_of_a_short_window,
    rates_beyond_their_whole,
    ranked_list,
    target_beyond_its_part,
)


def apply(ctx: SentenceContext, rules: tuple[SentenceRule, ...] = RULES) -> None:
    """Run the sentence rules in their declared order."""
    for rule in rules:
        rule(ctx)


__all__ = ["RULES", "FigureReading", "SentenceContext", "apply", "is_bare", "pillars", "same_family", "unnamed"]
