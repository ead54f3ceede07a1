"""Stories: near-duplicate coverage of one event across outlets, grouped with MinHash/LSH.

An article's fingerprint is the set of its content words (lower-cased title and cleaned text, stop
words dropped). Rewrites of one wire story by two outlets share many of the same names, numbers and
places even when no sentence is copied (the two seed articles: Jaccard 0.33 on content words, 0.12
on word pairs), so word unigrams, not n-grams, are the shingles.

MinHash signatures (datasketch, 64 permutations) are cut into 32 bands of 2 rows; two articles are
candidates when one band agrees (LSH), and a candidate joins a story only when the estimated Jaccard
similarity reaches `LONG_THRESHOLD`, or `SHORT_THRESHOLD` when either text is short: two one-line
summaries of different events ("Russian airstrikes kill twelve in Aleppo" / "... nine in Idlib")
share a large fraction of their few words. Dated articles only join stories within
`DATE_WINDOW_DAYS` of a member and `MAX_STORY_SPAN_DAYS` of the story's first day (no chains of
daily updates); an undated article may join any story. Articles naming different countries stay
apart (`same_countries`): "Russia reports a record 1,106 deaths" and "Ukraine reports a record 734
deaths" share almost every word.

Incremental: band hashes, signatures and story start days are stored (tables story_bands,
signatures, story_starts), so each new batch is matched against everything stored with one SQL
join, inside the batch's transaction.
"""
from __future__ import annotations

import re
import zlib
from datetime import date
from typing import NamedTuple

import duckdb
import numpy as np
import pyarrow as pa
from datasketch import MinHash

from analysis.model import ScoredArticle

NUM_PERM = 64
ROWS_PER_BAND = 2
BANDS = NUM_PERM // ROWS_PER_BAND
LONG_THRESHOLD = 0.25
SHORT_THRESHOLD = 0.6
SHORT_WORDS = 40  # fewer distinct content words than this: a "short" text
DATE_WINDOW_DAYS = 3
MAX_STORY_SPAN_DAYS = 7  # no chaining of daily updates into one months-long "story"
MIN_COUNTRY_OVERLAP = 0.5
_SEED = 7

STOP_WORDS = frozenset("""
a an the of to in on at by for from with without into onto over under about after before during
amid among between against and or but nor not no so as than then that this these those it its is
are was were be been being has have had do does did will would shall should can could may might
must he she they them his her their we our you your i me my who whom whose which what when where
while why how also more most some any all each other such only own same very just said says say
""".split())
_WORDS = re.compile(r"[^\W_]+", re.UNICODE)


def _crc32(data: bytes) -> int:
    return zlib.crc32(data)


_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=_SEED, hashfunc=_crc32).permutations


def content_words(text: str) -> set[str]:
    """The distinct lower-cased content words of a text (the shingles); single letters dropped."""
    return {word for word in _WORDS.findall(text.lower())
            if len(word) > 1 and word not in STOP_WORDS}


def signature(words: set[str]) -> np.ndarray:
    """MinHash signature of a word set: NUM_PERM uint32 values (datasketch's MinHash)."""
    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED, hashfunc=_crc32, permutations=_PERMUTATIONS)
    if words:
        minhash.update_batch([word.encode("utf-8") for word in words])
    return minhash.hashvalues.astype(np.uint32)


_MERSENNE_PRIME = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)
_CHUNK = 256


def signatures(word_sets: list[set[str]]) -> np.ndarray:
    """MinHash signatures of many word sets at once, shape (len(word_sets), NUM_PERM), uint32.

    The same values as `signature` (datasketch's permutations and formula), computed for a whole
    batch in one numpy pass: about twice as fast as one MinHash object per article.
    """
    if len(word_sets) > _CHUNK:  # small chunks keep the temporary arrays in cache
        return np.concatenate([signatures(word_sets[start:start + _CHUNK])
                               for start in range(0, len(word_sets), _CHUNK)])
    out = np.full((len(word_sets), NUM_PERM), _MAX_HASH, dtype=np.uint64)
    filled = [index for index, words in enumerate(word_sets) if words]
    if filled:
        hashes = np.fromiter((zlib.crc32(word.encode("utf-8"))
                              for index in filled for word in word_sets[index]), dtype=np.uint64)
        starts = np.cumsum([0] + [len(word_sets[index]) for index in filled[:-1]])
        multipliers, increments = _PERMUTATIONS
        with np.errstate(over="ignore"):  # uint64 wrap-around is part of the formula
            permuted = (hashes[:, None] * multipliers + increments) % _MERSENNE_PRIME & _MAX_HASH
        out[filled] = np.minimum.reduceat(permuted, starts, axis=0)
    return out.astype(np.uint32)


def similarity(first: np.ndarray, second: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.mean(first == second))


def same_countries(first: frozenset[str], second: frozenset[str]) -> bool:
    """Whether two articles' countries allow one story: at least half of them shared (Jaccard),
    or either has none. Keeps templated one-liners apart ("Russia reports a record 1,106 deaths
    from COVID-19" / "Ukraine reports a record 734 deaths ...")."""
    if not first or not second:
        return True
    return len(first & second) / len(first | second) >= MIN_COUNTRY_OVERLAP


def within_story_span(day: int, story_start: int) -> bool:
    """Whether a dated article is close enough to the story's first day (-1: unknown)."""
    return day < 0 or story_start < 0 or abs(day - story_start) <= MAX_STORY_SPAN_DAYS


def _fingerprint_text(article: ScoredArticle) -> str:
    body = article.text or "\n".join(sentence.text for sentence in article.sentences)
    return f"{article.title}\n{body}"


class Fingerprint(NamedTuple):
    """What story matching needs of one article. Built where the article is scored (a scoring
    worker), so the writer receives 300 bytes instead of recomputing words and MinHash itself;
    a tuple because it crosses between processes once per article."""

    signature: bytes  # NUM_PERM uint32 MinHash values, as stored in the signatures table
    size: int  # distinct content words
    day: int  # days since 1970-01-01; -1 when undated
    countries: tuple[str, ...]


def fingerprints(articles: list[ScoredArticle]) -> list[Fingerprint]:
    """The story fingerprints of many articles (signatures computed in one numpy pass)."""
    words = [content_words(_fingerprint_text(article)) for article in articles]
    sigs = signatures(words)
    return [Fingerprint(sig.tobytes(), len(item), _day(article.date), article.countries)
            for sig, item, article in zip(sigs, words, articles)]


def fingerprint(article: ScoredArticle) -> Fingerprint:
    """The story fingerprint of one article; equal to `fingerprints([article])[0]`.

    The per-article path (a scoring worker calls it once per article): the same formula as
    `signatures` without its batch bookkeeping, which costs more than the arithmetic for one text.
    """
    words = content_words(_fingerprint_text(article))
    if words:
        hashes = np.fromiter(map(zlib.crc32, [word.encode("utf-8") for word in words]),
                             dtype=np.uint64, count=len(words))
        multipliers, increments = _PERMUTATIONS
        with np.errstate(over="ignore"):  # uint64 wrap-around is part of the formula
            permuted = (hashes[:, None] * multipliers + increments) % _MERSENNE_PRIME & _MAX_HASH
        values = permuted.min(axis=0).astype(np.uint32)
    else:
        values = np.full(NUM_PERM, _MAX_HASH, dtype=np.uint64).astype(np.uint32)
    return Fingerprint(values.tobytes(), len(words), _day(article.date), article.countries)


def assign_stories(conn: duckdb.DuckDBPyConnection,
                   articles: list[tuple[str, ScoredArticle | Fingerprint]]) -> dict[str, str]:
    """Give each new article a story id (an existing story's, or its own id) and store its bands.

    Runs inside the caller's transaction. `articles` are (article id, ScoredArticle or its
    Fingerprint) not yet stored. Candidates (stored or earlier in the batch) come from SQL joins on
    the bands; they are verified on the full signatures in numpy; only verified matches reach the
    Python loop.
    """
    if not articles:
        return {}
    ids = [article_id for article_id, _ in articles]
    prints = _fingerprints_of([item for _, item in articles])
    sigs = np.frombuffer(b"".join(item.signature for item in prints), dtype=np.uint32
                         ).reshape(len(ids), NUM_PERM)
    sizes = np.array([item.size for item in prints], dtype=np.int32)
    halves = sigs.astype(np.uint64).reshape(len(ids), BANDS, ROWS_PER_BAND)
    bands = (halves[:, :, 0] << np.uint64(32)) | halves[:, :, 1]  # (articles, BANDS) exact keys
    days = np.array([item.day for item in prints], dtype=np.int64)
    count = len(ids)

    probe = _probe_table(bands, days)  # noqa: F841 (read by DuckDB)
    batch_bands = pa.table({  # noqa: F841 (read by DuckDB)
        "band": pa.array(np.tile(np.arange(BANDS, dtype=np.int16), count)),
        "hash": pa.array(bands.ravel()), "date": _date_array(np.repeat(days, BANDS)),
        "position": pa.array(np.repeat(np.arange(count, dtype=np.int32), BANDS)),
        "article_id": pa.array(np.repeat(np.array(ids, dtype=object), BANDS), pa.string()),
    })

    countries = [frozenset(item.countries) for item in prints]
    # Stored candidates: (position, story id, their countries, the story's first day).
    stored = conn.execute(
        _CANDIDATES_SQL.format(target="story_bands", ref="story_id", extra="") +
        " SELECT h.position, h.ref, g.size, g.signature, a.countries, st.first_date "
        "FROM hits h JOIN signatures g ON g.article_id = h.old_id "
        "JOIN articles a ON a.id = h.old_id "
        "LEFT JOIN story_starts st ON st.story_id = h.ref").fetchall()
    matches: dict[int, list[tuple[float, str | int]]] = {}
    start_of: dict[str, int] = {}
    if stored:
        positions = np.array([row[0] for row in stored])
        other_sizes = np.array([row[2] for row in stored])
        other_sigs = np.frombuffer(b"".join(row[3] for row in stored), dtype=np.uint32
                                   ).reshape(len(stored), NUM_PERM)
        scores = _verified(sigs[positions], other_sigs, sizes[positions], other_sizes)
        for row, score in zip(stored, scores):
            if score > 0 and same_countries(countries[row[0]], frozenset(row[4] or ())):
                matches.setdefault(row[0], []).append((float(score), row[1]))
                start_of[row[1]] = (row[5] - _EPOCH).days if row[5] else -1
    # Earlier articles of this batch: (later position, earlier position).
    in_batch = conn.execute(_CANDIDATES_SQL.format(target="batch_bands", ref="position",
                                                   extra="AND s.position < p.position") +
                            " SELECT DISTINCT position, ref FROM hits").fetchnumpy()
    if len(in_batch["position"]):
        later = in_batch["position"].astype(np.int64)
        earlier = in_batch["ref"].astype(np.int64)
        scores = _verified(sigs[later], sigs[earlier], sizes[later], sizes[earlier])
        for position, other, score in zip(later[scores > 0], earlier[scores > 0],
                                          scores[scores > 0]):
            if same_countries(countries[position], countries[other]):
                matches.setdefault(int(position), []).append((float(score), int(other)))

    story_of: dict[str, str] = {}
    new_stories: list[str] = []
    for position, article_id in enumerate(ids):
        story = None
        # An int ref is a position earlier in this batch, already assigned. Equal scores go to
        # the story whose id sorts first: SQL returns the candidates in no fixed order and ties
        # are common (scores are multiples of 1/64), so a re-run could otherwise group differently.
        candidates = sorted(((score, story_of[ids[ref]] if isinstance(ref, int) else ref)
                             for score, ref in matches.get(position, ())),
                            key=lambda match: (-match[0], match[1]))
        for _, candidate in candidates:
            if within_story_span(int(days[position]), start_of.get(candidate, -1)):
                story = candidate
                break
        if story is None:
            story = article_id
            start_of[story] = int(days[position])
            new_stories.append(story)
        story_of[article_id] = story

    story_starts = pa.table({  # noqa: F841 (read by DuckDB)
        "story_id": pa.array(new_stories, pa.string()),
        "first_date": _date_array(np.array([start_of[story] for story in new_stories],
                                           dtype=np.int64)),
    })
    conn.execute("INSERT INTO story_starts BY NAME SELECT * FROM story_starts")

    stories = np.array([story_of[article_id] for article_id in ids], dtype=object)
    band_rows = pa.table({  # noqa: F841 (read by DuckDB)
        "band": batch_bands["band"], "hash": batch_bands["hash"], "date": batch_bands["date"],
        "article_id": batch_bands["article_id"],
        "story_id": pa.array(np.repeat(stories, BANDS), pa.string()),
    })
    conn.execute("INSERT INTO story_bands BY NAME SELECT * FROM band_rows")
    signature_rows = pa.table({  # noqa: F841 (read by DuckDB)
        "article_id": ids, "size": pa.array(sizes),
        "signature": pa.array([item.signature for item in prints], pa.binary()),
    })
    conn.execute("INSERT INTO signatures BY NAME SELECT * FROM signature_rows")
    return story_of


def _fingerprints_of(items: list[ScoredArticle | Fingerprint]) -> list[Fingerprint]:
    """Fingerprints as given, computed (in one pass) for the items that are ScoredArticles."""
    todo = [index for index, item in enumerate(items) if not isinstance(item, Fingerprint)]
    if not todo:
        return items
    out = list(items)
    for index, item in zip(todo, fingerprints([items[index] for index in todo])):
        out[index] = item
    return out


def _verified(first: np.ndarray, second: np.ndarray, first_sizes: np.ndarray,
              second_sizes: np.ndarray) -> np.ndarray:
    """Estimated Jaccard per row pair where it reaches the size-dependent threshold, else 0."""
    scores = (first == second).mean(axis=1)
    needed = np.where(np.minimum(first_sizes, second_sizes) < SHORT_WORDS, SHORT_THRESHOLD,
                      LONG_THRESHOLD)
    return np.where(scores >= needed, scores, 0.0)


# Candidates sharing a band, dated ones within the window. Three equi-joins rather than one join
# with an OR, so DuckDB hashes on every key and a common band (two frequent words) never meets the
# whole history. {target} has band, hash, date and {ref}; the result is `hits`.
_CANDIDATES_SQL = """
    WITH hits AS (
        SELECT p.position, s.{ref} AS ref, s.article_id AS old_id
        FROM probe p JOIN {target} s ON s.band = p.band AND s.hash = p.hash AND s.date = p.date
        WHERE true {extra}
        UNION
        SELECT p.position, s.{ref}, s.article_id
        FROM (SELECT * FROM probe WHERE date IS NULL) p
        JOIN {target} s ON s.band = p.band AND s.hash = p.hash
        WHERE true {extra}
        UNION
        SELECT p.position, s.{ref}, s.article_id
        FROM (SELECT * FROM probe WHERE date IS NOT NULL) p
        JOIN (SELECT * FROM {target} WHERE date IS NULL) s ON s.band = p.band AND s.hash = p.hash
        WHERE true {extra})
"""


def _day(value: str | None) -> int:
    """Days since 1970-01-01 of an ISO date; -1 when missing or unreadable."""
    if not value:
        return -1
    try:
        return (date.fromisoformat(value[:10]) - _EPOCH).days
    except ValueError:
        return -1


_EPOCH = date(1970, 1, 1)


def _date_array(days: np.ndarray) -> pa.Array:
    """int days since the epoch (-1: no date) -> an Arrow date32 array with nulls."""
    return pa.array(days.astype(np.int32), pa.int32(), mask=days < 0).cast(pa.date32())


def _probe_table(bands: np.ndarray, days: np.ndarray) -> pa.Table:
    """The batch's bands, a dated article's repeated for each day of its window (so the join on
    date is an exact equi-join); an undated article's once with a null date."""
    dated = np.flatnonzero(days >= 0)
    undated = np.flatnonzero(days < 0)
    offsets = np.arange(-DATE_WINDOW_DAYS, DATE_WINDOW_DAYS + 1)
    spread = len(offsets)
    probe_days = np.concatenate([
        np.repeat((days[dated][:, None] + offsets[None, :]).ravel(), BANDS),
        np.full(len(undated) * BANDS, -1)])
    return pa.table({
        "band": pa.array(np.tile(np.arange(BANDS, dtype=np.int16), len(dated) * spread
                                 + len(undated))),
        "hash": pa.array(np.concatenate([np.repeat(bands[dated], spread, axis=0).ravel(),
                                         bands[undated].ravel()])),
        "date": _date_array(probe_days),
        "position": pa.array(np.concatenate([np.repeat(dated, spread * BANDS),
                                             np.repeat(undated, BANDS)]).astype(np.int32)),
    })
