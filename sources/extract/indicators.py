"""Which indicator a figure belongs to, read from the words around it (rules in `indicator_cues.yml`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from sources import catalog
from sources.catalog import cue_schema
from sources.extract import fold


def _compile(pattern: str) -> re.Pattern[str]:
    return fold.compile_quick(cue_schema.expand(pattern))  # searched in every view of every figure


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    kinds: frozenset[str]
    keywords: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]
    whole_patterns: tuple[re.Pattern[str], ...]  # for "a/b" figures whose whole b is this indicator
    exclude: tuple[re.Pattern[str], ...]
    subject: tuple[re.Pattern[str], ...]
    anaphora: tuple[re.Pattern[str], ...]  # shorter phrasings, valid right after the text spoke of it
    anaphora_after: frozenset[str]  # the indicators whose mention makes those phrasings valid
    priority: int
    parents: frozenset[str]


@cache
def rules() -> tuple[Rule, ...]:
    cues = catalog.indicator_cues()
    cue_schema.validate(cues, catalog.indicators())  # a CueError naming the rule and key, not a silent typo
    out = []
    for code, spec in cues.items():
        out.append(
            Rule(
                code=code,
                kinds=frozenset(spec["kinds"]),
                keywords=tuple(k.lower() for k in spec.get("keywords", [])),
                patterns=tuple(_compile(p) for p in spec.get("patterns", [])),
                whole_patterns=tuple(_compile(p) for p in spec.get("whole_of_fraction", [])),
                exclude=tuple(_compile(p) for p in spec.get("exclude", [])),
                subject=tuple(_compile(p) for p in spec.get("subject", [])),
                anaphora=tuple(_compile(p) for p in spec.get("anaphora", [])),
                anaphora_after=frozenset(spec.get("anaphora_after", [code])),
                priority=int(spec.get("priority", 0)),
                parents=frozenset(spec.get("parents", [])),
            )
        )
    return tuple(sorted(out, key=lambda r: -r.priority))


@cache
def rules_by_code() -> dict[str, Rule]:
    """Rule by indicator code (one dict for the process: read it, never change it)."""
    return {r.code: r for r in rules()}


@cache
def _keywords() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each keyword, shortest first, with the shorter keywords inside it ("dịch vụ công" in "dịch vụ công trực
    tuyến"): where one of those is absent, the keyword is too, and is not looked for."""
    words = sorted({k for r in rules() for k in r.keywords}, key=lambda k: (len(k), k))
    return tuple((k, tuple(o for o in words if o != k and o in k)) for k in words)


@cache
def _rules_of_keyword() -> dict[str, tuple[int, ...]]:
    """Keyword → the positions in `rules()` of the rules it makes candidates."""
    found: dict[str, list[int]] = {}
    for i, rule in enumerate(rules()):
        for k in rule.keywords:
            found.setdefault(k, []).append(i)
    return {k: tuple(v) for k, v in found.items()}


@cache
def _rules_without_keywords() -> frozenset[int]:
    return frozenset(i for i, rule in enumerate(rules()) if not rule.keywords)


def candidate_rules(sentence_lower: str) -> list[Rule]:
    """Rules whose keywords occur in the sentence (in `rules()` order): the only ones worth trying on its figures."""
    present: list[str] = []
    found: set[str] = set()
    for k, inside in _keywords():  # each keyword once, not once per rule
        if (not inside or found.issuperset(inside)) and k in sentence_lower:
            present.append(k)
            found.add(k)
    positions = set(_rules_without_keywords())
    by_keyword = _rules_of_keyword()
    for k in present:
        positions.update(by_keyword[k])
    every = rules()
    return [every[i] for i in sorted(positions)]


def classify(view: str, kind: str, candidates: list[Rule]) -> str | None:
    """The indicator of the figure marked '#' in `view`, or None."""
    best: tuple[int, int, str] | None = None
    hash_at = view.find("#")
    for rule in candidates:
        if kind not in rule.kinds:
            continue
        for pattern in rule.patterns:
            m = pattern.search(view)
            if m is None or not (m.start() <= hash_at < m.end()):
                continue
            if any(x.search(view) for x in rule.exclude):
                break
            distance = min(abs(m.start() - hash_at), abs(m.end() - hash_at))
            key = (rule.priority, -distance, rule.code)
            if best is None or key[:2] > best[:2]:
                best = key
            break
    return best[2] if best else None


def classify_anaphora(view: str, kind: str, recent: set[str]) -> str | None:
    """A figure named only by a short phrasing ("168 tổ") that refers to an indicator the text just spoke of."""
    for rule in rules():  # most specific first
        if rule.anaphora_after.isdisjoint(recent) or kind not in rule.kinds:
            continue
        if any(p.search(view) for p in rule.anaphora) and not any(x.search(view) for x in rule.exclude):
            return rule.code
    return None


def classify_whole(view: str, candidates: list[Rule]) -> str | None:
    """For a fraction "1.542/1.871": the indicator its whole (1.871) is, when the words say so."""
    for rule in candidates:
        if any(p.search(view) for p in rule.whole_patterns):
            return rule.code
    return None


def classify_subject(prefix: str, kind: str, candidates: list[Rule]) -> str | None:
    """For a bare rate ("đạt 77%"): the rate indicator whose subject the clause before it names."""
    for rule in candidates:
        if (
            kind in rule.kinds
            and rule.subject
            and any(p.search(prefix) for p in rule.subject)
            and not any(x.search(prefix + "#%") for x in rule.exclude)
        ):
            return rule.code
    return None
