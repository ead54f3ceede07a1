"""Ingest of WCEP full (113k items) into a fresh store: wall time and peak memory.

    .venv/bin/python bench/bench_ingest.py [PATH] [--runs 3] [--workers 2] [--ingest-only]
                                           [--repo OTHER_CHECKOUT ...]
    PATH defaults to ../shared/data/wcep/wcep_2002_2025_full.jsonl.gz

Each run: `python -m analysis ingest PATH --db <fresh temp store> --workers N --no-progress` under
GNU time (`/usr/bin/time -v`). Reported per run and as the median: wall seconds, CPU seconds
(user + system, all processes), the largest single process's peak RSS (GNU time's "Maximum resident
set size") and the peak of the summed RSS of the whole process tree (main process + scoring workers,
sampled every 0.1 s from /proc). For scale, the same run also times `python -m analysis score PATH
--workers N > /dev/null` (reading and scoring without the store) and reading alone.
Goals (issue 6): < 60 s wall on 2 cores, < 1.5 GB peak.

`--repo DIR` (repeatable) also times the ingest of other checkouts of Faultline (e.g. the code before
a change, from `git archive`), run by run in turn with this one, so a comparison shares the machine's
load; `--ingest-only` skips the score and reading rows.
"""
from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT = REPO.parent / "shared/data/wcep/wcep_2002_2025_full.jsonl.gz"
READ_ONLY = ("import sys; sys.path.insert(0, {repo!r}); from analysis.ingest import iter_articles\n"
             "for _ in iter_articles(sys.argv[1:]): pass")


def tree_rss_bytes(root: int) -> int:
    """Summed RSS of `root` and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(entry), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def timed(cwd: Path, command: list[str]) -> dict:
    """Run in `cwd` under GNU time; wall, CPU, max single-process RSS and peak tree RSS."""
    process = subprocess.Popen(["/usr/bin/time", "-v", *command], cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_bytes(process.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, report = process.communicate()
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{report[-2000:]}")

    def field(name: str) -> str:
        return re.search(rf"{re.escape(name)}: (.+)", report).group(1).strip()

    clock = [float(part) for part in field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")]
    wall = sum(value * 60 ** power for power, value in enumerate(reversed(clock)))
    return {"wall": wall,
            "cpu": float(field("User time (seconds)")) + float(field("System time (seconds)")),
            "max_rss_gb": int(field("Maximum resident set size (kbytes)")) * 1024 / 1e9,
            "tree_rss_gb": peak / 1e9}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repo", type=Path, action="append", default=[],
                        help="another checkout whose ingest is timed too (repeatable)")
    parser.add_argument("--ingest-only", action="store_true", help="skip the score and read rows")
    args = parser.parse_args()
    python = sys.executable
    rows = ["| command | runs | wall s (median) | CPU s (median) | max process RSS GB | "
            "peak tree RSS GB |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as scratch:
        def ingest(repo: Path, tag: int):
            return lambda run: (repo, [
                python, "-m", "analysis", "ingest", str(args.path.resolve()), "--db",
                str(Path(scratch) / f"run{tag}-{run}.duckdb"), "--workers", str(args.workers),
                "--no-progress"])

        label = f"`ingest --workers {args.workers}` (fresh store)"
        ingests = {label: ingest(REPO, 0)}
        for tag, repo in enumerate(args.repo, start=1):
            ingests[f"{label}, code in {repo}"] = ingest(repo.resolve(), tag)
        commands = {} if args.ingest_only else {
            f"`score --workers {args.workers} > /dev/null`": lambda run: (REPO, [
                python, "-m", "analysis", "score", str(args.path), "--workers", str(args.workers)]),
            "reading only (`iter_articles`)": lambda run: (REPO, [
                python, "-c", READ_ONLY.format(repo=str(REPO)), str(args.path)]),
        }
        results_of: dict[str, list[dict]] = {label: [] for label in ingests}
        for run in range(args.runs):  # interleaved, so each checkout meets the same load
            for label, command in ingests.items():
                results_of[label].append(timed(*command(run)))
                print(f"{label} run {run + 1}: {results_of[label][-1]}", file=sys.stderr)
        for label, command in commands.items():
            results_of[label] = [timed(*command(run)) for run in range(args.runs)]
        for label, results in results_of.items():
            rows.append(f"| {label} | {args.runs} | {statistics.median(r['wall'] for r in results):.1f} | "
                        f"{statistics.median(r['cpu'] for r in results):.1f} | "
                        f"{max(r['max_rss_gb'] for r in results):.2f} | "
                        f"{max(r['tree_rss_gb'] for r in results):.2f} |")
            print(rows[-1], file=sys.stderr)
    print(f"Corpus: {args.path.name}. {len(os.sched_getaffinity(0))} cores, load average at start "
          f"{load:.1f}, at the end {os.getloadavg()[0]:.1f}. RSS columns are the maximum over the "
          "runs.\n")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
