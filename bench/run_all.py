"""Every benchmark once with short settings (a smoke run of all of them, minutes not hours): `make bench`.

Run from the repo root:  .venv/bin/python -m bench.run_all [--only spin_eval,ask_bench]

Each benchmark runs in-process with small counts; its JSON goes to bench/out/ (ignored by git), never over the
recorded results in bench/results/, which come from the full runs described in bench/RESULTS.md. PostgreSQL runs
and long load runs are left to the benchmarks' own commands.

The evaluations run on their tune halves only (`train` for the sets split train/test), each named explicitly: no
short run passes a held-out split (checked before anything runs), and while they run, opening any file with
"heldout" in its name fails (an audit hook), so a default changed in a bench cannot make `make bench` read one.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import REPO_ROOT  # noqa: E402
from bench import TUNE_SPLITS as TUNING_HALVES  # noqa: E402

OUT_DIR = REPO_ROOT / "bench" / "out"

# The splits a short run may evaluate: the halves made for tuning.
TUNE_SPLITS = frozenset({*TUNING_HALVES, "train"})  # spin_eval names its tuning half "train"
HELD_OUT_MARK = "heldout"
# The evaluations: each reads labelled sets by split, so each is given its split explicitly.
EVALUATIONS = ("spin_eval", "roleplay_natural_eval", "buyer_eval", "coach_eval", "ask_practical_eval")

# module -> its arguments for a short run
SHORT_RUNS: dict[str, list[str]] = {
    "spin_eval": ["--split", "train"],
    "roleplay_natural_eval": ["--split", "train"],
    "buyer_eval": ["--split", "tune"],
    "coach_eval": ["--split", "tune"],
    "ask_practical_eval": ["--split", "tune", "--write"],
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
    "tone_check_eval": [],
}


class HeldOutRefused(ValueError):
    """A short run was about to evaluate a held-out split."""


def check_tune_only(name: str, arguments: list[str]) -> None:
    """Refuse arguments that name a held-out set or a split other than a tune half; an evaluation must name its
    split (its own default is not relied on)."""
    splits = [value for flag, value in zip(arguments, arguments[1:]) if flag == "--split"]
    splits += [argument.split("=", 1)[1] for argument in arguments if argument.startswith("--split=")]
    if any(HELD_OUT_MARK in argument.lower() for argument in arguments):
        raise HeldOutRefused(f"{name}: a short run never touches a held-out set: {arguments}")
    if any(split not in TUNE_SPLITS for split in splits):
        raise HeldOutRefused(f"{name}: a short run evaluates tune splits only ({sorted(TUNE_SPLITS)}): {arguments}")
    if name in EVALUATIONS and not splits:
        raise HeldOutRefused(f"{name}: an evaluation's short run names its tune split")


def _refuse_held_out_open(event: str, args: tuple) -> None:
    if event == "open" and args and isinstance(args[0], str | bytes | os.PathLike):
        if HELD_OUT_MARK in os.fsdecode(args[0]).lower():
            raise PermissionError(f"make bench reads no held-out file: {os.fsdecode(args[0])}")


def forbid_held_out_reads() -> None:
    """From now on in this process, opening a file with "heldout" in its path fails (audit hooks stay for good:
    call it only in a process of its own, as `make bench` is)."""
    sys.addaudithook(_refuse_held_out_open)


def run_one(name: str, arguments: list[str]) -> float:
    """Run bench/<name>.py's main() with `arguments`, its result file redirected to bench/out/; seconds taken."""
    check_tune_only(name, arguments)
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
    for name in names:
        check_tune_only(name, SHORT_RUNS[name])
    forbid_held_out_reads()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    timings = {}
    for name in names:
        print(f"== {name} {' '.join(SHORT_RUNS[name])}", flush=True)
        timings[name] = run_one(name, SHORT_RUNS[name])
    print("\n".join(f"{name:<24} {seconds:7.1f} s" for name, seconds in timings.items()))
    print(f"results in {OUT_DIR.relative_to(REPO_ROOT)}/")


if __name__ == "__main__":
    main()
