"""Every benchmark once with short settings (a smoke run of all of them, minutes not hours): `make bench`.

Run from the repo root:  .venv/bin/python -m bench.run_all [--only spin_eval,ask_bench]

Each benchmark runs in-process with small counts; its JSON goes to bench/out/ (ignored by git), never over the
recorded results in bench/results/, which come from the full runs described in bench/RESULTS.md. PostgreSQL runs
and long load runs are left to the benchmarks' own commands.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import REPO_ROOT  # noqa: E402

OUT_DIR = REPO_ROOT / "bench" / "out"

# module -> its arguments for a short run
SHORT_RUNS: dict[str, list[str]] = {
    "spin_eval": [],
    "roleplay_natural_eval": [],
    "retrieval_bench": ["--repeats", "3", "--builds", "1"],
    "ask_bench": ["--repeats", "1"],
    "roleplay_bench": [
        "--sessions",
        "5",
        "--turns",
        "3",
        "--think-ms",
        "100",
        "--modes",
        "offline_alone,offline",
        "--workers",
        "1",
    ],
    "load_test": [
        "--sessions",
        "10",
        "--turns",
        "2",
        "--think-ms",
        "200",
        "--max-seconds",
        "30",
        "--runs",
        "sqlite-offline-1",
        "--output",
        str((OUT_DIR / "load.json").relative_to(REPO_ROOT)),
    ],
    "durability": ["--reps", "2", "--kill-after", "10", "--rounds", "1"],
}


def run_one(name: str, arguments: list[str]) -> float:
    """Run bench/<name>.py's main() with `arguments`, its result file redirected to bench/out/; seconds taken."""
    module = importlib.import_module(f"bench.{name}")
    module.RESULT_PATH = OUT_DIR / module.RESULT_PATH.name
    saved_argv = sys.argv
    sys.argv = [f"bench/{name}.py", *arguments]
    started = time.perf_counter()
    try:
        module.main()
    finally:
        sys.argv = saved_argv
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(SHORT_RUNS), help="comma-separated benchmark names")
    names = parser.parse_args().only.split(",")
    unknown = set(names) - set(SHORT_RUNS)
    if unknown:
        parser.error(f"unknown benchmarks {sorted(unknown)}; pick from {list(SHORT_RUNS)}")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    timings = {}
    for name in names:
        print(f"== {name} {' '.join(SHORT_RUNS[name])}", flush=True)
        timings[name] = run_one(name, SHORT_RUNS[name])
    print("\n".join(f"{name:<24} {seconds:7.1f} s" for name, seconds in timings.items()))
    print(f"results in {OUT_DIR.relative_to(REPO_ROOT)}/")


if __name__ == "__main__":
    main()
