"""A dashboard-like reader for test_concurrency.py: queries the store in a loop until told to stop.

    python tests/concurrency_reader.py DB STOP_FILE RESULT_FILE

Writes {"queries": n, "errors": [...], "counts": [article counts seen, in order]} to RESULT_FILE.
A store that does not exist yet is not an error (the dashboard shows "no data yet").
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis import queries  # noqa: E402
from analysis.store import StoreNotFound  # noqa: E402


def main(db: str, stop_file: str, result_file: str) -> None:
    done, errors, counts = 0, [], []
    while not Path(stop_file).exists():
        try:
            stats = queries.stats(db)
            queries.pairs_table(db, freq="M")
            queries.top_pairs(db, n=10)
            queries.articles(db, limit=20)
            queries.data_quality(db)
            if not counts or counts[-1] != stats["articles"]:
                counts.append(stats["articles"])
            done += 1
        except StoreNotFound:
            pass
        except Exception as error:  # noqa: BLE001 (every failure is what the test looks for)
            errors.append(f"{type(error).__name__}: {error}")
        time.sleep(0.02)
    Path(result_file).write_text(json.dumps({"queries": done, "errors": errors, "counts": counts}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
