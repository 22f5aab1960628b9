"""Fast regex scans: case-insensitive patterns folded to lowercase, and a literal gate before each scan.

The extractor runs dozens of patterns over every sentence. Two things make that slow in Python's `re`, and
both are fixed here without changing a single match:
- a case-insensitive alternation ("(?i:nghị quyết|quyết định|...)") gets none of `re`'s first-character
  shortcuts; lowercasing the sentence once and the pattern's literals once gives the same matches
  (Vietnamese keeps its length when lowercased) several times faster;
- most patterns cannot match most sentences: a pattern that requires a literal ("cả nước", "quý") is not
  run on a sentence that lacks it, and `in` on a string is far cheaper than a regex scan.
Matched text of a folded pattern comes from the lowercased sentence: slice the original sentence with the
match's offsets when the original spelling matters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

# The gates read a pattern's parse tree from `re`'s own parser, a private module (kept since 3.11 as
# `re._parser`). No public library offers it (`regex` has no parser API; an Aho-Corasick prefilter still needs
# the literals). If a Python release removes it, the gates switch off: every scan still matches exactly as
# before, only slower (tests/unit/test_fold.py checks the matches, not the speed).
try:
    from re import _compiler as sre_compile
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover
    sre_compile = sre_constants = sre_parse = None

_FLAG_GROUP = re.compile(r"\(\?i:")


def _lower_literals(pattern: str) -> str:
    """Lowercase a pattern's letters, but not escapes (\\S, \\D, \\W, \\B) nor group names."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if pattern.startswith(("(?P<", "(?P="), i):
            end = pattern.index(">" if pattern[i + 3] == "<" else ")", i)
            out.append(pattern[i : end + 1])
            i = end + 1
            continue
        out.append(c.lower())
        i += 1
    return "".join(out)


def folded(pattern: str | re.Pattern[str]) -> re.Pattern[str]:
    """The case-sensitive twin of a case-insensitive pattern, for use on `lower(sentence)`."""
    source = pattern.pattern if isinstance(pattern, re.Pattern) else pattern
    return re.compile(_lower_literals(_FLAG_GROUP.sub("(?:", source)))


def lower(sentence: str) -> str:
    """The sentence lowercased, offsets unchanged (a character whose lowercase is longer is kept as is)."""
    low = sentence.lower()
    if len(low) == len(sentence):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in sentence)


# --- the literal gate -----------------------------------------------------------------------------------

_LITERAL = getattr(sre_constants, "LITERAL", None)
_SUBPATTERN = getattr(sre_constants, "SUBPATTERN", None)
_BRANCH = getattr(sre_constants, "BRANCH", None)
_REPEATS = tuple(getattr(sre_constants, name, None) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"))


def _required(items) -> frozenset[str] | None:
    """Strings of which at least one occurs in every match of this parsed sequence (None: no such set)."""
    options: list[frozenset[str]] = []
    run: list[str] = []

    def close_run() -> None:
        if run:
            options.append(frozenset(["".join(run)]))
            run.clear()

    for op, av in items:
        if op is _LITERAL:
            run.append(chr(av))
            continue
        close_run()
        if op is _SUBPATTERN:  # (group, add_flags, del_flags, sequence): "(?i:quý)" matches "Quý" too
            inner = None if av[1] & re.IGNORECASE else _required(av[-1])
        elif op is _BRANCH:
            branches = [_required(b) for b in av[1]]
            inner = None if any(b is None for b in branches) else frozenset().union(*branches)
        elif op in _REPEATS and av[0] >= 1:
            inner = _required(av[2])
        else:
            inner = None
        if inner:
            options.append(inner)
    close_run()
    if not options:
        return None
    # the most selective requirement: the one whose shortest string is longest
    return max(options, key=lambda s: (min(map(len, s)), -len(s)))


@cache
def _parse(source: str, flags: int):
    """A pattern's parse tree, once per pattern: the gate, the quick start and the digit test all read it."""
    return sre_parse.parse(source, flags)


def required_literals(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """What a case-sensitive pattern cannot match without; None when nothing useful (shorter than 2)."""
    if pattern.flags & re.IGNORECASE or sre_parse is None:
        return None
    try:
        found = _required(_parse(pattern.pattern, pattern.flags))
    except (re.error, TypeError, ValueError, AttributeError):
        return None
    return found if found and min(map(len, found)) >= 2 else None


# --- the quick start -----------------------------------------------------------------------------------
# `re` finds where a match can start fast only when the pattern opens on a literal or a class; a pattern that
# opens on a case-insensitive word, a word boundary or a group of alternatives is tried in full at every
# position. Most of the extractor's patterns open so. A lookahead of the characters a match can open with,
# "(?=[BCSTUĐ])", turns most positions into one class test (the agencies pattern: 4 times faster). The lookahead
# is zero-width and lists every character the pattern can open with, so the matches are the same.

_IN, _RANGE, _AT, _ASSERT_NOT, _ASSERT = (
    getattr(sre_constants, name, None) for name in ("IN", "RANGE", "AT", "ASSERT_NOT", "ASSERT")
)
_CATEGORY = getattr(sre_constants, "CATEGORY", None)
_CATEGORIES = {
    getattr(sre_constants, f"CATEGORY_{name}", name): escape
    for name, escape in (
        ("DIGIT", r"\d"),
        ("NOT_DIGIT", r"\D"),
        ("SPACE", r"\s"),
        ("NOT_SPACE", r"\S"),
        ("WORD", r"\w"),
    )
}
_AT_BEGINNINGS = tuple(getattr(sre_constants, n, None) for n in ("AT_BEGINNING", "AT_BEGINNING_STRING"))


def _opening(items, ignore_case: bool) -> list[tuple[str, bool]] | None:
    """The class items ("a", "a-z") a match of this parsed sequence opens with, each with whether it is read
    case-insensitively; None when they cannot be listed (any character, a negated class, an empty sequence)."""
    items = list(items)
    for k, (op, av) in enumerate(items):
        if op is _LITERAL:
            return [(re.escape(chr(av)), ignore_case)]
        if op is _IN:
            out = []
            for item_op, item in av:
                if item_op is _LITERAL:
                    out.append((re.escape(chr(item)), ignore_case))
                elif item_op is _RANGE:
                    out.append((f"{re.escape(chr(item[0]))}-{re.escape(chr(item[1]))}", ignore_case))
                elif item_op is _CATEGORY and item in _CATEGORIES:
                    out.append((_CATEGORIES[item], ignore_case))
                else:
                    return None  # a negated class, a category other than \d, \D, \s, \S, \w
            return out
        if op is _SUBPATTERN:
            _, add_flags, del_flags, sub = av
            if (add_flags | del_flags) & ~re.IGNORECASE:
                return None  # "(?a:...)", "(?s:...)": classes read otherwise inside
            inner_case = (ignore_case or bool(add_flags & re.IGNORECASE)) and not del_flags & re.IGNORECASE
            return _opening(sub, inner_case)
        if op is _BRANCH:
            out = []
            for branch in av[1]:
                found = _opening(branch, ignore_case)
                if found is None:
                    return None
                out += found
            return out
        if op in _REPEATS:
            inner = _opening(av[2], ignore_case)
            if inner is None or av[0] >= 1:
                return inner
            rest = _opening(items[k + 1 :], ignore_case)  # "(?:các )?doanh": either may open
            return None if rest is None else inner + rest
        if op is _AT and av not in _AT_BEGINNINGS:
            continue  # "\b": zero-width, the next item opens the match
        if op in (_ASSERT, _ASSERT_NOT) and av[0] < 0:
            continue  # a lookbehind: zero-width too
        if op is _ASSERT:
            return _opening(av[1], ignore_case)  # "(?=\\d)": what the lookahead opens with, the match opens with
        return None
    return None


def _quick_source(source: str, flags: int) -> str | None:
    """The pattern's source behind the lookahead of its opening characters; None when it needs none."""
    if sre_compile is None or _GLOBAL_FLAGS.match(source):
        return None  # no private parser, or global inline flags ("(?i)...") that must stay first
    try:
        parsed = _parse(source, flags)
        flags = parsed.state.flags
        if sre_compile._get_literal_prefix(parsed, flags)[0] or sre_compile._get_charset_prefix(parsed, flags):
            return None
        if parsed.data and parsed.data[0][0] is _ASSERT and parsed.data[0][1][0] >= 0:
            return None  # it opens on a lookahead already ("(?=\\d)")
        opening = _opening(parsed.data, bool(flags & re.IGNORECASE))
    except (re.error, TypeError, ValueError, AttributeError, IndexError):
        return None
    if not opening:
        return None
    cased = "".join(dict.fromkeys(item for item, ignore in opening if not ignore))
    uncased = "".join(dict.fromkeys(item for item, ignore in opening if ignore))
    classes = [f"[{cased}]"] if cased else []
    classes += [f"[{uncased}]" if flags & re.IGNORECASE else f"(?i:[{uncased}])"] if uncased else []
    return f"(?={'|'.join(classes)})(?:{source})"


def quick_start(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The pattern behind a lookahead of the characters its matches open with, when `re` has no fast start of
    its own (a literal or class first); else the pattern itself. Same matches, same groups."""
    quick = _quick_source(pattern.pattern, pattern.flags)
    return pattern if quick is None else re.compile(quick, pattern.flags)


def opens_with_digit(pattern: re.Pattern[str]) -> bool:
    """Does every match of the pattern open with a digit ("(?=\\d)...", "\\b\\d{1,2}h")? Such a pattern can be
    scanned from a sentence's first digit on: nothing before it can open a match."""
    if sre_parse is None:
        return False
    try:
        opening = _opening(_parse(pattern.pattern, pattern.flags).data, False)
    except (re.error, TypeError, ValueError, AttributeError, IndexError):
        return False
    return bool(opening) and all(item == r"\d" for item, _ in opening)


def compile_quick(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile` with the quick start: for a pattern the extractor searches in every sentence."""
    return re.compile(_quick_source(pattern, flags) or pattern, flags)


_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


class Scan:
    """A pattern behind its literal gate. The gate is checked on the lowercased sentence (a literal the pattern
    requires, in whatever case, is there in lowercase). With `fold`, the folded twin scans the lowercased
    sentence; without, the pattern itself scans the sentence as written."""

    __slots__ = ("original", "pattern", "is_folded", "needs", "digit_led")

    def __init__(self, pattern: str | re.Pattern[str], fold: bool = False, flags: int = 0) -> None:
        compiled = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern, flags)
        self.original = compiled  # what the scan must match exactly like (tests/unit/test_fold.py)
        twin = folded(compiled)
        self.is_folded = fold
        scanned = twin if fold else compiled
        self.pattern = quick_start(scanned)
        self.digit_led = opens_with_digit(scanned)
        needs = required_literals(twin) or ()
        # "xếp hạng" cannot be there without "hạng": the shorter literal gates alone
        self.needs = tuple(sorted((s for s in needs if not any(o != s and o in s for o in needs)), key=len))

    def finditer(self, sentence: str, low: str, first_digit: int = 0) -> Iterator[re.Match[str]]:
        """The matches in the sentence; `first_digit`, where the caller knows it, lets a scan whose matches open
        with a digit skip what comes before (its lookbehinds still see it: the matches are the same)."""
        if self.needs:  # inlined: this runs hundreds of thousands of times
            for s in self.needs:
                if s in low:
                    break
            else:
                return _NOTHING
        return self.pattern.finditer(low if self.is_folded else sentence, first_digit if self.digit_led else 0)

    def search(self, sentence: str, low: str) -> re.Match[str] | None:
        return next(self.finditer(sentence, low), None)  # the first match is the leftmost: `search`'s


_NOTHING: Iterator = iter(())


class Gate:
    """The literal gates of many scans as one pass over the lowercased sentence: most sentences hold none of a
    list's literals, and one C-level search costs less than a Python call per scan. Never wrong, only cheaper:
    a sentence that passes still goes through each scan's own gate."""

    __slots__ = ("pattern",)

    def __init__(self, scans: list[Scan]) -> None:
        literals = {s for scan in scans for s in scan.needs}
        ungated = any(not scan.needs for scan in scans)
        self.pattern = (
            None if ungated else re.compile("|".join(map(re.escape, sorted(literals, key=len, reverse=True))))
        )

    def shut(self, low: str) -> bool:
        """Can none of the scans match this sentence?"""
        return self.pattern is not None and self.pattern.search(low) is None


# --- one spelling ---------------------------------------------------------------------------------------

_TY = re.compile(r"\btỉ (lệ|trọng)\b")
_OLD_TONE = {  # old-style tone marks on open syllables ("hoá", "khoẻ", "thuỷ") → the style the cues use
    **{f"o{t}": f"{n}a" for t, n in zip("áàảãạ", "óòỏõọ", strict=True)},
    **{f"o{t}": f"{n}e" for t, n in zip("éèẻẽẹ", "óòỏõọ", strict=True)},
    **{f"u{t}": f"{n}y" for t, n in zip("ýỳỷỹỵ", "úùủũụ", strict=True)},
}
_OLD_TONE_AT_END = compile_quick(r"(?<!q)[ou][áàảãạéèẻẽẹýỳỷỹỵ](?!\w)")  # the lookbehind first: no fast start


def one_spelling(low: str) -> str:
    """A lowercased sentence with the spellings reports vary in made one ("tỉ lệ" → "tỷ lệ", "hoá" → "hóa").

    Every replacement has the length of what it replaces, so offsets stay those of the sentence."""
    if "tỉ " in low:
        low = _TY.sub(r"tỷ \1", low)
    low = low.replace("\n", " ")  # a hard-wrapped line goes on
    return _OLD_TONE_AT_END.sub(lambda m: _OLD_TONE.get(m.group(0), m.group(0)), low)
