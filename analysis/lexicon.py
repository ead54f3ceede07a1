"""Escalation and cooperation terms (PLOVER-like categories, Goldstein-like weights) and the stance rule.

The terms are data: data/lexicon/terms.csv (one row per term), categories.csv (category -> polarity)
and modifiers.yaml (negation, threat, history and intensity cues), described for analysts in
data/lexicon/README.md. An analyst's file (data/user/lexicon.csv, same columns) adds terms or
replaces rows with the same term. `Lexicon.load()` validates all of it and compiles every surface
form, and every modifier cue, into one Aho-Corasick automaton; `find_keywords(sentence)` is then one
pass over the lower-cased sentence plus a word-boundary check, overlaps resolved longest-first.

Speed (issue 6): a sentence without a term costs only that pass. A context row is first tested on
the whole sentence (none of its words occurs at all: settled without tokenising); otherwise each of
its words is looked up where it occurs in the sentence (is a token there, inside the window?)
rather than by tokenising the windows. A term that no cue can modify (no cue hit ends before it, no
history cue after it, no year or large number in the sentence) is a plain act without reading the
cues at all. The modifier windows are read on the few words around a term, never by tokenising the
whole sentence; tests/test_lexicon.py checks each shortcut against the plain computation.
"""
from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import ahocorasick

from analysis.inflect import inflections
from analysis.model import KeywordMatch
from analysis.modifiers import Modifiers, SentenceCues, longest_first

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "data" / "lexicon"
POLARITIES = ("escalation", "cooperation", "none")
COLUMNS = ("term", "category", "polarity", "weight", "inflect", "context", "forms", "note")
REQUIRED_COLUMNS = ("term", "category", "weight")
INFLECT_KINDS = ("verb", "noun", "both", "none", "")
MAX_FILE_BYTES = 1_000_000
MUTUAL_FILE = "mutual.csv"
CONTEXT_WINDOW = 8  # words either side in which a row's context words must appear
# Same-length lower-casing keeps offsets valid; curly apostrophes become straight ones.
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})


class LexiconError(ValueError):
    """A lexicon file cannot be used; the message names the file and the row."""


@dataclass(frozen=True)
class LexiconEntry:
    """One row of a lexicon file, validated."""

    term: str
    category: str
    polarity: str  # escalation | cooperation | none (a stop phrase)
    weight: float
    inflect: str = "none"
    # Words one of which must be near ("troop*" matches a prefix); "!word" blocks the row when near.
    context: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()  # extra surface forms (irregular inflections, spelling variants)
    note: str = ""
    origin: str = ""  # "terms.csv:12"

    def surface_forms(self) -> set[str]:
        return inflections(self.term, self.inflect) | set(self.forms)

    def context_ok(self, nearby: set[str]) -> bool:
        """True when no blocking word ("!price*") is in `nearby` and, if the row lists required
        words, one of them is."""
        if not self.context:
            return True
        (exact, prefixes), (blocked, blocked_prefixes) = _context_index(self.context)
        if blocked & nearby or (blocked_prefixes and any(w.startswith(blocked_prefixes) for w in nearby)):
            return False
        if not exact and not prefixes:
            return True
        return bool(exact & nearby) or (bool(prefixes) and any(w.startswith(prefixes) for w in nearby))

    def to_dict(self) -> dict:
        return asdict(self)


Words = tuple[frozenset[str], tuple[str, ...]]  # exact words, prefixes


@lru_cache(maxsize=None)
def _context_index(context: tuple[str, ...]) -> tuple[Words, Words]:
    """(required, blocking) context words, each split into exact words and prefixes ("troop*" ->
    "troop"); computed once per row."""
    def split(words: list[str]) -> Words:
        return (frozenset(w for w in words if not w.endswith("*")),
                tuple(w[:-1] for w in words if w.endswith("*")))
    return (split([c for c in context if not c.startswith("!")]),
            split([c[1:] for c in context if c.startswith("!")]))


def lower_same_length(text: str) -> str:
    lowered = text.lower()
    if len(lowered) != len(text):  # e.g. "İ" lowers to two characters
        lowered = "".join(ch.lower()[0] for ch in text)
    # Two membership tests are far cheaper than str.translate on every sentence.
    if "\u2019" in lowered or "\u2018" in lowered:
        lowered = lowered.translate(APOSTROPHES)
    return lowered


def _read_categories(path: Path) -> dict[str, str]:
    """category -> polarity from categories.csv."""
    categories = {}
    for line, row in _read_csv(path, ("category", "polarity")):
        polarity = (row["polarity"] or "").strip().lower()
        if polarity not in POLARITIES:
            raise LexiconError(f"{path.name}, line {line}: polarity '{polarity}' should be one of "
                               f"{', '.join(POLARITIES)}")
        categories[(row["category"] or "").strip().upper()] = polarity
    return categories


def _check_modifier_categories(modifiers: Modifiers, categories: dict[str, str]) -> None:
    """A negated or stopped term becomes a category of the other side; it must exist."""
    for becomes, polarity in ((modifiers.negated_cooperation_category, "escalation"),
                              (modifiers.stopped_cooperation_category, "escalation"),
                              (modifiers.stopped_escalation_category, "cooperation")):
        if categories.get(becomes) != polarity:
            raise LexiconError(f"modifiers.yaml: '{becomes}' should be an {polarity} category "
                               f"of categories.csv")


def _read_csv(path: Path, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) pairs of a CSV file; lines whose first cell starts with '#' are comments."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise LexiconError(f"{path}: cannot read lexicon file ({exc.strerror})") from exc
    if size > MAX_FILE_BYTES:
        raise LexiconError(f"{path}: file too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LexiconError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise LexiconError(f"{path}, line 1: missing column(s) {', '.join(missing)}; "
                           f"expected {', '.join(COLUMNS)}")
    rows = []
    for row in reader:
        first = (row.get(reader.fieldnames[0]) or "").strip()
        if first.startswith("#") or not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        rows.append((reader.line_num, row))
    return rows


def _parse_entry(path: Path, line: int, row: dict[str, str], categories: dict[str, str]) -> LexiconEntry:
    where = f"{path.name}, line {line}"
    term = " ".join((row.get("term") or "").lower().split()).translate(APOSTROPHES)
    if not term:
        raise LexiconError(f"{where}: empty term")
    category = (row.get("category") or "").strip().upper()
    if category not in categories:
        raise LexiconError(f"{where}: unknown category '{category}' for '{term}' "
                           f"(known: {', '.join(sorted(categories))})")
    polarity = categories[category]
    given = (row.get("polarity") or "").strip().lower()
    if given and given != polarity:
        raise LexiconError(f"{where}: polarity '{given}' for '{term}' contradicts category "
                           f"{category}, which is {polarity}")
    try:
        weight = float((row.get("weight") or "").strip())
    except ValueError:
        raise LexiconError(f"{where}: weight '{row.get('weight')}' for '{term}' is not a number") from None
    if not 0 <= weight <= 10:
        raise LexiconError(f"{where}: weight {weight:g} for '{term}' is out of range 0..10")
    inflect = (row.get("inflect") or "").strip().lower()
    if inflect not in INFLECT_KINDS:
        raise LexiconError(f"{where}: inflect '{inflect}' for '{term}' should be one of verb, noun, both, none")

    def split(cell: str | None) -> tuple[str, ...]:
        return tuple(" ".join(p.lower().split()).translate(APOSTROPHES)
                     for p in (cell or "").split("|") if p.strip())

    forms = split(row.get("forms"))
    for form in (term, *forms):
        if not (form[0].isalnum() and form[-1].isalnum()):
            raise LexiconError(f"{where}: '{form}' should start and end with a letter or digit")
    return LexiconEntry(term=term, category=category, polarity=polarity, weight=weight,
                        inflect=inflect or "none", context=split(row.get("context")),
                        forms=forms, note=(row.get("note") or "").strip(),
                        origin=f"{path.name}:{line}")


def read_entries(path: Path, categories: dict[str, str]) -> list[LexiconEntry]:
    """Validated rows of one terms file (the shipped terms.csv or an analyst's file)."""
    return [_parse_entry(path, line, row, categories) for line, row in _read_csv(path, REQUIRED_COLUMNS)]


def read_mutual_terms(path: Path, terms: Iterable[str] | None = None) -> frozenset[str]:
    """The terms of mutual.csv: hostile acts between the parties themselves ("clash", "dispute"),
    which joined subjects ("India and Pakistan clashed") do to each other (analysis.pairs). With
    `terms`, each must be one of them: a misspelt row would silently never apply."""
    known = None if terms is None else set(terms)
    found = set()
    for line, row in _read_csv(path, ("term",)):
        term = " ".join((row["term"] or "").lower().split())
        if not term:
            raise LexiconError(f"{path.name}, line {line}: empty term")
        if known is not None and term not in known:
            raise LexiconError(f"{path.name}, line {line}: '{term}' is not a term of the lexicon "
                               f"(terms.csv or your lexicon.csv)")
        found.add(term)
    return frozenset(found)


@lru_cache(maxsize=1)
def shipped_mutual_terms() -> frozenset[str]:
    """`Lexicon.mutual_terms` of the shipped lexicon: the default of analysis.pairs for callers
    without a Lexicon."""
    return Lexicon.load().mutual_terms


class Lexicon:
    """Compiled terms + modifier rules. Build with `Lexicon.load()`."""

    def __init__(self, entries: list[LexiconEntry], modifiers: Modifiers, version: str,
                 categories: dict[str, str] | None = None,
                 mutual_terms: Iterable[str] = ()) -> None:
        self._entries = tuple(entries)
        self.categories = dict(categories or {})  # category -> polarity, for display
        self.modifiers = modifiers
        self.version = version
        # Terms whose act joined subjects do to each other (analysis.pairs): the rows of mutual.csv,
        # and every cooperation term ("talks", "deal": a refused or failed one is still theirs).
        self.mutual_terms = frozenset(mutual_terms).union(
            [e.term for e in self._entries if e.polarity == "cooperation"])
        forms: dict[str, list[LexiconEntry]] = {}
        # Later rows first, so an analyst's row (loaded last) wins over a shipped row's inflection.
        for entry in reversed(self._entries):
            for form in entry.surface_forms():
                forms.setdefault(form, []).append(entry)
        # One automaton for terms and modifier cues: a sentence is read once for both.
        # Each value is (term, cue): term is (length, candidate rows) or None, cue is the
        # modifiers' own value for that string or None.
        values: dict[str, tuple] = {}
        for form, candidates in forms.items():
            # A row that needs context is more specific: try it before the catch-all row.
            candidates.sort(key=lambda e: not e.context)
            # (length, rows): the automaton reports a hit's last index, so start - 1 = last - length.
            values[form] = ((len(form), tuple((e, _context_needles(e)) for e in candidates)), None)
        for cue, cue_value in modifiers.automaton.items():
            values[cue] = (values[cue][0] if cue in values else None, cue_value)
        self._automaton = ahocorasick.Automaton()
        for key, value in values.items():
            self._automaton.add_word(key, value)
        self._automaton.make_automaton()

    @classmethod
    def load(cls, data_dir: Path | None = None, user_file: Path | None = None) -> Lexicon:
        """Read terms.csv, categories.csv, modifiers.yaml and mutual.csv (when present) from
        `data_dir` (default data/lexicon) and an optional analyst's CSV whose rows add terms or
        replace rows with the same term. Raises LexiconError naming the file and line of the first
        bad row."""
        data_dir = Path(data_dir) if data_dir else DEFAULT_DIR
        categories = _read_categories(data_dir / "categories.csv")
        entries = read_entries(data_dir / "terms.csv", categories)
        _check_duplicates(entries)
        sources = [data_dir / "categories.csv", data_dir / "terms.csv", data_dir / "modifiers.yaml"]
        if user_file is not None:
            user_file = Path(user_file)
            by_term = {e.term: i for i, e in enumerate(entries)}
            for entry in read_entries(user_file, categories):
                if entry.term in by_term:
                    entries[by_term[entry.term]] = entry
                else:
                    by_term[entry.term] = len(entries)
                    entries.append(entry)
            sources.append(user_file)
        modifiers = Modifiers.load(data_dir / "modifiers.yaml")
        _check_modifier_categories(modifiers, categories)
        mutual_file = data_dir / MUTUAL_FILE
        mutual: frozenset[str] = frozenset()
        if mutual_file.is_file():
            mutual = read_mutual_terms(mutual_file, (e.term for e in entries))
            sources.append(mutual_file)
        digest = hashlib.sha256()
        for path in sources:
            digest.update(path.read_bytes())
        return cls(entries, modifiers, digest.hexdigest()[:10], categories, mutual)

    def entries(self) -> tuple[LexiconEntry, ...]:
        """Every row in force (shipped and analyst's), stop phrases included, for display and search."""
        return self._entries

    def find_keywords(self, sentence: str, reference_year: int | None = None) -> tuple[KeywordMatch, ...]:
        """Escalation/cooperation terms of one sentence with modifiers applied, in text order.
        Offsets index `sentence`. With `reference_year` (the article's year), a year mention at or
        after the year before it is not treated as history."""
        return self.find_keywords_batch((sentence,), reference_year)[0]

    def find_keywords_batch(self, sentences: Sequence[str],
                            reference_year: int | None = None) -> tuple[tuple[KeywordMatch, ...], ...]:
        """`find_keywords` of each sentence of one article, in order: the same results, one call.
        (Reading the sentences joined in one automaton pass was measured no faster.)"""
        scan = self._automaton.iter
        results = []
        for sentence in sentences:
            lowered = sentence.lower()
            # lower_same_length, inlined for the common case: same length, no curly apostrophe.
            if len(lowered) != len(sentence) or "\u2019" in lowered or "\u2018" in lowered:
                lowered = lower_same_length(sentence)
            size = len(lowered)
            found = []
            cue_hits = []
            for end_index, (term, cue) in scan(lowered):
                if cue is not None:
                    cue_hits.append((end_index, cue))
                if term is not None:
                    start = end_index - term[0]
                    # Word boundaries, inlined: every term starts and ends with a letter or digit.
                    if (start < 0 or not lowered[start].isalnum()) and (
                            end_index + 1 == size or not lowered[end_index + 1].isalnum()):
                        found.append((start + 1, end_index + 1, term[1]))
            # Most sentences: no term, nothing more to do.
            results.append(self._matches(lowered, found, cue_hits, reference_year) if found else ())
        return tuple(results)

    def _matches(self, lowered: str, found: list, cue_hits: list,
                 reference_year: int | None) -> tuple[KeywordMatch, ...]:
        """The matches of a sentence from its term hits at word boundaries (start, end, candidate
        rows) and its cue automaton hits: context rows checked, overlaps resolved longest-first,
        modifiers applied."""
        cues = None  # built on first use: many sentences keep no term once context is checked
        if len(found) == 1 and found[0][2][0][1] is None:
            # The usual case: one term whose first row needs no context.
            start, end, candidates = found[0]
            chosen = [(start, end, candidates[0][0])]
        else:
            chosen = []
            for start, end, candidates in found:
                for entry, needles in candidates:
                    if needles is not None:
                        required, blocked = needles
                        # A context word or prefix that is nowhere in the sentence is not near the
                        # term either: most rows are settled without tokenising the sentence.
                        # (Plain loops: any() over a generator costs more than the tests.)
                        if required:
                            for needle in required:
                                if needle in lowered:
                                    break
                            else:
                                continue
                        else:
                            for needle in blocked:
                                if needle in lowered:
                                    break
                            else:
                                chosen.append((start, end, entry))
                                break
                        if cues is None:
                            cues = SentenceCues(lowered, cue_hits)
                        if not _context_near(entry.context, cues, start, end):
                            continue
                    chosen.append((start, end, entry))
                    break
            if not chosen:
                return ()
            if len(chosen) > 1:
                chosen = longest_first(chosen)
        modifiers = self.modifiers
        # Terms that start before this index are plain acts, known without building the cues.
        plain_before = modifiers.plain_act_before(lowered, cue_hits, reference_year)
        plain_factor = modifiers.plain_act_factor
        judge = modifiers.judgement
        matches = []
        for start, end, entry in chosen:
            polarity = entry.polarity
            if polarity == "none":  # a stop phrase: it only blocked shorter terms
                continue
            if start < plain_before:
                modality, factor, becomes = "act", plain_factor, None
            else:
                if cues is None:
                    cues = SentenceCues(lowered, cue_hits)
                modality, factor, becomes = judge(cues, start, end, polarity, reference_year)
            category = entry.category
            if becomes:
                category, polarity = becomes
            matches.append(_keyword_match(entry.term, category, polarity, entry.weight,
                                          start, end, modality, factor))
        return tuple(matches)


def _context_near(context: tuple[str, ...], cues: SentenceCues, start: int, end: int) -> bool:
    """`LexiconEntry.context_ok` of the words within CONTEXT_WINDOW of the term at [start, end),
    each context word looked up where it occurs (SentenceCues.word_near) instead of tokenising
    the windows."""
    (exact, prefixes), (blocked, blocked_prefixes) = _context_index(context)
    near, text = cues.word_near, cues.text

    def any_near(words: Iterable[str], is_prefix: bool) -> bool:
        # A word that occurs nowhere in the sentence is not near (most of a row's words): tested
        # here before the call.
        for word in words:
            if word in text and near(word, is_prefix, start, end, CONTEXT_WINDOW):
                return True
        return False

    if any_near(blocked, False) or any_near(blocked_prefixes, True):
        return False
    if not exact and not prefixes:
        return True
    return any_near(exact, False) or any_near(prefixes, True)


def _context_needles(entry: LexiconEntry) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(required, blocking) context words and prefixes of a row as plain strings, or None for a row
    without context. A word is near the term only if the string occurs in the sentence at all."""
    if not entry.context:
        return None
    (exact, prefixes), (blocked, blocked_prefixes) = _context_index(entry.context)
    return (*sorted(exact), *prefixes), (*sorted(blocked), *blocked_prefixes)


def _keyword_match(term: str, category: str, polarity: str, weight: float, start: int, end: int,
                   modality: str, factor: float) -> KeywordMatch:
    """KeywordMatch(...) without the frozen dataclass __init__, which sets each of the eight fields
    through object.__setattr__ (3x the cost); same fields, same equality and hash."""
    match = _new_object(KeywordMatch)
    match.__dict__.update(term=term, category=category, polarity=polarity, weight=weight,
                          start=start, end=end, modality=modality, factor=factor)
    return match


_new_object = object.__new__
if hasattr(KeywordMatch, "__slots__") or hasattr(KeywordMatch, "__post_init__"):  # pragma: no cover
    # The record changed shape: build it the ordinary way.
    def _keyword_match(*values) -> KeywordMatch:  # noqa: F811
        return KeywordMatch(*values)


def _check_duplicates(entries: list[LexiconEntry]) -> None:
    """Two context-free rows producing the same surface form with different meanings would make the
    match order-dependent ("bombing" from both "bomb" and "bombing", both ASSAULT 8, is fine)."""
    owner: dict[str, LexiconEntry] = {}
    for entry in entries:
        if entry.context:
            continue
        for form in entry.surface_forms():
            other = owner.setdefault(form, entry)
            if other is not entry and (other.category, other.weight) != (entry.category, entry.weight):
                raise LexiconError(f"{entry.origin}: form '{form}' of '{entry.term}' is also a form "
                                   f"of '{other.term}' ({other.origin}); keep it in one row")


def stance(escalation: float, cooperation: float, sentiment: float, *,
           dead_zone: float = 0.05) -> str:
    """Stance of a sentence or pair: "conflict", "cooperation" or "neutral".

    Keyword balance first: more escalation score than cooperation score is conflict, more
    cooperation is cooperation. Only when the two are equal (typically both 0: no keyword matched,
    or every match was negated) does the VADER compound decide: below -dead_zone conflict, above
    +dead_zone cooperation, inside the dead zone neutral. 0.05 is VADER's own neutral band.
    """
    if abs(escalation - cooperation) > 1e-9:
        return "conflict" if escalation > cooperation else "cooperation"
    if sentiment <= -dead_zone:
        return "conflict"
    if sentiment >= dead_zone:
        return "cooperation"
    return "neutral"
