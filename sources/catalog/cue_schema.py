"""The shape of `indicator_cues.yml`, checked when the extractor loads it.

The file is data an analyst edits, so a typo must stop the load with a message that names the rule and the key
("rule 'eid_accounts_activated': unknown key 'paterns'"), not be ignored: an unknown key would be a phrasing
silently never tried. Same model as the corrections files (`sources/corrections.py`): pydantic, extra="forbid".

Also here: the one spelling of a gap between words ('~30', '~,30', '~~', ...; see the header of the file), so that
the loader and this check read a pattern the same way. A gap written as a raw character class ('[^#@;.]{0,30}')
is refused with its spelling in the notation: one spelling, so that a reader sees at a glance what a gap may
cross and a rewrite of all gaps stays one substitution.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

KINDS = ("count", "fraction", "percent", "rank", "decimal", "per_100")
QUALIFIERS = ("approx", "at_least", "at_most", "target")

# '~N' (flags between '~' and N, '?' after it); '~' and '~~' are the two gaps most patterns use
_GAP = re.compile(r"~(?P<flags>[,@!]*)(?P<n>\d+)(?P<lazy>\?)?|~~|~")
_SHORTHANDS = {"~": "~!40?", "~~": "~100?"}  # '!': a "trong đó" clause parts a whole from its parts
# A gap spelt as a raw class: a negated class that stops at the clause's end (';' and '.'), repeated
_RAW_GAP = re.compile(
    r"(?P<guard>\(\?:\(\?!(?P<stop>[^)]*)\))?\[\^(?P<cls>(?=[^\]]*;)(?=[^\]]*\.)[^\]]*)\]\)?"
    r"(?:\{(?P<lo>\d*),(?P<n>\d+)\}(?P<lazy>\?)?|[*+]\??)"
)


class CueError(ValueError):
    """`indicator_cues.yml` does not follow its schema; the message names every bad rule and key."""


def _gap(m: re.Match[str]) -> str:
    if m["n"] is None:
        return _GAP.sub(_gap, _SHORTHANDS[m[0]])
    flags = m["flags"]
    cls = "[^#" + ("" if "@" in flags else "@") + ";." + ("," if "," in flags else "") + "]"
    unit = f"(?:(?!trong đó){cls})" if "!" in flags else cls
    return f"{unit}{{0,{m['n']}}}{m['lazy'] or ''}"


def expand(pattern: str) -> str:
    """A pattern as Python reads it: each gap ('~30', '~,60', '~', '~~') replaced by its regular expression."""
    return _GAP.sub(_gap, pattern)


def _notation(raw: re.Match[str]) -> str | None:
    """How a raw gap is spelt in the notation, when it has a spelling."""
    chars = set(raw["cls"])
    if raw["lo"] not in ("", "0") or raw["n"] is None or not {";", "."} <= chars <= {"#", "@", ";", ".", ","}:
        return None
    if raw["guard"] and raw["stop"] != "trong đó":
        return None
    flags = ("!" if raw["guard"] else "") + ("," if "," in chars else "") + ("" if "@" in chars else "@")
    return f"~{flags}{raw['n']}{raw['lazy'] or ''}"


def _one_spelling_of_a_gap(pattern: str) -> str:
    raw = _RAW_GAP.search(pattern)
    if raw:
        spelt = _notation(raw)
        advice = f"write it {spelt!r}" if spelt else "spell it with '~N' and its flags"
        raise ValueError(f"'{pattern}': a gap is spelt '~N', not {raw[0]!r}; {advice} (see the header of the file)")
    return pattern


def _compiles(pattern: str) -> str:
    _one_spelling_of_a_gap(pattern)
    try:
        re.compile(expand(pattern))
    except re.error as err:
        raise ValueError(f"'{pattern}' is not a valid regular expression: {err}") from None
    return pattern


_CLASS = re.compile(r"\\.|\[\^?\]?(?:\\.|[^\]])*\]")  # an escape or a character class: no '#' of the view


def _names_the_figure(pattern: str) -> bool:
    return "#" in _CLASS.sub("", pattern)


def _marks_the_figure(pattern: str) -> str:
    if not _names_the_figure(pattern):
        raise ValueError(f"'{pattern}' does not say where the figure is ('#')")
    return pattern


def _reads_before_the_figure(pattern: str) -> str:
    if _names_the_figure(pattern):
        raise ValueError(f"'{pattern}': a subject is read on the clause before the figure, which holds no '#'")
    return pattern


Pattern = Annotated[str, Field(min_length=1), BeforeValidator(_compiles)]
FigurePattern = Annotated[Pattern, BeforeValidator(_marks_the_figure)]
SubjectPattern = Annotated[Pattern, BeforeValidator(_reads_before_the_figure)]


class Example(BaseModel):
    """A sentence (or a short passage, for anaphora) and the value the rule's indicator must be given."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    value: float
    denominator: float | None = None  # of a fraction "a/b": b
    qualifier: Literal[QUALIFIERS] | None = None  # type: ignore[valid-type]
    place: str | None = None  # the figure's geo code as extracted ("00" national, "31" Hải Phòng)
    period: str | None = None
    xfail: str | None = None  # why the extractor misses it today (a known miss, shown to whoever tunes the rules)


class NotExample(BaseModel):
    """A sentence none of whose figures may be given the rule's indicator."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    xfail: str | None = None


def _text_alone(v: Any) -> Any:
    return {"text": v} if isinstance(v, str) else v


class CueRule(BaseModel):
    """One indicator's phrasings (the fields are documented in the header of `indicator_cues.yml`)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    kinds: list[Literal[KINDS]] = Field(min_length=1)  # type: ignore[valid-type]
    keywords: list[Annotated[str, Field(min_length=1)]] = []
    priority: int = 0
    patterns: list[FigurePattern] = Field(min_length=1)
    exclude: list[Pattern] = []
    subject: list[SubjectPattern] = []
    anaphora: list[FigurePattern] = []
    anaphora_after: list[str] | None = None
    parents: list[str] = []
    whole_of_fraction: list[FigurePattern] = []
    examples: list[Example] = []
    not_: list[Annotated[NotExample, BeforeValidator(_text_alone)]] = Field(default=[], alias="not")

    @field_validator("kinds", "keywords", "parents")
    @classmethod
    def _no_repeats(cls, v: list) -> list:
        repeated = sorted({x for x in v if v.count(x) > 1})
        if repeated:
            raise ValueError(f"listed twice: {', '.join(map(str, repeated))}")
        return v


FIELDS = tuple(f.alias or name for name, f in CueRule.model_fields.items())


def _message(code: str, err: ValidationError) -> list[str]:
    out = []
    for e in err.errors():
        loc = e["loc"]
        where = ".".join(str(p) for p in loc)
        if e["type"] == "extra_forbidden":
            key = loc[-1]
            inside = f" (in {'.'.join(map(str, loc[:-1]))})" if len(loc) > 1 else ""
            allowed = ", ".join(FIELDS) if len(loc) == 1 else None
            tail = f"; allowed: {allowed}" if allowed else ""
            out.append(f"rule {code!r}: unknown key {key!r}{inside}{tail}")
        elif e["type"] == "literal_error" and loc[0] == "kinds":
            out.append(f"rule {code!r}, {where}: {e['input']!r} is not a kind of figure ({', '.join(KINDS)})")
        else:
            out.append(f"rule {code!r}, {where}: {e['msg'].removeprefix('Value error, ')}")
    return out


def validate(
    cues: Any, indicators: Mapping[str, object], source: str = "sources/catalog/indicator_cues.yml"
) -> dict[str, CueRule]:
    """Every rule of the cue file checked against its schema and the indicator catalogue (`indicators`: the
    codes of `indicators.csv`), or a CueError that lists each problem."""
    if not isinstance(cues, Mapping):
        raise CueError(f"{source}: expected a mapping of indicator codes to rules, got {type(cues).__name__}")
    rules: dict[str, CueRule] = {}
    problems: list[str] = []
    for code, spec in cues.items():
        if code not in indicators:
            problems.append(f"rule {code!r}: no such indicator in indicators.csv")
        try:
            rule = CueRule.model_validate(spec)
        except ValidationError as err:
            problems += _message(code, err)
            continue
        for key in ("parents", "anaphora_after"):
            unknown = [c for c in getattr(rule, key) or [] if c not in indicators]
            if unknown:
                problems.append(f"rule {code!r}, {key}: {', '.join(map(repr, unknown))} not in indicators.csv")
        rules[code] = rule
    if problems:
        raise CueError(f"{source}: {len(problems)} problem(s):\n  " + "\n  ".join(problems))
    return rules
