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
`DATE_WINDOW_DAYS`; an undated article may join any story.

Incremental: band hashes and signatures are stored (tables story_bands, signatures), so each new
batch is matched against everything stored with one SQL join, inside the batch's transaction.
"""
from __future__ import annotations

import re
import zlib
from datetime import date, timedelta

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
    """The distinct lower-cased content words of a text (the shingles)."""
    return {word for word in _WORDS.findall(text.lower()) if word not in STOP_WORDS}


def signature(words: set[str]) -> np.ndarray:
    """MinHash signature of a word set: NUM_PERM uint32 values."""
    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED, hashfunc=_crc32, permutations=_PERMUTATIONS)
    if words:
        minhash.update_batch([word.encode("utf-8") for word in words])
    return minhash.hashvalues.astype(np.uint32)


def band_hashes(sig: np.ndarray) -> list[int]:
    """One exact 64-bit key per band: the band's two 32-bit values side by side."""
    pairs = sig.astype(np.uint64).reshape(BANDS, ROWS_PER_BAND)
    return [int(value) for value in (pairs[:, 0] << np.uint64(32)) | pairs[:, 1]]


def similarity(first: np.ndarray, second: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.mean(first == second))


def threshold(size_a: int, size_b: int) -> float:
    """The similarity two texts need to be one story; short texts need more."""
    return SHORT_THRESHOLD if min(size_a, size_b) < SHORT_WORDS else LONG_THRESHOLD


def _within_window(first: date | None, second: date | None) -> bool:
    return first is None or second is None or abs((first - second).days) <= DATE_WINDOW_DAYS


def _fingerprint_text(article: ScoredArticle) -> str:
    body = article.text or "\n".join(sentence.text for sentence in article.sentences)
    return f"{article.title}\n{body}"


def assign_stories(conn: duckdb.DuckDBPyConnection,
                   articles: list[tuple[str, ScoredArticle]]) -> dict[str, str]:
    """Give each new article a story id (an existing story's, or its own id) and store its bands.

    Runs inside the caller's transaction. `articles` are (article id, ScoredArticle) not yet stored.
    """
    if not articles:
        return {}
    from analysis.store import _as_date

    ids = [article_id for article_id, _ in articles]
    dates = [_as_date(article.date) for _, article in articles]
    words = [content_words(_fingerprint_text(article)) for _, article in articles]
    sigs = [signature(item) for item in words]
    sizes = [len(item) for item in words]
    bands = [band_hashes(sig) for sig in sigs]

    stored = _stored_candidates(conn, ids, dates, bands)
    story_of: dict[str, str] = {}
    in_batch: dict[tuple[int, int], list[int]] = {}
    for position, article_id in enumerate(ids):
        best_story, best_score = None, -1.0
        for story_id, other_size, other_sig in stored.get(article_id, ()):
            score = similarity(sigs[position], other_sig)
            if score >= threshold(sizes[position], other_size) and score > best_score:
                best_story, best_score = story_id, score
        earlier = {other for band, key in enumerate(bands[position])
                   for other in in_batch.get((band, key), ())}
        for other in earlier:
            if not _within_window(dates[position], dates[other]):
                continue
            score = similarity(sigs[position], sigs[other])
            if score >= threshold(sizes[position], sizes[other]) and score > best_score:
                best_story, best_score = story_of[ids[other]], score
        story_of[article_id] = best_story or article_id
        for band, key in enumerate(bands[position]):
            in_batch.setdefault((band, key), []).append(position)

    band_rows = pa.table({  # noqa: F841 (read by DuckDB)
        "band": pa.array([band for item in bands for band in range(len(item))], pa.int16()),
        "hash": pa.array([key for item in bands for key in item], pa.uint64()),
        "date": pa.array([day for day, item in zip(dates, bands) for _ in item], pa.date32()),
        "article_id": [article_id for article_id, item in zip(ids, bands) for _ in item],
        "story_id": [story_of[article_id] for article_id, item in zip(ids, bands) for _ in item],
    })
    conn.execute("INSERT INTO story_bands BY NAME SELECT * FROM band_rows")
    signature_rows = pa.table({  # noqa: F841 (read by DuckDB)
        "article_id": ids, "size": pa.array(sizes, pa.int32()),
        "signature": pa.array([sig.tobytes() for sig in sigs], pa.binary()),
    })
    conn.execute("INSERT INTO signatures BY NAME SELECT * FROM signature_rows")
    return story_of


def _stored_candidates(conn: duckdb.DuckDBPyConnection, ids: list[str], dates: list[date | None],
                       bands: list[list[int]]) -> dict[str, list[tuple[str, int, np.ndarray]]]:
    """Stored articles sharing a band with a new one (dated: within the window), with signatures."""
    probe_band, probe_hash, probe_date, probe_id = [], [], [], []
    for article_id, day, keys in zip(ids, dates, bands):
        # A dated article probes each day of its window, so the join is an exact equi-join.
        days = ([day + timedelta(days=offset)
                 for offset in range(-DATE_WINDOW_DAYS, DATE_WINDOW_DAYS + 1)] if day else [None])
        for probe_day in days:
            for band, key in enumerate(keys):
                probe_band.append(band)
                probe_hash.append(key)
                probe_date.append(probe_day)
                probe_id.append(article_id)
    probe = pa.table({  # noqa: F841 (read by DuckDB)
        "band": pa.array(probe_band, pa.int16()), "hash": pa.array(probe_hash, pa.uint64()),
        "date": pa.array(probe_date, pa.date32()), "article_id": probe_id,
    })
    # Three equi-joins rather than one join with an OR, so DuckDB hashes on every key and a
    # common band (two frequent words) never meets the whole history.
    rows = conn.execute("""
        WITH hits AS (
            SELECT p.article_id AS new_id, s.article_id AS old_id, s.story_id
            FROM probe p JOIN story_bands s
              ON s.band = p.band AND s.hash = p.hash AND s.date = p.date
            UNION
            SELECT p.article_id, s.article_id, s.story_id
            FROM probe p JOIN story_bands s ON s.band = p.band AND s.hash = p.hash
            WHERE p.date IS NULL
            UNION
            SELECT p.article_id, s.article_id, s.story_id
            FROM (SELECT * FROM probe WHERE date IS NOT NULL) p
            JOIN (SELECT * FROM story_bands WHERE date IS NULL) s
              ON s.band = p.band AND s.hash = p.hash)
        SELECT h.new_id, h.story_id, g.size, g.signature
        FROM hits h JOIN signatures g ON g.article_id = h.old_id
    """).fetchall()
    out: dict[str, list[tuple[str, int, np.ndarray]]] = {}
    for new_id, story_id, size, blob in rows:
        out.setdefault(new_id, []).append((story_id, size, np.frombuffer(blob, dtype=np.uint32)))
    return out
