"""A small hand-built store for the export and brief tests: four pairs over four months, two sources
(one of them the WCEP demo source, whose licence asks for attribution), an article title holding
markup and an evidence sentence that starts like a spreadsheet formula."""
from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from analysis.store import ingest_scored
from tests.scored_factory import scored_article

WCEP = "Wikipedia, Portal:Current events"
WIRE = "Test Wire"

# (id, date, source, pairs -> tension, sentence)
ROWS: list[tuple[str, str, str, dict[str, float], str]] = [
    ("a01", "2024-01-05", WCEP, {"RUS-UKR": 80.0}, "Russia launched 728 drones against Ukraine overnight."),
    ("a02", "2024-01-12", WIRE, {"RUS-UKR": 70.0, "RUS-USA": 40.0},
     "Russian forces shelled Kharkiv as Washington weighed sanctions on Moscow."),
    ("a03", "2024-01-20", WCEP, {"CHN-USA": 35.0}, "China and the United States traded tariff threats."),
    ("a04", "2024-02-03", WIRE, {"RUS-UKR": 90.0}, "Ukraine said a Russian missile strike hit Odesa port."),
    ("a05", "2024-02-14", WCEP, {"RUS-USA": 55.0}, "=HYPERLINK(\"x\") Washington expelled Russian diplomats."),
    ("a06", "2024-02-21", WIRE, {"IRN-ISR": 85.0}, "Israel struck targets in Iran after a drone attack."),
    ("a07", "2024-03-02", WCEP, {"RUS-UKR": 60.0, "CHN-USA": 20.0},
     "Russia and Ukraine swapped prisoners; China and the US held talks."),
    ("a08", "2024-03-18", WIRE, {"IRN-ISR": 75.0}, "Iran fired missiles at Israel, which vowed to respond."),
    ("a09", "2024-04-04", WCEP, {"RUS-UKR": 85.0}, "Russian troops advanced near Avdiivka in Ukraine."),
    ("a10", "2024-04-22", WIRE, {"CHN-USA": 30.0, "RUS-USA": 45.0},
     "The US warned China and Russia over military drills."),
]
MARKUP_TITLE = "<b>Bold</b> claim & <a href='x'>link</a>"


def build_store(path: Path) -> Path:
    """Write the store at `path` (a .duckdb file) and return the path."""
    articles = [
        scored_article(article_id, text, title=MARKUP_TITLE if article_id == "a04" else "",
                       date=day, pairs=pairs, source=source, url=f"https://example.org/{article_id}")
        for article_id, day, source, pairs, text in ROWS
    ]
    ingest_scored(path, articles, paths=["tests:export_store"])
    return path


@contextmanager
def private_store(name: str) -> Iterator[Path]:
    """Build the store in a temporary folder of its own, removed afterwards. Not under pytest's
    tmp_path_factory: on a machine where several pytest sessions run at once, each session prunes
    older numbered base folders and could remove this one while a module still reads it."""
    with tempfile.TemporaryDirectory(prefix=f"faultline-{name}-") as folder:
        yield build_store(Path(folder) / "store.duckdb")
