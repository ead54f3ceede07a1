"""pattern_guards: the prefixes and words it reads from a pattern must hold for every match."""
from __future__ import annotations

import re

import pytest
import yaml

from analysis.clean import DEFAULT_CLEANING_DIR
from analysis.pattern_guards import match_prefixes, required_word


@pytest.mark.parametrize(
    ("pattern", "prefixes"),
    [
        ("share( this( article| story)?)?:?", ("share",)),
        ("(read|see) (more|also)", ("read", "see")),
        ("Advertisement|sponsored( content)?", ("advertisement", "sponsored")),
        ("(log ?in|sign ?in) to (continue|read)", ("log", "sign")),
        ("(?:x)+yz", ("x",)),  # one repetition at least: the match starts with it
        (".{0,60}\\bnewsletters?\\b", ("",)),  # can start with anything
        ("(a|b?)c", ("",)),  # one branch may be empty
        ("[ab]c", ("",)),  # a character class is not read
        ("x*yz", ("",)),
        ("(?i)Follow us on .{1,60}", ("follow us on ",)),
    ],
)
def test_match_prefixes(pattern: str, prefixes: tuple[str, ...]) -> None:
    assert match_prefixes(pattern) == prefixes


@pytest.mark.parametrize(
    ("pattern", "word"),
    [
        (".{0,80}\\bcookies?\\b.{0,80}(accept|consent)", "cookie"),
        (".{0,60}\\bNewsletters?\\b.{0,60}(sign up|subscribe)", "newsletter"),
        (".*(?-i:Foo)bar.*", "bar"),  # a scoped group is not top level
        ("(cookie|newsletter)", ""),  # a branch: neither word is required
        (".*ab.*", ""),  # shorter than 3
        ("(?:abc)?def", "def"),
    ],
)
def test_required_word(pattern: str, word: str) -> None:
    assert required_word(pattern) == word


FURNITURE = [entry for entries in yaml.safe_load((DEFAULT_CLEANING_DIR / "furniture.yaml").read_text())
             ["kinds"].values() for entry in entries]
LINES = [
    "Share this article", "SHARE ON FACEBOOK", "Shared this article", "Follow us on Telegram",
    "follow-us on Telegram", "Read more:", "Reading more", "We use cookies to improve your experience",
    "The cookie monster", "Get our morning newsletter delivered to your inbox", "The newsletter is free",
    "Related", "Relate", "Sign up for our daily briefing", "Signs up for our daily briefing",
    "Accept all cookies", "cookie settings", "Cookies settings", "Advertisement", "Advertisements",
    "Log in to comment", "Login to read", "Click here to read more", "click here: read",
]


@pytest.mark.parametrize("pattern", FURNITURE)
def test_guards_hold_for_every_matching_line(pattern: str) -> None:
    compiled = re.compile(pattern, re.IGNORECASE)
    prefixes, word = match_prefixes(pattern), required_word(pattern)
    for line in LINES:
        if compiled.fullmatch(line):
            assert line.lower().startswith(prefixes), line
            assert word in line.lower(), line
