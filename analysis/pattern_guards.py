"""Cheap exact guards for case-insensitive regular expressions: what every match must start with or
contain, read from Python's own parse of the pattern.

A guard lets a caller skip a regex on text that cannot match: for ASCII text, case-insensitive
matching of ASCII characters is lower-case equality, so `lower.startswith(prefixes)` and
`word in lower` are exact necessary conditions there. Text that is not ASCII (where re's
case-insensitive matching also pairs "ſ" with "s" and "K" with "k") must go to the regex itself.
Whatever this module cannot prove gives no guard ("" or a prefix ""), never a wrong one.
"""
from __future__ import annotations

import re

try:  # the parser re.compile itself uses (Python 3.11+); without it there are simply no guards
    from re import _parser
    _LITERAL, _SUBPATTERN, _BRANCH = _parser.LITERAL, _parser.SUBPATTERN, _parser.BRANCH
    _REPEATS = {getattr(_parser, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
                if hasattr(_parser, name)}
except (ImportError, AttributeError):  # pragma: no cover - depends on the Python version
    _parser = None

# Beyond this many alternatives a prefix set is more work to test than the regex it guards.
MAX_PREFIXES = 64


def _parse(pattern: str) -> list | None:
    if _parser is None:
        return None
    try:
        return list(_parser.parse(pattern, re.IGNORECASE))
    except (re.error, TypeError, ValueError):
        return None


def match_prefixes(pattern: str) -> tuple[str, ...]:
    """Lower-case strings one of which starts every match of `pattern` (matched from its first
    character, case-insensitively); ("",) when no such set is known."""
    items = _parse(pattern)
    prefixes = _prefixes(items) if items is not None else {""}
    if len(prefixes) > MAX_PREFIXES or "" in prefixes:
        return ("",)
    return tuple(sorted(prefixes))


def _prefixes(items: list) -> set[str]:
    if not items:
        return {""}
    operation, argument = items[0]
    if operation is _LITERAL and chr(argument).isascii():
        head, rest = chr(argument).lower(), _prefixes(items[1:])
        return {head + tail for tail in rest} if len(rest) <= MAX_PREFIXES else {head}
    if operation is _SUBPATTERN:  # a group: every match starts with what its content starts with
        return _prefixes(list(argument[-1]))
    if operation is _BRANCH:
        found: set[str] = set()
        for branch in argument[1]:
            found |= _prefixes(list(branch))
            if "" in found or len(found) > MAX_PREFIXES:
                return {""}
        return found
    if operation in _REPEATS and argument[0] >= 1:  # at least one repetition: its start comes first
        return _prefixes(list(argument[2]))
    return {""}  # a character class, ".", an anchor, an optional part: no guarantee


def required_word(pattern: str, min_length: int = 3) -> str:
    """The longest run of ASCII characters (at least `min_length`) that every match of `pattern`
    contains, outside any group, branch or repeat, lower-cased; "" when there is none."""
    items = _parse(pattern)
    if items is None:
        return ""
    best, run = "", ""
    # Consecutive top-level literals are matched one after the other by every match.
    for operation, argument in [*items, (None, None)]:
        if operation is _LITERAL and chr(argument).isascii():
            run += chr(argument)
        else:
            best, run = max(best, run, key=len), ""
    return best.lower() if len(best) >= min_length else ""
