"""Boilerplate removal: article text in, `CleanedText` (text, what was removed and why, outlets
credited) out. Text with nothing to remove comes back unchanged, character for character.

What goes, in this order:
  furniture          whole short lines such as "Share this article", cookie and newsletter prompts
                     (patterns in data/cleaning/furniture.yaml)
  related-headlines  a trailing run of >= 3 short title-case lines without final punctuation (or
                     sentence-case ones set off by a blank line after a finished sentence): the
                     publishing site's "more stories" block, unrelated to the article
  signature          Reuters-21578's trailing " Reuter"
  source-label       WCEP's trailing "(BBC)", "(The Guardian) (Reuters)" after the last sentence
  outlet-tag         "(Reuters) -" and "WASHINGTON (AP) —" at the start (the city is kept: it is a
                     dateline the actor matcher uses), ", News.Az reports, citing Reuters" inline
Datelines such as "WASHINGTON, March 26 -" are kept.

Cost: most text has nothing to remove, so each step first proves that cheaply. Furniture patterns
are tried only on lines that start with one of their literal prefixes or hold their required word
(read from the patterns themselves, analysis.pattern_guards); the signature, source-label and
outlet-tag steps look at the end or the start of the text, never scan the body. A text of one line
(most WCEP items) is first tried on a fast path: a few whole-line tests prove it holds no furniture,
signature, outlet tag or credit line, so at most its source labels go.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, NamedTuple, Sequence

import yaml

from analysis.model import CleanedText, Removal
from analysis.pattern_guards import match_prefixes, required_word

DEFAULT_CLEANING_DIR = Path(__file__).resolve().parent.parent / "data" / "cleaning"

MIN_RELATED_HEADLINES = 3
_HEADLINE_MAX_CHARS = 160
_HEADLINE_WORDS = (3, 25)
_HEADLINE_MIN_CAPITALISED = 0.75
# Words a title-case headline leaves in lower case ("Protest in Brazil Against Efforts to Reduce").
_MINOR_WORDS = frozenset(
    "a an the and or but nor so yet of in on at to for with by from as over after amid into onto via "
    "vs per than up down out off about against between during under before without within is are be "
    "was were its his her their de la le du des del von van".split()
)
_BULLETS = "-•*·–—▪►> \t"
# What _is_furniture strips from the start of an ASCII line: whitespace (str.strip), then bullets.
_LINE_LEAD = "".join(c for c in map(chr, range(128)) if c.isspace()) + _BULLETS
_SIGNATURE = re.compile(r"(?:(?<=[.!?\"”’)\]])[ \t]*|[ \t]*\n\s*)((?i:reuter)(?:\.{1,3}|…)?)[\s\x03]*\Z")
# A trailing "(label)" holds 1 to 60 characters and no bracket or line break, and sits on the same
# line as the last sentence: a bracketed line of its own (Reuters: "(Corrects figure)") is not a label.
_LABEL_MAX_CHARS = 60
_VIA_GOOGLE_NEWS = re.compile(r"\s+via Google News$")
_MAX_REMEMBERED_LABELS = 20_000  # distinct labels kept per process (a few MB at most)
_UNSEEN = object()
_new_record = object.__new__
_SENTENCE_END = ".!?\"”’…"
# The last character a _SIGNATURE match may end on before its trailing whitespace and \x03
# (re's case-insensitive "r" pairs only with "R": tests/test_clean.py checks every character).
_SIGNATURE_LAST = "rR.…\x03"


@dataclass(frozen=True, eq=False)
class FurnitureMatcher:
    """Does a line fully match any furniture pattern? One case-insensitive regex for all patterns,
    plus guards read from the patterns (analysis.pattern_guards) that reject most ASCII lines before
    any regex runs: a pattern is tried only on a line that starts with one of its prefixes ("share",
    "follow us on ") or holds its required word (".{0,80}\\bcookies?\\b..." needs "cookie")."""

    any_pattern: re.Pattern[str]  # all of them: for lines that are not ASCII
    unguarded: re.Pattern[str] | None  # the patterns with no guard, tried on every line
    prefixes: tuple[str, ...]
    prefixed: re.Pattern[str]
    words: tuple[str, ...]
    worded: re.Pattern[str]
    # suspect_lines may test lines by their prefixes: every pattern is guarded, no prefix starts with
    # a character that stripping removes
    line_filter: bool
    prefix_heads: frozenset[str]  # the prefixes cut to the shortest one's length: a set look-up per line
    prefix_head_size: int

    @classmethod
    def build(cls, patterns: list[str]) -> FurnitureMatcher:
        prefixes: list[str] = []
        words: list[str] = []
        prefixed, worded, unguarded = [], [], []
        for pattern in patterns:
            if "" not in (starts := match_prefixes(pattern)):
                prefixes.extend(starts)
                prefixed.append(pattern)
            elif word := required_word(pattern):
                words.append(word)
                worded.append(pattern)
            else:
                unguarded.append(pattern)
        size = min(map(len, prefixes), default=0)
        line_filter = not unguarded and not any(prefix[0] in _LINE_LEAD for prefix in prefixes)
        return cls(_union(patterns), _union(unguarded) if unguarded else None,
                   tuple(dict.fromkeys(prefixes)), _union(prefixed), tuple(dict.fromkeys(words)),
                   _union(worded), line_filter, frozenset(prefix[:size] for prefix in prefixes), size)

    def fullmatch(self, line: str) -> bool:
        """True when some pattern matches all of `line` (case-insensitively)."""
        if not line.isascii():
            return self.any_pattern.fullmatch(line) is not None
        if self.unguarded is not None and self.unguarded.fullmatch(line):
            return True
        # For ASCII text, case-insensitive matching of ASCII characters is lower-case equality.
        lower = line.lower()
        if (lower[:self.prefix_head_size] in self.prefix_heads and lower.startswith(self.prefixes)
                and self.prefixed.fullmatch(line)):
            return True
        for word in self.words:
            if word in lower:
                return self.worded.fullmatch(line) is not None
        return False

    def suspect_lines(self, text: str, lines: list[str]) -> Sequence[int]:
        """Indices of the `lines` (`text.split("\\n")`) that may be furniture: a superset of those
        `fullmatch` accepts once stripped of whitespace and bullets. One test per line, no regex, when
        the text is ASCII and holds no required word."""
        if not self.line_filter or not text.isascii():
            return range(len(lines))
        lower = text.lower()
        for word in self.words:
            if word in lower:
                return range(len(lines))
        heads, size = self.prefix_heads, self.prefix_head_size
        return [i for i, line in enumerate(lower.split("\n")) if line.lstrip(_LINE_LEAD)[:size] in heads]


def _union(patterns: list[str]) -> re.Pattern[str]:
    """One case-insensitive pattern matching what any of `patterns` matches (none: never matches)."""
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns) or r"(?!)", re.IGNORECASE)


class _SourceLabel(NamedTuple):
    """What a trailing "(label)" removes and credits."""

    removal: Removal
    outlet: str | None  # the outlet credited; None: not an outlet name
    alone: tuple[tuple[Removal], tuple[str, ...]]  # CleanedText's removed and cited_sources when
    # this is the only label removed (most WCEP items): built once per label, not once per article


@dataclass(frozen=True, eq=False)
class CleaningRules:
    """Furniture line patterns by kind, outlet names (canonical name for each spelling) and the
    credit-line patterns built from them."""

    furniture: tuple[tuple[str, re.Pattern[str]], ...]
    max_furniture_chars: int
    any_furniture: FurnitureMatcher  # all furniture patterns at once
    outlet_names: dict[str, str]  # lower-cased spelling -> canonical name
    leading_tag: re.Pattern[str]
    citing: re.Pattern[str]
    # text in trailing brackets -> None (not a source label) or its _SourceLabel: see _label_credit
    label_credits: dict[str, _SourceLabel | None] = field(default_factory=dict)

    @classmethod
    def load(cls, directory: Path = DEFAULT_CLEANING_DIR) -> CleaningRules:
        """Read furniture.yaml and outlets.yaml from `directory`; ValueError names a bad entry."""
        furniture_file = directory / "furniture.yaml"
        spec = yaml.safe_load(furniture_file.read_text(encoding="utf-8")) or {}
        patterns = []
        for kind, entries in (spec.get("kinds") or {}).items():
            for entry in entries or []:
                try:
                    patterns.append((kind, re.compile(entry, re.IGNORECASE)))
                except re.error as error:
                    raise ValueError(f"{furniture_file}: kind {kind!r}: bad pattern {entry!r}: {error}")
        outlets_file = directory / "outlets.yaml"
        names: dict[str, str] = {}
        for item in (yaml.safe_load(outlets_file.read_text(encoding="utf-8")) or {}).get("outlets", []):
            if not isinstance(item, dict) or not item.get("name"):
                raise ValueError(f"{outlets_file}: every outlet needs a 'name': {item!r}")
            for spelling in [item["name"], *(item.get("aliases") or [])]:
                key = str(spelling).lower()
                if key in names:
                    raise ValueError(f"{outlets_file}: {spelling!r} listed twice")
                names[key] = str(item["name"])
        spellings = sorted((s for s in names), key=len, reverse=True)
        outlets = "|".join(re.escape(s) for s in spellings)
        # "(Reuters) - ", "WASHINGTON (AP) — ", "KYIV, July 10 (Reuters) -": a known outlet in brackets
        # followed by a dash at the very start; the city / dateline before it is kept. Only known
        # outlets: "(CORRECTION) -" and "(Chechnya):" open real text.
        leading_tag = re.compile(
            r"\A(?P<dateline>\s*(?:[A-Z][A-Za-z0-9 .,'’-]{1,40}?\s+)?)"
            rf"(?P<tag>\((?P<outlet>(?i:{outlets}))\)\s*(?P<dash>[-–—]+|:)\s*)"
        )
        # ", News.Az reports, citing Reuters": a republisher crediting its source.
        citing = re.compile(
            r"\s*,\s*(?:[A-Z][\w.&'’-]*(?:\s[A-Z][\w.&'’-]*){0,3})\s+reports?,?\s+citing\s+"
            rf"(?P<outlet>(?i:{outlets}))(?=\s*[.;,]|\s*\Z)"
        )
        return cls(tuple(patterns), int(spec.get("max_line_chars", 160)),
                   FurnitureMatcher.build([p.pattern for _, p in patterns]), names, leading_tag, citing)


@lru_cache(maxsize=4)
def load_rules(directory: Path = DEFAULT_CLEANING_DIR) -> CleaningRules:
    """The rules in `directory`, read once per process."""
    return CleaningRules.load(directory)


def clean_text(text: str, rules: CleaningRules | None = None) -> CleanedText:
    """Remove furniture, a trailing related-headlines block, signatures, source labels and outlet
    tags from `text`; every removal is listed in `removed`, credited outlets in `cited_sources`."""
    rules = rules or load_rules()
    if "\n" not in text:
        # One line (most WCEP items: a sentence or two, then source labels such as "(BBC)"): a few
        # C-level tests on the whole line rule out furniture, a signature, a "citing" credit and an
        # outlet tag, so at most source labels go, without the general path's lists and calls.
        stripped = text.strip().strip(_BULLETS)
        last = text[-1:]
        # A signature match ends the text with "reuter", a stop or "…", then whitespace or \x03 only.
        if not (last in _SIGNATURE_LAST or last.isspace() or "citing" in text or (
                stripped and len(stripped) <= rules.max_furniture_chars
                and rules.any_furniture.fullmatch(stripped))):  # (last in "...": also when empty)
            label_removals: tuple[Removal, ...] = ()
            outlets: tuple[str, ...] = ()
            out = text
            if last == ")":  # (text ends with it: text.rstrip() is text, as source labels need)
                rest, credits = _strip_source_labels(text, rules)
                if credits and rest and rest[-1] in _SENTENCE_END:
                    out = rest
                    if len(credits) == 1:
                        label_removals, outlets = credits[0].alone
                    else:
                        label_removals = tuple([credit.removal for credit in reversed(credits)])
                        named = [credit.outlet for credit in reversed(credits) if credit.outlet is not None]
                        outlets = tuple(dict.fromkeys(named)) if len(named) > 1 else tuple(named)
            # An outlet tag opens with "(" after nothing but a dateline: no "(" left, no tag.
            if "(" not in out or not rules.leading_tag.match(out):
                cleaned = _new_record(CleanedText)  # (_cleaned, inline)
                fields = cleaned.__dict__
                fields["text"], fields["removed"], fields["cited_sources"] = out, label_removals, outlets
                return cleaned
    return _clean_any_text(text, rules)


def _clean_any_text(text: str, rules: CleaningRules) -> CleanedText:
    """clean_text's general path: every step in turn, for any text."""
    removed: list[Removal] = []
    cited: list[str] = []
    if "\n" in text:
        lines = text.split("\n")
        furniture = {i for i in rules.any_furniture.suspect_lines(text, lines)
                     if _is_furniture(lines[i], rules, removed)}
        kept = [line for i, line in enumerate(lines) if i not in furniture] if furniture else lines
        kept = _drop_related_headlines(kept, removed)
        out = "\n".join(kept).strip("\n").rstrip() if len(kept) != len(lines) else text
    else:
        out = "" if _is_furniture(text, rules, removed) else text
    out = _drop_signature(out, removed, cited)
    out = _drop_source_labels(out, removed, cited, rules)
    out = _drop_outlet_tags(out, removed, cited, rules)
    return _cleaned(out, tuple(removed), tuple(dict.fromkeys(cited)) if len(cited) > 1 else tuple(cited))


def _cleaned(text: str, removed: tuple[Removal, ...], cited_sources: tuple[str, ...]) -> CleanedText:
    # CleanedText's own __init__ sets each field through object.__setattr__ (it is frozen): filling
    # its __dict__ builds the same record in half the time, once per article.
    cleaned = _new_record(CleanedText)
    fields = cleaned.__dict__
    fields["text"], fields["removed"], fields["cited_sources"] = text, removed, cited_sources
    return cleaned


def _is_furniture(line: str, rules: CleaningRules, removed: list[Removal]) -> bool:
    stripped = line.strip().strip(_BULLETS)
    if not stripped or len(stripped) > rules.max_furniture_chars or not rules.any_furniture.fullmatch(stripped):
        return False
    for kind, pattern in rules.furniture:  # which kind it was: only for the rare line that is furniture
        if pattern.fullmatch(stripped):
            removed.append(Removal(kind, line.strip()))
            return True
    return False


def is_headline_like(line: str) -> bool:
    """A short title-case line without final punctuation: "Belarus Frees 123 Political Prisoners"."""
    stripped = line.strip().strip(_BULLETS)
    if not stripped or len(stripped) > _HEADLINE_MAX_CHARS or stripped[-1] in ".,;:…":
        return False
    letters = [c for c in stripped if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.7 * len(letters):
        return False  # ALL CAPS lines are wire-service tables and slugs, not a related-stories block
    words = stripped.split()
    if not _HEADLINE_WORDS[0] <= len(words) <= _HEADLINE_WORDS[1]:
        return False
    content = [w for w in words if any(c.isalpha() for c in w) and w.lower() not in _MINOR_WORDS]
    if not content:
        return False
    capitalised = sum(1 for w in content if w.lstrip("\"'“‘(").lstrip("$")[:1].isupper())
    return capitalised / len(content) >= _HEADLINE_MIN_CAPITALISED


def is_sentence_case_headline(line: str) -> bool:
    """A short line that starts with a capital, has few numbers and no final punctuation:
    "Russia launches record drone attack on Ukraine". Only trusted as a block set off by a blank line."""
    stripped = line.strip().strip(_BULLETS)
    if not stripped or len(stripped) > _HEADLINE_MAX_CHARS or stripped[-1] in ".,;:…!?":
        return False
    words = stripped.split()
    if not 4 <= len(words) <= 16 or not stripped[0].isupper():
        return False
    return sum(1 for w in words if any(c.isdigit() for c in w)) <= len(words) // 4


def _drop_related_headlines(lines: list[str], removed: list[Removal]) -> list[str]:
    if len(lines) <= MIN_RELATED_HEADLINES:
        return lines  # no room for a body plus a block
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    start = _block_start(lines, end, is_headline_like)
    if _count(lines, start, end) < MIN_RELATED_HEADLINES:
        # Sentence-case headlines look like many other short lines (table rows, list items), so
        # they count only as a block after a blank line that follows a finished sentence.
        start = _block_start(lines, end, is_sentence_case_headline)
        before = next((line.strip() for line in reversed(lines[:start]) if line.strip()), "")
        if not (start and not lines[start - 1].strip() and before and before[-1] in _SENTENCE_END):
            return lines
    block = [line for line in lines[start:end] if line.strip()]
    if len(block) < MIN_RELATED_HEADLINES or not any(line.strip() for line in lines[:start]):
        return lines  # too short to be a block, or nothing but headlines: keep it all
    removed.extend(Removal("related-headlines", line.strip()) for line in block)
    return lines[:start]


def _block_start(lines: list[str], end: int, is_headline: Callable[[str], bool]) -> int:
    """Where the run of headline lines (blank lines allowed between them) ending at `end` starts."""
    start = end
    while start and (not lines[start - 1].strip() or is_headline(lines[start - 1])):
        start -= 1
    while start < end and not lines[start].strip():
        start += 1
    return start


def _count(lines: list[str], start: int, end: int) -> int:
    return sum(1 for line in lines[start:end] if line.strip())


def _drop_signature(text: str, removed: list[Removal], cited: list[str]) -> str:
    tail_start = max(0, len(text) - 60)  # the signature is at the very end: never scan the body
    tail = text[tail_start:]
    if tail.isascii() and "reuter" not in tail.lower():
        return text  # (for ASCII text the pattern's case-insensitive "reuter" is this test)
    match = _SIGNATURE.search(text, tail_start)
    if not match or not text[:match.start()].strip():
        return text
    removed.append(Removal("signature", match.group(1)))
    cited.append("Reuters")
    return text[:match.start()].rstrip()


def _drop_source_labels(text: str, removed: list[Removal], cited: list[str],
                        rules: CleaningRules) -> str:
    rest = text.rstrip()
    if not rest.endswith(")"):
        return text
    rest, credits = _strip_source_labels(rest, rules)
    # Only labels after the last sentence: "... the European Union (EU)" has no stop before it.
    if not credits or not rest or rest[-1] not in _SENTENCE_END:
        return text
    for credit in reversed(credits):
        removed.append(credit.removal)
        if credit.outlet is not None:
            cited.append(credit.outlet)
    return rest


def _strip_source_labels(text: str, rules: CleaningRules) -> tuple[str, list[_SourceLabel]]:
    """(`text` before its trailing source labels, their credits from the last one back): as many
    "(label)"s as _trailing_label finds and _label_credit accepts. A label the rules remember (most
    WCEP labels: "(BBC)") is looked up straight from the brackets that end the text."""
    credits: list[_SourceLabel] = []
    remembered = rules.label_credits
    rest = text
    while (body := rest.rstrip()).endswith(")"):
        opening = body.rfind("(", -2 - _LABEL_MAX_CHARS)  # (_trailing_label's window, from the end)
        credit = remembered.get(body[opening + 1:-1]) if opening > 0 else None
        if credit is not None:  # (a remembered label passed _trailing_label's tests when first seen)
            rest = body[:opening].rstrip(" \t")
        elif (found := _trailing_label(rest)) and (credit := _label_credit(found[1], rules)):
            rest = found[0]
        else:
            break
        credits.append(credit)
    return rest, credits


def _label_credit(label: str, rules: CleaningRules) -> _SourceLabel | None:
    """For the text inside a trailing "(...)": None when it is not a source label ("(1999)",
    "(he said.)"), else its removal record and the outlet it credits (None: not an outlet name).
    WCEP repeats a few hundred labels ("(BBC)", "(Reuters)"): each is worked out once per process."""
    known = rules.label_credits.get(label, _UNSEEN)
    if known is _UNSEEN:
        known = None
        if _is_source_label(label):
            name = label.strip()
            outlet = _VIA_GOOGLE_NEWS.sub("", name) if "via Google News" in name else name
            credited = rules.outlet_names.get(outlet.lower())
            if credited is None and _looks_like_outlet(outlet):
                credited = outlet
            removal = Removal("source-label", f"({name})")
            known = _SourceLabel(removal, credited, ((removal,), (credited,) if credited is not None else ()))
        if len(rules.label_credits) < _MAX_REMEMBERED_LABELS:
            rules.label_credits[label] = known
    return known


def _trailing_label(text: str) -> tuple[str, str] | None:
    """(the text before it, the text inside the brackets) of the "(label)" that ends `text`, or None.
    Whitespace (line breaks too) may follow the label; spaces and tabs before its "(" go with it.
    Looks back from the end: a regex search would try every position of the article first."""
    body = text.rstrip()
    if not body.endswith(")"):
        return None
    opening = body.rfind("(", max(0, len(body) - 2 - _LABEL_MAX_CHARS))
    label = body[opening + 1:-1]
    if opening < 0 or not label or ")" in label or "\n" in label:
        return None  # an earlier "(" would enclose this one: a label holds no bracket
    end = opening
    while end and body[end - 1] in " \t":  # (one copy of the text, not two with rstrip)
        end -= 1
    return body[:end], label


def _looks_like_outlet(name: str) -> bool:
    """"The Sydney Morning Herald" yes; "see also: Dodgy Dossier", "in Spanish" no."""
    words = name.split()
    return (0 < len(words) <= 6 and ":" not in name and words[0] != "See"
            and all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _MINOR_WORDS for w in words))


def _is_source_label(label: str) -> bool:
    label = label.strip()
    return bool(label) and label[-1] not in ".!?" and not label.replace(" ", "").isdigit()


def _drop_outlet_tags(text: str, removed: list[Removal], cited: list[str], rules: CleaningRules) -> str:
    match = rules.leading_tag.match(text) if "(" in text else None
    if match:
        outlet = match.group("outlet")
        removed.append(Removal("outlet-tag", match.group("tag").strip()))
        cited.append(rules.outlet_names.get(outlet.lower(), outlet))
        dateline = match.group("dateline")
        # Keep the city as a dateline ("WASHINGTON - ..."); with no city the tag simply goes.
        kept = f"{dateline.rstrip()} {match.group('dash')} " if dateline.strip() else dateline
        text = kept + text[match.end():]
    if "citing" in text:  # the credit pattern's "citing" is case-sensitive
        def credit(found: re.Match[str]) -> str:
            removed.append(Removal("outlet-tag", found.group(0).strip(" ,")))
            cited.append(rules.outlet_names[found.group("outlet").lower()])
            return ""
        text = rules.citing.sub(credit, text)
    return text
