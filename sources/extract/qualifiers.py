"""Qualifiers of a figure: approximate, at least, at most, or a target that must never pass as achieved."""

from __future__ import annotations

import re

from sources.extract import fold

# a whole word: "cả nước có 68%" is no estimate ("nước" ends in "ước")
_APPROX = fold.compile_quick(r"(?<!\w)(?:khoảng|gần|ước|ước đạt|ước tính|xấp xỉ|chừng|tầm|gần như|dự kiến)\s*$", re.I)
_AT_LEAST = fold.compile_quick(
    r"(?<!\w)(?:hơn|trên|ít nhất|tối thiểu|vượt|hơn\s+\d+|không dưới|(?:chiếm|đạt|có) từ)\s*$", re.I
)
_AT_MOST = fold.compile_quick(r"(?<!\w)(?:dưới|chưa đến|chưa tới|không quá|tối đa|chưa đầy)\s*$", re.I)
_FILLER = fold.compile_quick(
    r"(?:\s|,|:|\(|(?<!chiếm )(?<!đạt )(?<!có )đạt|là|(?<!chiếm )có|được|lên|với|mới|tới|đến|tỷ lệ|tỉ lệ|"
    r"trung bình|con số)+$",
    re.I,
)
_NOT_AT_LEAST = fold.compile_quick(r"trên\s+(?:tổng|tổng số|địa bàn)\s*$", re.I)

# Words that make the figure after them a goal, not an achievement.
TARGET = fold.compile_quick(
    r"(?:phấn đấu|mục tiêu|chỉ tiêu(?! (?:về|của) chuyển đổi số)|kế hoạch đề ra|đề ra là|dự kiến|hướng tới|"
    r"đặt ra|sẽ đạt|sẽ có|cam kết|kỳ vọng|tầm nhìn|định hướng)",
    re.I,
)
_TARGET_SCAN = fold.Scan(TARGET)  # behind its literal gate: most figures have no target word before them
_ACHIEVED = fold.compile_quick(r"(?:đã|vượt|hoàn thành|đạt được|kết quả|thực hiện được)", re.I)


def qualifier(before: str) -> str | None:
    """approx / at_least / at_most from the words right before a figure (`before` ends at the figure)."""
    tail = before[-40:]
    if _NOT_AT_LEAST.search(tail):
        return None
    end = tail.rstrip()[-1:]
    if end in {"<", "≤"}:
        return "at_most"
    if end in {">", "≥"}:
        return "at_least"
    core = _FILLER.sub("", tail)
    for label, pattern in (("approx", _APPROX), ("at_most", _AT_MOST), ("at_least", _AT_LEAST)):
        if pattern.search(core):
            return label
    # "ước đạt 1.535.526": the qualifier comes before a verb that the filler strip removed
    if _APPROX_BEFORE_VERB.search(tail):
        return "approx"
    if _AT_LEAST_BEFORE_VERB.search(tail):
        return "at_least"
    return None


_APPROX_BEFORE_VERB = fold.compile_quick(r"(?<!\w)(?:khoảng|gần|ước|xấp xỉ)\s+(?:đạt|là|có|được)\s*$", re.I)
_AT_LEAST_BEFORE_VERB = fold.compile_quick(r"(?<!\w)(?:hơn|trên|ít nhất|tối thiểu)\s+(?:đạt|là|có|được)\s*$", re.I)


def is_target(left_of_figure: str) -> bool:
    """A target cue governs the figure when nothing reporting an achievement stands between them."""
    last = None
    for m in _TARGET_SCAN.finditer(left_of_figure, fold.lower(left_of_figure)):
        last = m
    if last is None:
        return False
    between = left_of_figure[last.end() :]
    # "phấn đấu hoàn thành 14/18 chỉ tiêu": a verb right after the cue is part of the goal, not its result
    achieved = any(between[: m.start()].strip(" ,") for m in _ACHIEVED.finditer(between))
    return not achieved or bool(re.search(r"(?:đến|vào) (?:năm|cuối năm|hết năm)", between))
