"""What a reader holds while reading a report: the state carried from sentence to sentence, and the sentence
being read with its figures. The sentence rules (`sentence_rules.py`) read and write these objects only.

Nothing here reads text; the functions that find figures, places and periods live in their own modules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sources.extract.indicators import Rule
from sources.extract.numbers import Figure
from sources.extract.places import PlaceCue
from sources.extract.text import Sentence, clause_start


@dataclass
class ReadingState:
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
    target_from: tuple[int, int] = (-1, 0)  # (sentence index, offset) of the cue that opened the target mode
    last_sub_unit: tuple[str, str] | None = None  # (level, name)
    post_merger: bool = False  # the report was written after the 2025-07-01 merger (no districts since)
    last_ranks: tuple[str, ...] = ()  # the indicators of the ranks the last sentence listed, in order
    last_rank: tuple[str, float] | None = None  # the last rank read (indicator, value), for "tiếp theo là"
    index_year: str | None = None  # the year of the index the report's ranks and scores are about ("DTI 2022")

    def province_in_scope(self) -> str | None:
        """The province a figure of the passage belongs to when the text names no other."""
        if self.scope and self.scope != "00":
            return self.scope
        return self.last_province or (self.doc_geo if self.doc_geo != "00" else None)


@dataclass
class FigureReading:
    """One figure of the sentence and what the reader has decided about it so far."""

    fig: Figure
    code: str | None = None
    reason: str = "no_indicator"
    target: bool = False
    extra: list[str] = field(default_factory=list)  # further indicators of the same figure ("cả 3 trụ cột")
    period: str | None = None
    period_explicit: bool = False
    place: tuple[str | None, str, str | None] | None = None  # set when the sentence says whose figure it is
    also_periods: list[str] = field(default_factory=list)  # "3 năm liên tiếp (2020-2022)": the other years

    @property
    def open(self) -> bool:
        """Still unclassified, and not set aside by a filter (a delta, a completion rate, a breakdown)."""
        return self.code is None and self.reason == "no_indicator"


@dataclass
class SentenceContext:
    """One sentence under reading: its text (and lower-cased copy), figures, views, cues and the state."""

    sentence: Sentence
    low: str
    figs: list[FigureReading]
    views: list[str]  # per figure: the sentence with it marked '#' and the other figures '@' (lower case)
    candidates: list[Rule]  # the indicator rules whose keywords occur in the sentence
    cues: list[PlaceCue]
    state: ReadingState

    @property
    def text(self) -> str:
        return self.sentence.text

    def clause_start(self, pos: int) -> int:
        return clause_start(self.text, pos)
