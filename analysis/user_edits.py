"""An analyst's additions to the shipped dictionaries, kept in their own files under data/user/.

The shipped files (data/lexicon/, data/actors/) are never edited: `data/user/lexicon.csv` and
`data/user/actors.csv` hold the analyst's rows, in the same columns, and `Lexicon.load` /
`ActorDictionary.load` read them as `user_file` (a user row replaces a shipped row with the same key).
Every write is validated by loading the dictionary with the new file first and is then put in place
atomically, so a bad edit never leaves a file the engine refuses to load.
"""
from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

DEFAULT_USER_DIR = Path(__file__).resolve().parent.parent / "data" / "user"
LEXICON_FILE = "lexicon.csv"
ACTORS_FILE = "actors.csv"


def user_dir() -> Path:
    """Where the analyst's files live: $FAULTLINE_USER_DIR, else data/user/ (git-ignored)."""
    return Path(os.environ.get("FAULTLINE_USER_DIR") or DEFAULT_USER_DIR)


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """(columns, rows) of a user CSV; ([], []) when it does not exist yet."""
    if not path.is_file():
        return [], []
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))
    return list(reader.fieldnames or []), [dict(row) for row in reader]


def upsert_row(path: Path, columns: Sequence[str], row: dict[str, Any], key: Callable[[dict], str],
               validate: Callable[[Path], Any]) -> None:
    """Add `row` to the CSV at `path`, replacing a row with the same `key`; `validate(candidate_path)`
    must load the candidate file (raising on a bad row) before it replaces the real one."""
    existing_columns, rows = read_rows(path)
    all_columns = list(dict.fromkeys([*columns, *existing_columns]))
    wanted = key(row)
    rows = [r for r in rows if key(r) != wanted]
    rows.append({c: "" if row.get(c) is None else str(row.get(c)) for c in all_columns})
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, candidate = tempfile.mkstemp(prefix=path.stem + "-", suffix=".csv", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=all_columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        validate(Path(candidate))
        os.replace(candidate, path)
    finally:
        if os.path.exists(candidate):
            os.unlink(candidate)


def remove_row(path: Path, key: Callable[[dict], str], value: str) -> bool:
    """Drop the user row whose key is `value`; True when one was removed."""
    columns, rows = read_rows(path)
    kept = [r for r in rows if key(r) != value]
    if len(kept) == len(rows):
        return False
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        writer.writerows(kept)
    return True


def _term_key(row: dict) -> str:
    return " ".join(str(row.get("term") or "").lower().split())


def save_lexicon_term(term: str, category: str, weight: float, *, inflect: str = "none", note: str = "",
                      folder: Path | None = None, lexicon_dir: Path | None = None) -> Path:
    """Add or reweight a lexicon term in data/user/lexicon.csv (replacing the shipped row of the same
    term when the lexicon loads). Raises analysis.lexicon.LexiconError with the reason when invalid."""
    from analysis.lexicon import COLUMNS, Lexicon

    path = Path(folder or user_dir()) / LEXICON_FILE
    row = {"term": " ".join(term.split()), "category": category.strip().upper(), "polarity": "",
           "weight": f"{float(weight):g}", "inflect": inflect, "context": "", "forms": "", "note": note}
    upsert_row(path, COLUMNS, row, _term_key, lambda candidate: Lexicon.load(lexicon_dir, candidate))
    return path


def matches(record: Any, query: str, fields: Iterable[str]) -> bool:
    """Case-insensitive substring search over some fields of a record (dataclass or dict)."""
    if not query.strip():
        return True
    data = asdict(record) if is_dataclass(record) else dict(record)
    needle = query.strip().lower()
    return any(needle in str(data.get(f, "")).lower() for f in fields)


ACTOR_COLUMNS = ("alias", "code", "kind", "case", "start", "end", "note")


def _alias_key(row: dict) -> str:
    return f"{str(row.get('alias') or '').strip().lower()}|{str(row.get('code') or '').strip().upper()}"


def save_actor_alias(alias: str, code: str, kind: str = "country", *, case: str = "title",
                     start: str | None = None, end: str | None = None, note: str = "",
                     folder: Path | None = None, actors_dir: Path | None = None) -> Path:
    """Add an alias (a name, a leader, a place...) for a country or organisation to data/user/actors.csv,
    valid from `start` to `end` (ISO dates, either may be empty); the same alias for the same code is
    replaced. Raises analysis.actors.ActorDataError with the reason when the row is invalid."""
    from analysis.actors import ActorDictionary

    path = Path(folder or user_dir()) / ACTORS_FILE
    row = {"alias": " ".join(alias.split()), "code": code.strip().upper(), "kind": kind, "case": case,
           "start": start or "", "end": end or "", "note": note}
    upsert_row(path, ACTOR_COLUMNS, row, _alias_key, lambda candidate: ActorDictionary.load(actors_dir, candidate))
    return path
