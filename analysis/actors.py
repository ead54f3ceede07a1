"""Who a sentence is about: countries, their capitals and organs, leaders in office, organisations.

The knowledge lives in data/actors/*.csv (see data/actors/README.md); this module loads and validates
it and matches it with an Aho-Corasick automaton over the lower-cased sentence (one for ASCII text,
one for any text). Each hit is then
checked against the original text (case rules, word boundaries), the article date (a leader counts
for a country only while in office), context rules ("Michael Jordan", Georgia the US state) and the
words around it (a city named only as where something happens is a venue, not a party).

    dictionary = ActorDictionary.load()
    dictionary.find_actors("Rubio will meet Lavrov in Kuala Lumpur", "2025-07-10")
    -> ActorMention(code="USA", kind="leader", role="party"), ... (MYS, kind="capital", role="venue")
"""
from __future__ import annotations

import csv
import re
import unicodedata
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from operator import itemgetter
from pathlib import Path

import ahocorasick

from analysis.model import ActorKind, ActorMention
from analysis.salience import DEFAULT_SALIENCE, SalienceRule, salient_countries

__all__ = ["ActorDataError", "ActorDictionary", "ActorEntry", "ContextRule", "DEFAULT_SALIENCE",
           "SalienceRule", "salient_countries"]

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "actors"
KINDS: frozenset[str] = frozenset(ActorKind.__args__)  # type: ignore[attr-defined]
CASE_RULES = frozenset({"title", "exact", "any"})
# Columns of aliases.csv, places.csv, organs.csv and an analyst's data/user/actors.csv (the first three required).
ALIAS_COLUMNS = ("alias", "code", "kind", "case", "start", "end", "note")
PEOPLE_COLUMNS = ("person", "aliases", "code", "role", "start", "end", "note")
RULE_TYPES = frozenset({
    "skip_if_next_capitalised", "skip_if_prev_capitalised", "skip_if_prev_word", "skip_if_next_text",
    "skip_in_all_caps", "us_state_if_context", "country_cue",
})
# Files of alias rows, in load order (a later file may not redefine an alias with another code).
ALIAS_FILES = ("aliases.csv", "places.csv", "organs.csv")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


MAX_USER_FILE_BYTES = 1_000_000  # the analyst's alias file, as for the lexicon's


class ActorDataError(ValueError):
    """A row of an actor file that cannot be used; the message names the file and the line."""


@dataclass(frozen=True)
class ActorEntry:
    """One way of naming an actor: `alias` means `code` (ISO3 or organisation short name)."""

    alias: str
    code: str
    kind: str
    case: str = "title"  # title: capitals in the alias must be capitals in the text; exact; any
    start: str = ""  # ISO date the alias starts to mean `code` ("" = always)
    end: str = ""  # ISO date it stops ("" = still does)
    is_organisation: bool = False
    person: str = ""  # for leaders: who, and in which role
    role: str = ""
    note: str = ""
    origin: str = ""  # "file.csv:line"

    def active_on(self, on_date: str | None) -> bool:
        """Inside [start, end] on `on_date`; an undated text counts open-ended (current) roles (and,
        in ActorDictionary._resolve, a person whose every role was for one country)."""
        if on_date is None:
            return not self.end
        return (not self.start or self.start <= on_date) and (not self.end or on_date <= self.end)


@dataclass(frozen=True)
class ContextRule:
    alias: str
    rule: str
    words: tuple[str, ...]
    note: str = ""

    @property
    def pattern(self) -> re.Pattern[str]:
        """One compiled regex for 'any of `words` as a whole word'."""
        cached = _RULE_PATTERNS.get(self.words)
        if cached is None:
            alternatives = "|".join(re.escape(w) for w in sorted(self.words, key=len, reverse=True))
            cached = _RULE_PATTERNS[self.words] = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
        return cached


_RULE_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


# ---------------------------------------------------------------------------------------- loading

def _read_csv(path: Path, required: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ActorDataError(f"{path.name}: not UTF-8 text ({exc.reason})") from exc
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise ActorDataError(f"{path.name}: missing column(s) {', '.join(missing)}; "
                             f"expected {', '.join(required)}")
    rows = []
    for line, row in enumerate(reader, start=2):
        clean = {k: (v or "").strip() for k, v in row.items() if k is not None}
        if any(clean.values()):
            rows.append((line, clean))
    return rows


def _check_dates(where: str, start: str, end: str) -> None:
    for label, value in (("start", start), ("end", end)):
        if value and not _is_date(value):
            raise ActorDataError(f"{where}: {label} date {value!r} is not a YYYY-MM-DD date")
    if start and end and end < start:
        raise ActorDataError(f"{where}: end {end} is before start {start}")


def _is_date(value: str) -> bool:
    if not _DATE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Matching runs on a copy of the sentence that is lower-cased and has every punctuation mark turned
# into a space, with the same length (so offsets line up): "U.S.-led" -> "u s  led". Aliases are
# normalised the same way and keyed with a leading space, so the automaton only reports hits that
# start at a word: "us" inside "bonus" is never even seen.
_PUNCTUATION = "".join(chr(c) for c in range(128) if not chr(c).isalnum()) + \
    "\u00a0\u00ab\u00bb\u00b7\u2010\u2011\u2012\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2022\u2026\u02bc\u2032"
_TO_SPACE = str.maketrans(_PUNCTUATION, " " * len(_PUNCTUATION))


# The same mapping as a byte table for the ASCII part, and str.replace for the rest: several times
# faster than str.translate with a dict (slowest on non-ASCII text, where every miss raises).
_ASCII_TO_SPACE = bytes(c if chr(c).isalnum() else 32 for c in range(128)) + bytes(range(128, 256))
# ... and for ASCII text, lower-casing in the same table: one translate instead of str.lower + translate
_ASCII_FOLD = bytes(ord(chr(c).lower()) if chr(c).isalnum() else 32 for c in range(128)) + bytes(range(128, 256))
_NON_ASCII_PUNCTUATION = tuple(c for c in _PUNCTUATION if not c.isascii())


def _fold(text: str) -> str:
    """Lower-cased, punctuation as spaces, same length as `text`."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_FOLD).decode("ascii")
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    # UTF-8 keeps ASCII bytes as themselves and every other character's bytes >= 128 (untouched);
    # surrogatepass: a lone surrogate from a JSON escape stays as it is
    folded = lowered.encode("utf-8", "surrogatepass").translate(_ASCII_TO_SPACE).decode("utf-8", "surrogatepass")
    for mark in _NON_ASCII_PUNCTUATION:
        if mark in folded:
            folded = folded.replace(mark, " ")
    return folded


class ActorDictionary:
    """The loaded actor files and the compiled automatons that find them in sentences."""

    def __init__(self, countries: dict[str, str], organisations: dict[str, str],
                 entries: Sequence[ActorEntry], blockers: Sequence[tuple[str, str]],
                 rules: Sequence[ContextRule], dateline_states: dict[str, str]) -> None:
        self._countries = dict(countries)
        self._organisations = dict(organisations)
        self._entries = tuple(entries)
        self._rules: dict[str, list[ContextRule]] = defaultdict(list)
        for rule in rules:
            self._rules[_fold(rule.alias)].append(rule)
        self._dateline_states = {_fold(k).strip(): v for k, v in dateline_states.items()}
        self._dateline_codes: dict[tuple[str, str | None], str | None] = {}  # (place, state) -> code
        by_key: dict[str, list[ActorEntry]] = defaultdict(list)
        by_form: dict[str, dict[tuple[str, str], list[ActorEntry]]] = defaultdict(dict)
        for entry in self._entries:
            for form in {entry.alias, _strip_accents(entry.alias)}:
                key = _fold(form)
                by_key[key].append(entry)
                by_form[key].setdefault((form, entry.case), []).append(entry)
        self._by_key = {k: tuple(v) for k, v in by_key.items()}
        # one _AliasKey per folded alias: one check per spelling and case rule, with the entries it admits
        keys: dict[str, _AliasKey] = {}
        for key, forms in by_form.items():
            checks = tuple(_case_check(form, case, tuple(group)) for (form, case), group in forms.items())
            keys[key] = _AliasKey(key, checks, tuple(self._rules.get(key, ())))
        for phrase, case in blockers:
            key = _fold(phrase)
            if key in self._by_key:
                raise ActorDataError(f"not_actors.csv: {phrase!r} is also an actor alias")
            keys[key] = _AliasKey(key, (_case_check(phrase, case, ()),), ())
        # Keyed " alias": hits start at a word; the end is checked per hit (see _mentions).
        self._automaton = ahocorasick.Automaton()
        # For ASCII text, where every character that is not a letter or digit folds to a space, the
        # end of a word is in the key too: " alias " on " " + folded + " ". "un" in "united" is then
        # never reported (a third of all hits were such). Only ASCII aliases can match ASCII text.
        self._ascii_automaton = ahocorasick.Automaton()
        for key, value in keys.items():
            self._automaton.add_word(" " + key, value)
            if key.isascii():
                self._ascii_automaton.add_word(" " + key + " ", value)
        # In ASCII text the automaton also finds the currency words: the name just before one is a
        # currency, not an actor ("the Australian dollar"; see _mentions). In other text
        # _CURRENCY_AFTER decides per name.
        for word in _CURRENCY_WORDS:
            alias = keys.get(word)  # (an alias spelled like a currency word stays an alias too)
            self._ascii_automaton.add_word(" " + word + " ", _CurrencyKey(word, alias.checks, alias.rules)
                                           if alias else _CurrencyKey(word, (), ()))
        for automaton in (self._automaton, self._ascii_automaton):
            if len(automaton):
                automaton.make_automaton()
        # an automaton without keys cannot scan: no key, no hit
        self._scan = self._automaton.iter if len(self._automaton) else _no_hits
        self._scan_ascii = self._ascii_automaton.iter if len(self._ascii_automaton) else _no_hits

    # -- construction --------------------------------------------------------------------------
    @classmethod
    def load(cls, data_dir: Path | None = None, user_file: Path | None = None) -> ActorDictionary:
        """Read data/actors/*.csv (or `data_dir`) plus an analyst's `user_file` of alias rows (columns
        alias,code,kind,case,start,end,note; a user row replaces the shipped rows of the same alias).
        Raise ActorDataError naming the file and line of a bad row."""
        data_dir = Path(data_dir) if data_dir else DEFAULT_DATA_DIR
        countries: dict[str, str] = {}
        for line, row in _read_csv(data_dir / "countries.csv", ("iso3", "name")):
            iso = row["iso3"]
            if not re.fullmatch(r"[A-Z]{3}", iso):
                raise ActorDataError(f"countries.csv:{line}: iso3 {iso!r} is not three capital letters")
            countries[iso] = row["name"] or iso
        organisations: dict[str, str] = {}
        entries: list[ActorEntry] = []
        org_rows = _read_csv(data_dir / "organisations.csv", ("code", "name", "aliases"))
        for line, row in org_rows:
            organisations[row["code"]] = row["name"] or row["code"]
        for line, row in org_rows:
            for alias in filter(None, (a.strip() for a in row["aliases"].split("|"))):
                case = "exact" if _is_acronym(alias) else "title"
                entries.append(ActorEntry(alias, row["code"], "organisation", case, is_organisation=True,
                                          note=row.get("note", ""), origin=f"organisations.csv:{line}"))
        known = set(countries) | set(organisations)
        for name in ALIAS_FILES:
            path = data_dir / name
            if path.is_file():
                entries += _alias_rows(path, known, organisations)
        entries += _people_rows(data_dir / "people.csv", known, organisations)
        if user_file is not None:
            user_file = Path(user_file)
            if not user_file.is_file():
                raise ActorDataError(f"{user_file}: no such file")
            size = user_file.stat().st_size
            if size > MAX_USER_FILE_BYTES:  # an analyst's alias list is kilobytes; this is a wrong file
                raise ActorDataError(f"{user_file}: file too large ({size:,} bytes; the limit is "
                                     f"{MAX_USER_FILE_BYTES:,})")
            user_rows = _alias_rows(user_file, known, organisations, user=True)
            # an analyst's row replaces the shipped rows of the same alias
            replaced = {_fold(e.alias) for e in user_rows}
            entries = [e for e in entries if _fold(e.alias) not in replaced] + user_rows
        _check_conflicts(entries)
        blockers = [(row["phrase"], row.get("case") or "title")
                    for _, row in _read_csv(data_dir / "not_actors.csv", ("phrase",))]
        rules = []
        for line, row in _read_csv(data_dir / "rules.csv", ("alias", "rule", "words")):
            if row["rule"] not in RULE_TYPES:
                raise ActorDataError(f"rules.csv:{line}: unknown rule {row['rule']!r}; "
                                     f"use one of {', '.join(sorted(RULE_TYPES))}")
            words = tuple(w.strip() for w in row["words"].split("|") if w.strip())
            rules.append(ContextRule(row["alias"], row["rule"], words, row.get("note", "")))
        states = {row["abbreviation"]: row["code"]
                  for _, row in _read_csv(data_dir / "dateline_states.csv", ("abbreviation", "code"))}
        return cls(countries, organisations, entries, blockers, rules, states)

    # -- lookups for display -------------------------------------------------------------------
    def country_name(self, iso3: str) -> str:
        """Display name of an ISO3 code (or an organisation's name); the code itself when unknown."""
        return self._countries.get(iso3) or self._organisations.get(iso3) or iso3

    @property
    def countries(self) -> dict[str, str]:
        """ISO3 -> display name of every country in the dictionary."""
        return dict(self._countries)

    def entries(self) -> list[dict[str, str]]:
        """Every alias as a plain row (alias, code, name, kind, case, start, end, person, role, origin)."""
        return [{
            "alias": e.alias, "code": e.code, "name": self.country_name(e.code), "kind": e.kind,
            "case": e.case, "start": e.start, "end": e.end, "person": e.person, "role": e.role,
            "is_organisation": "yes" if e.is_organisation else "", "note": e.note, "origin": e.origin,
        } for e in self._entries]

    def search(self, query: str, limit: int = 50) -> list[dict[str, str]]:
        """Rows of `entries()` whose alias, person, code or country name contains `query` (any case),
        exact alias matches first."""
        needle = _fold(_strip_accents(query.strip()))
        if not needle:
            return []
        hits = []
        for row in self.entries():
            fields = (row["alias"], row["person"], row["code"], row["name"])
            folded = [_fold(_strip_accents(f)) for f in fields]
            if any(needle in f for f in folded):
                rank = 0 if needle in (folded[0], folded[2]) else 1 if folded[0].startswith(needle) else 2
                hits.append((rank, row["alias"].lower(), row))
        hits.sort(key=lambda h: (h[0], h[1]))
        return [row for _, _, row in hits[:limit]]

    # -- matching ------------------------------------------------------------------------------
    def find_actors(self, sentence: str, on_date: str | None) -> tuple[ActorMention, ...]:
        """Every actor mention in one sentence, in text order; `on_date` (ISO date of the article,
        None when undated) decides which leaders and dated aliases count."""
        folded = _fold(sentence)
        if folded.isascii():
            return self._mentions(sentence, folded, self._scan_ascii(" " + folded + " "), on_date, True)
        return self._mentions(sentence, folded, self._scan(" " + folded), on_date, False)

    def find_actors_in_sentences(self, sentences: Sequence[str],
                                 on_date: str | None) -> list[tuple[ActorMention, ...]]:
        """`[find_actors(s, on_date) for s in sentences]` (the sentences of one article), the same
        mentions from one automaton scan of all of them: a sentence without a hit costs little."""
        if len(sentences) < 2:
            if sentences and sentences[0].isascii():  # most short news items: one ASCII sentence
                sentence = sentences[0]
                folded = sentence.encode("ascii").translate(_ASCII_FOLD).decode("ascii")
                return [self._mentions(sentence, folded, self._scan_ascii(" " + folded + " "), on_date, True)]
            return [self.find_actors(s, on_date) for s in sentences]
        joined = " ".join(sentences)
        if not joined.isascii():  # (the general automaton checks word ends per sentence)
            return [self.find_actors(s, on_date) for s in sentences]
        # " s1 s2 s3 ": the space before a sentence starts its first alias as the leading space
        # does for one sentence, and the space after it ends its last one (ASCII keys end in a space)
        folded = joined.encode("ascii").translate(_ASCII_FOLD).decode("ascii")
        hits = list(self._scan_ascii(" " + folded + " "))
        ends = list(map(_start, hits))
        found: list[tuple[ActorMention, ...]] = []
        append = found.append
        mentions = self._mentions
        before = 0  # where the space before the sentence is in " " + folded + " "
        first = 0  # its first hit
        # `after`: where the space after each sentence is (a running sum of their lengths plus one)
        for sentence, after in zip(sentences, accumulate(map(_plus_one, map(len, sentences)))):
            last = bisect_right(ends, after, first)  # hits ending on the space after it are its own
            if first != last or "-" in sentence:  # (ASCII text: no other dash ends a dateline)
                append(mentions(sentence, folded[before:after - 1], hits[first:last], on_date, True, before))
                first = last
            else:
                append(())  # no alias and no dateline
            before = after
        return found

    def _mentions(self, sentence: str, folded: str, hits: Iterable[tuple[int, _AliasKey]],
                  on_date: str | None, word_end_in_key: bool, offset: int = 0) -> tuple[ActorMention, ...]:
        """The mentions of one sentence from the automaton's hits on " " + `folded` (its _fold);
        `word_end_in_key` for the ASCII automaton, whose keys end with the space after the alias
        (the general one's hits are checked here); `offset`: where the sentence's leading space is
        in the text scanned (a hit that starts before it belongs to an earlier sentence)."""
        mentions: list[ActorMention] = []
        previous: ActorMention | None = None
        # the last span that passed the checks, the end of the span before it, the end of the dateline
        nest_start = nest_end = outer_end = dateline_end = 0
        if "-" in sentence or "\u2013" in sentence or "\u2014" in sentence:
            dateline = _find_dateline(sentence)
            if dateline is not None:
                previous = self._dateline_mention(sentence, *dateline)
                if previous is not None:
                    mentions.append(previous)
                    dateline_end = dateline[2]
        shift = offset + 1 if word_end_in_key else 0
        maybe_ticker = "<" in sentence
        # Overlapping hits nearly always nest ("South Korea" holds "Korea", "Gaza Strip" holds "Gaza"),
        # and then the longest of the nest is the one _longest_non_overlapping keeps: a hit inside the
        # last span is dropped before any check, and a span holding it replaces it (and its mention).
        # Any other overlap goes to _untangled_mentions. Hits before dateline_end are the dateline's.
        nest_mention = False  # the last span gave mentions[-1]
        before_nest = previous  # the mention before the last span's
        for last, key in hits:
            end = last - shift  # `last` indexes the text scanned: the alias is sentence[start:end]
            if not shift and last < len(folded) and folded[last].isalnum():
                continue  # the alias ends inside a longer word: "Niger" in "Nigeria"
            start = end - key.size
            holds_nest = start < nest_end
            if holds_nest:
                if start < 0:
                    continue  # (find_actors_in_sentences) it began in the sentence before
                if start >= nest_start and end <= nest_end:
                    continue  # inside the last span, which is longer
                if start > nest_start or start < outer_end:  # (hits come in the order of their ends)
                    return self._untangled_mentions(sentence, folded, on_date, word_end_in_key)
            surface = sentence[start:end]
            entries, code, kind, is_organisation, place = key.seen.get(surface) or key.candidate(surface)
            if entries is None:
                if code is None:
                    continue  # no case rule admits this spelling
                # a currency word (ASCII text): the name just before it is a currency, not an actor
                # ("the Australian dollar", "U.S. dlrs"), as _CURRENCY_AFTER says at that name's end
                if nest_mention and folded[nest_end:start].isspace():
                    mentions.pop()
                    previous = before_nest
                    nest_mention = False
                entries, code, kind, is_organisation, place = code  # the word as an alias, if it is one
                if entries is None:
                    continue
            if maybe_ticker and start > 0 and sentence[start - 1] == "<" and sentence[end:end + 1] == ">":
                continue  # a stock ticker: "UNION CARBIDE <UK>", "SCOTT <SCOT>"
            if holds_nest:
                if nest_mention:
                    mentions.pop()
                    previous = before_nest
            else:
                outer_end = nest_end
                before_nest = previous
            nest_start, nest_end = start, end
            nest_mention = False
            if start < dateline_end:
                continue
            if not word_end_in_key:  # (in ASCII text the currency words are hits: see above)
                after = folded[end + 1:end + 2]
                if (after in _CURRENCY_INITIALS or after.isspace()) and _CURRENCY_AFTER.match(folded, end):
                    continue  # "the Australian dollar", "U.S. dlrs": a currency, not the country acting
            if code is None:  # dated rows or context rules (a not-actor phrase has no entries: no mention)
                resolved = self._resolve(sentence, start, end, entries, on_date[:10] if on_date else None,
                                         folded[start:end])
                if resolved is None:
                    continue
                code, kind, is_organisation = resolved
                place = kind in _PLACE_KINDS and not is_organisation
            role = _place_role(sentence, folded, start, end, kind, previous, word_end_in_key) if place \
                else "party"
            # _mention(...), inlined: one call fewer per mention (a twelfth of the work here)
            previous = _new_record(ActorMention)
            _set_attribute(previous, "__dict__", {"start": start, "end": end, "text": surface, "code": code,
                                                  "kind": kind, "role": role, "is_organisation": is_organisation})
            mentions.append(previous)
            nest_mention = True
        return tuple(mentions)

    def _untangled_mentions(self, sentence: str, folded: str, on_date: str | None,
                            word_end_in_key: bool) -> tuple[ActorMention, ...]:
        """_mentions of a sentence whose hits overlap other than by nesting: the longest of
        overlapping spans wins (_longest_non_overlapping), then _mentions reads the winners."""
        if word_end_in_key:
            hits, shift = self._scan_ascii(" " + folded + " "), 1
        else:
            hits, shift = self._scan(" " + folded), 0
        spans = []
        currency_words = []
        size = len(folded)
        for last, key in hits:
            end = last - shift
            if not shift and last < size and folded[last].isalnum():
                continue
            start = end - key.size
            surface = sentence[start:end]
            candidate = key.seen.get(surface) or key.candidate(surface)
            if candidate[0] is None and candidate[1] is not None:
                currency_words.append((last, key))  # (for _mentions, with the winners)
                candidate = candidate[1]
            if start > 0 and sentence[start - 1] == "<" and sentence[end:end + 1] == ">":
                continue
            if candidate[0] is not None:
                spans.append((start, end, last, key))
        kept = [(last, key) for _, _, last, key in _longest_non_overlapping(spans)]
        if currency_words:  # in the automaton's order: by end, the longer first
            kept = sorted(kept + currency_words, key=_end_then_longest)
        return self._mentions(sentence, folded, kept, on_date, word_end_in_key)

    def _resolve(self, sentence: str, start: int, end: int, entries: tuple[ActorEntry, ...],
                 day: str | None, key: str) -> tuple[str, str, bool] | None:
        """(code, kind, is_organisation) of the mention at sentence[start:end], or None when the
        date, an ambiguity or a context rule rules it out."""
        if not entries:
            return None
        if len(entries) == 1 and not entries[0].start and not entries[0].end:
            entry = entries[0]  # the common case: one undated row
        else:
            active = [e for e in entries if e.active_on(day)]
            if not active and day is None and len({e.code for e in entries}) == 1:
                # Undated text naming someone out of office today: every role they ever held was
                # for one country ("President Bush"), so the country is certain even if the date is not.
                active = list(entries)
            if not active:
                return None
            if len({e.code for e in active}) > 1:
                return None  # the same surname for two people in office at once: too ambiguous
            entry = active[0]
        code, kind = entry.code, entry.kind
        for rule in self._rules.get(key, ()):
            verdict = _apply_rule(rule, sentence, start, end, self._rules)
            if verdict == "skip":
                return None
            if verdict == "us_state":
                code, kind = "USA", "city"
        return code, kind, entry.is_organisation

    def _place_code(self, name: str) -> str | None:
        """The country of a place name written in full ("NEW YORK", "Manitoba"), else None."""
        for entry in self._by_key.get(_fold(name), ()):
            if not entry.is_organisation and entry.kind not in ("leader", "organ") and not entry.end:
                return entry.code
        return None

    def _dateline_mention(self, sentence: str, start: int, end: int, _stop: int,
                          state: str | None) -> ActorMention | None:
        place = sentence[start:end]
        try:
            code = self._dateline_codes[place, state]  # a wire's datelines repeat: "NEW YORK", "TOKYO"
        except KeyError:
            code = self._dateline_code(place, state)
            if len(self._dateline_codes) < _MAX_DATELINES:
                self._dateline_codes[place, state] = code
        if code is None:
            return None
        return _mention(start, end, place, code, "dateline", "venue", False)

    def _dateline_code(self, place: str, state: str | None) -> str | None:
        code = None
        if state:
            # "SPRINGFIELD, Ill.", "EXCELSIOR, Minn", "WINNIPEG, Manitoba": the region decides
            code = self._dateline_states.get(_fold(state).strip()) or self._place_code(state)
        if code is None:
            code = self._place_code(place)
        return code


def _is_acronym(alias: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", alias)
    return bool(letters) and letters.isupper() and len(letters) <= 6


def _alias_rows(path: Path, known: set[str], organisations: dict[str, str],
                user: bool = False) -> list[ActorEntry]:
    out = []
    for line, row in _read_csv(path, ALIAS_COLUMNS[:3]):
        where = f"{path.name}:{line}" if not user else f"{path}:{line}"
        alias, code, kind = row["alias"], row["code"], row["kind"] or "country"
        if not alias:
            raise ActorDataError(f"{where}: empty alias for {code!r}")
        case = row.get("case") or "title"
        if code not in known:
            raise ActorDataError(f"{where}: code {code!r} is neither an ISO3 code in countries.csv "
                                 "nor an organisation in organisations.csv")
        if kind not in KINDS:
            raise ActorDataError(f"{where}: kind {kind!r} is not one of {', '.join(sorted(KINDS))}")
        if case not in CASE_RULES:
            raise ActorDataError(f"{where}: case {case!r} is not one of title, exact, any")
        start, end = row.get("start", ""), row.get("end", "")
        _check_dates(where, start, end)
        is_org = code in organisations or kind == "organisation"
        out.append(ActorEntry(alias, code, kind, case, start, end, is_org, row.get("person", ""),
                              row.get("role", ""), row.get("note", ""), where))
    return out


def _people_rows(path: Path, known: set[str], organisations: dict[str, str]) -> list[ActorEntry]:
    if not path.is_file():
        return []
    out = []
    for line, row in _read_csv(path, PEOPLE_COLUMNS[:6]):
        where = f"{path.name}:{line}"
        if row["code"] not in known:
            raise ActorDataError(f"{where}: code {row['code']!r} is neither an ISO3 code in "
                                 "countries.csv nor an organisation in organisations.csv")
        _check_dates(where, row["start"], row["end"])
        if not row["start"]:
            raise ActorDataError(f"{where}: a role needs a start date")
        aliases = [a.strip() for a in (row["aliases"] or row["person"]).split("|") if a.strip()]
        for alias in dict.fromkeys([row["person"], *aliases]):
            out.append(ActorEntry(alias, row["code"], "leader", "title", row["start"], row["end"],
                                  row["code"] in organisations, row["person"], row["role"],
                                  row.get("note", ""), where))
    return out


def _check_conflicts(entries: Iterable[ActorEntry]) -> None:
    """Two non-leader rows giving the same alias different codes over overlapping dates is an error."""
    seen: dict[str, list[ActorEntry]] = defaultdict(list)
    for entry in entries:
        if entry.kind == "leader":
            continue
        key = _fold(entry.alias)
        for other in seen[key]:
            overlap = (not entry.end or not other.start or other.start <= entry.end) and \
                      (not other.end or not entry.start or entry.start <= other.end)
            if other.code != entry.code and overlap:
                raise ActorDataError(f"{entry.origin}: alias {entry.alias!r} means {entry.code} but "
                                     f"{other.origin} says {other.code} for the same dates")
        seen[key].append(entry)


# ---------------------------------------------------------------------------------------- matching

def _case_check(form: str, case: str, entries: tuple) -> tuple[str, str, tuple[int, ...], tuple]:
    """(case rule, spelling, positions of its capitals, entries) for the matcher.

    title: every capital letter of the spelling is a capital in the text ("Turkey", "TURKEY", never
    "turkey"); exact: the spelling as written or in ALL CAPS ("US", not "us"); any: any case.
    """
    return case, form, tuple(i for i, c in enumerate(form) if c.isupper()), entries


def _no_hits(text: str) -> tuple:
    return ()


_NO_MATCH = (None, None, None, None, None)  # a spelling no case rule of the alias admits
_MAX_SPELLINGS = 64  # per alias; a text uses a few ("Iran", "IRAN"), this only bounds odd input
_MAX_DATELINES = 4096  # (place, state) pairs remembered; a wire uses a few hundred


class _AliasKey:
    """The automaton's value for one folded alias: its case checks, its context rules, and what
    each spelling met in text resolved to, so a name's checks run once per spelling, not per hit."""

    __slots__ = ("size", "checks", "rules", "seen")

    def __init__(self, key: str, checks: tuple, rules: tuple[ContextRule, ...]) -> None:
        self.size = len(key)
        self.checks = checks
        self.rules = rules
        self.seen: dict[str, tuple] = {}

    def candidate(self, surface: str) -> tuple:
        """(entries, code, kind, is_organisation, place) for the text `surface` of a hit, or _NO_MATCH
        when no case rule admits it. When one undated row and no context rule make the answer
        independent of date and context, the last four are known (place: a country or place, not an
        organisation, so _place_role decides party or venue); else they are None and _resolve decides."""
        result = self._match(surface)
        if len(self.seen) < _MAX_SPELLINGS:
            self.seen[surface] = result
        return result

    def _match(self, surface: str) -> tuple:
        usable: tuple = ()
        matched = False
        for case, form, upper, entries in self.checks:
            if case == "any" or (case == "title" and all(surface[i].isupper() for i in upper)) or \
                    (case == "exact" and (surface == form or surface == form.upper())):
                matched = True
                usable += entries
        if not matched:
            result: tuple = _NO_MATCH
        else:  # a not-actor phrase matches with no entries: it wins the span, yields nothing
            if len(usable) == 1 and not usable[0].start and not usable[0].end and not self.rules:
                entry = usable[0]
                result = (usable, entry.code, entry.kind, entry.is_organisation,
                          entry.kind in _PLACE_KINDS and not entry.is_organisation)
            else:
                result = (usable, None, None, None, None)
        return result


class _CurrencyKey(_AliasKey):
    """The ASCII automaton's value for a currency word ("dollar", "dlrs"): its candidate is (None,
    the word's candidate as an alias (_NO_MATCH unless an alias is spelled like it), None, None, None)."""

    __slots__ = ()

    def _match(self, surface: str) -> tuple:
        return (None, _AliasKey._match(self, surface), None, None, None)


def _end_then_longest(hit: tuple[int, _AliasKey]) -> tuple[int, int]:
    return hit[0], -hit[1].size


_new_record = object.__new__
_set_attribute = object.__setattr__


def _mention(start: int, end: int, text: str, code: str, kind: str, role: str,
             is_organisation: bool) -> ActorMention:
    """ActorMention(start, end, ...), the same record, built without the frozen dataclass's
    per-field object.__setattr__ calls (they were a fifth of the matcher's time)."""
    mention = _new_record(ActorMention)
    _set_attribute(mention, "__dict__", {"start": start, "end": end, "text": text, "code": code,
                                         "kind": kind, "role": role, "is_organisation": is_organisation})
    return mention


_CURRENCIES = (
    r"dollars?|dlrs?|francs?|marks?|d-marks?|pounds?|sterling|yen|lira|lire|guilders?|crowns?"
    r"|kroner?|krona|pesos?|rupees?|rubles?|roubles?|yuan|won|ringgit|rand|dinars?|riyals?|shekels?"
    r"|hryvnias?|currency|cents?")
_CURRENCY_AFTER = re.compile(r"\s+(?:" + _CURRENCIES + r")\b")
# The character after the first space past a name is another space or a currency's first letter
# when _CURRENCY_AFTER matches there; any other character rules it out without the regex.
_CURRENCY_INITIALS = frozenset(word[0] for word in _CURRENCIES.split("|"))
# The words _CURRENCY_AFTER can find in folded text ("d-marks" cannot: "-" folds to a space), as keys
# of the ASCII automaton (see ActorDictionary.__init__ and _mentions).
_CURRENCY_WORDS = frozenset(word for alternative in _CURRENCIES.split("|")
                            for word in ((alternative[:-2], alternative[:-1]) if alternative.endswith("?")
                                         else (alternative,)) if word.isalnum())
_MONTH = r"(?i:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[A-Za-z]*\.?"  # "FEb", "MARCH"
# The place's words are possessive (*+): giving back letters of a word can never let a space, a
# comma or "(" follow, so backtracking into a word ("Israeli-Palestinian talks - ...") only costs time.
_DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Za-z.'\-]*+(?: [A-Z][A-Za-z.'\-]*+){0,3})"
    r"(?:,\s*(?P<state>[A-Z][A-Za-z.]*(?: [A-Z][A-Za-z.]*)?))?"
    r"(?P<tail>,\s*" + _MONTH + r"\s+\d{1,2}(?:\s*\((?:Reuters|AP|AFP|Xinhua|UPI)\))?"
    r"|\s*\((?:Reuters|AP|AFP|Xinhua|UPI)\))\s*[-\u2013\u2014]+\s*"
)


def _find_dateline(sentence: str) -> tuple[int, int, int, str | None] | None:
    """(place start, place end, dateline end, state) for "WASHINGTON, March 26 -" openings."""
    head = sentence[:120]
    if not ("-" in head or "\u2013" in head or "\u2014" in head):
        return None  # every dateline ends in a dash
    match = _DATELINE.match(sentence)
    if not match:
        return None
    place = match.group("place")
    if not (place.isupper() or match.group("tail").lstrip(", ").startswith(("(",)) or
            re.match(r"^[A-Z][a-z]", place)):
        return None
    return match.start("place"), match.end("place"), match.end(), match.group("state")


def _longest_non_overlapping(spans: list[tuple]) -> list[tuple]:
    """Longest span wins ("Papua New Guinea" over "Guinea"); ties go to the leftmost. Spans are
    (start, end, ...); the result is in text order."""
    taken: list[tuple] = []
    for span in sorted(spans, key=_longest_first):
        start, end = span[0], span[1]
        for other in taken:
            if end > other[0] and start < other[1]:
                break  # overlaps a longer (or as long and earlier) span already taken
        else:
            taken.append(span)
    taken.sort(key=_start)
    return taken


def _longest_first(span: tuple) -> tuple[int, int]:
    return -(span[1] - span[0]), span[0]


_start = itemgetter(0)
_plus_one = (1).__add__


_WORD_BEFORE = re.compile(r"([A-Za-z][\w.'-]*)\s+$")
_WORD_AFTER = re.compile(r"^\s+([A-Za-z][\w.'-]*)")


def _apply_rule(rule: ContextRule, sentence: str, start: int, end: int,
                rules: dict[str, list[ContextRule]]) -> str | None:
    """'skip', 'us_state' or None for one context rule at one mention."""
    if rule.rule == "skip_if_next_capitalised":
        m = _WORD_AFTER.match(sentence[end:])
        if m and m.group(1)[0].isupper() and not sentence[start:end].isupper() and \
                m.group(1) not in rule.words:
            return "skip"
    elif rule.rule == "skip_if_prev_capitalised":
        m = _WORD_BEFORE.search(sentence[:start])
        if m and m.group(1)[0].isupper() and m.group(1) not in rule.words and \
                not sentence[start:end].isupper() and m.start(1) > 0:
            return "skip"
    elif rule.rule == "skip_if_prev_word":
        before = sentence[:start].rstrip()
        if any(before.endswith(" " + w) or before == w for w in rule.words):
            return "skip"
    elif rule.rule == "skip_if_next_text":
        if any(sentence[end:].startswith(w) for w in rule.words):
            return "skip"
    elif rule.rule == "skip_in_all_caps":
        letters = [c for c in sentence if c.isalpha()]
        if letters and sum(c.isupper() for c in letters) > 0.8 * len(letters):
            return "skip"
    elif rule.rule == "us_state_if_context":
        rest = sentence[:start] + " " + sentence[end:]
        if rule.pattern.search(rest):
            cues = [r for r in rules.get(_fold(rule.alias), ()) if r.rule == "country_cue"]
            if not any(c.pattern.search(rest) for c in cues):
                return "us_state"
    return None


# ------------------------------------------------------------------------------------ venue or party

# Words after which a place is where something happens, not who acts: "in", "at", "visit to".
_VENUE_PREPOSITIONS = frozenset({"in", "at", "inside", "near", "outside", "across", "throughout", "around"})
_MOTION_WORDS = frozenset("""visit visits visited visiting trip trips travel travels traveled travelled
    traveling travelling flew fly flies flying arrive arrives arrived arriving journey tour tours toured went
    go goes going came come returned return returns returning headed heading moved relocated back""".split())
# ... unless the thing "in" the place is a war, an attack or another act that makes it a party:
# "the war in Ukraine", "Russian troops in Syria", "investment in China".
_PARTY_HEADS = frozenset("""war wars attack attacks attacked fighting fight strike strikes airstrike
    airstrikes bombing bombings bombed offensive invasion incursion conflict violence clashes crisis shelling
    operation operations hostilities troops forces soldiers military deployment deployed raid raids massacre
    genocide occupation intervention involvement interference meddling presence insurgency bombardment
    explosion explosions blast blasts casualties killed killing killings dead died unrest coup uprising
    revolution protest protests crackdown election elections regime government authorities leadership
    investment investments invest invested interests stake missile missiles drone drones rocket rockets
    program programme sanctions embargo ceasefire truce peace aggression hostage hostages prisoners refugees
    civilians people citizens nationals population opposition rebels militants separatists allies ally change
    rights situation developments events tension tensions""".split())
_STRIP = ".,;:!?\"'()[]\u2019\u201c\u201d"
# The only last words before a place that can make it a venue (see _venue_by_preposition).
_WORDS_BEFORE_VENUE = _VENUE_PREPOSITIONS | {"to", "the"}
_ENDINGS_BEFORE_VENUE = tuple(word + " " for word in _WORDS_BEFORE_VENUE)  # in folded text
_ENDINGS_BEFORE_THE = tuple(word + " the " for word in _WORDS_BEFORE_VENUE - {"the"})
# A hit's start follows a space in folded text; in ASCII text _preposition_possible is False unless
# the text before it ends in one of these (two spaces: the word before ends in punctuation).
_ENDINGS_OR_GAP = _ENDINGS_BEFORE_VENUE + ("  ",)


def _venue_by_preposition(before: str) -> bool:
    """True when the words just before a place make it a venue ("talks in", "visit to the")."""
    last_word = before.rsplit(None, 1)[-1:]
    if not last_word or last_word[0].lower() not in _WORDS_BEFORE_VENUE:
        return False  # most places follow another word: no need to look further back
    words = before.rsplit(None, 6)[-6:]
    if words and words[-1].lower() == "the":
        words.pop()
    if not words or words[-1] != words[-1].strip(_STRIP):
        return False  # "in," or "(in" : punctuation between the preposition and the place
    last = words[-1].lower()
    if last in _VENUE_PREPOSITIONS:
        pass
    elif last == "to" and len(words) > 1 and words[-2].lower().strip(_STRIP) in _MOTION_WORDS:
        return True
    else:
        return False
    for head in words[-4:-1]:
        if head.lower().strip(_STRIP) in _PARTY_HEADS:
            return False  # "the war in", "troops in": the place is a party
    return True


# "The Kuala Lumpur talks", "the Geneva Conventions": a city before these nouns is a venue.
_VENUE_NOUNS = (
    r"talks|summit|meeting|meetings|conference|negotiations|forum|accords?|agreements?"
    r"|process|declaration|communiqu[eé]|protocol|round|format|conventions?|framework|dialogue"
    r"|consensus|plaza|stock\s+exchange|bourse|market|markets|exchange|office|bureau|correspondent")
_VENUE_AFTER = re.compile(r"^\s*(?:" + _VENUE_NOUNS + r")\b", re.IGNORECASE)
# Each noun starts with two plain letters; after a place in folded ASCII text (where the space after
# it is " ") the two characters that can start a match: more spaces, a space and a noun's first
# letter, or its first two letters.
_VENUE_LEADS = frozenset({"  "} | {" " + noun[0] for noun in _VENUE_NOUNS.split("|")} |
                         {noun[:2] for noun in _VENUE_NOUNS.split("|")})
_WINDOW = 90
_PLACE_KINDS = frozenset({"country", "iso", "capital", "city", "historical", "metonym"})
_SUBJECT_KINDS = frozenset({"capital", "city", "metonym"})
_LIST_JOIN = re.compile(r"^\s*(?:,|and|or|,\s*and|,\s*or)\s*(?:the\s+)?$", re.IGNORECASE)


def _preposition_possible(sentence: str, folded: str, start: int) -> bool:
    """False when the text before `start` (`folded` is its _fold) shows that _venue_by_preposition
    is False: the word before the place is none of _WORDS_BEFORE_VENUE, or is "the" after a word
    that is none of them ("of the United States"). A word that lower-cases to one of these is
    ASCII letters, the same in the folded text; where the separators are not one plain character
    after a letter or digit, the rule itself decides."""
    if start < 2:
        return False  # no word of two letters before
    if folded[start - 1] != " ":
        return True
    if not folded[start - 2].isalnum():
        # "Poitiers, France", "championship - Scotland": the last word ends in punctuation
        return sentence[start - 2].isspace()
    if not folded.endswith(_ENDINGS_BEFORE_VENUE, 0, start):
        return False
    if start >= 6 and folded.endswith("the ", 0, start) and folded[start - 5] == " " and \
            folded[start - 6].isalnum():
        return folded.endswith(_ENDINGS_BEFORE_THE, 0, start)
    return True


def _place_role(sentence: str, folded: str, start: int, end: int, kind: str,
                previous: ActorMention | None, folded_ascii: bool = False) -> str:
    """'venue' for a place at sentence[start:end] named only as where something happens, else
    'party' (see module docstring); `folded` is _fold(sentence); `previous` is the mention before
    it in the sentence, if any. `folded_ascii`: `folded` is ASCII (every space in it is " ") and
    the place is a hit of the automaton (a space before it in `folded`): cheaper first tests."""
    # only the last words before the mention matter; a short window keeps this cheap
    if (not folded_ascii or folded.endswith(_ENDINGS_OR_GAP, 0, start)) and \
            _preposition_possible(sentence, folded, start) and \
            _venue_by_preposition(sentence[max(0, start - _WINDOW):start]):
        return "venue"
    if kind in _SUBJECT_KINDS and (not folded_ascii or folded[end + 1:end + 3] in _VENUE_LEADS) and \
            _VENUE_AFTER.match(sentence[end:end + 40]):
        return "venue"
    if sentence.startswith("-based", end):
        return "venue"  # "the Paris-based OECD": where an organisation sits
    if previous is not None and previous.role == "venue" and previous.kind != "dateline" \
            and _LIST_JOIN.match(sentence[previous.end:start]):
        return "venue"  # "in Kuala Lumpur and Singapore"
    return "party"
