"""`make bench` (bench/run_all.py) runs every benchmark, and its evaluations only ever on their tune halves."""

import subprocess
import sys

import pytest

from bench import REPO_ROOT
from bench.run_all import EVALUATIONS, SHORT_RUNS, TUNE_SPLITS, HeldOutRefused, check_tune_only, run_one

# bench/ modules that are shared code, not benchmarks
LIBRARIES = {"__init__", "eval_calls", "harness", "run_all", "text_classifier_training"}


def test_every_benchmark_has_a_short_run():
    # train_*.py fit the offline classifiers (scikit-learn) and write their model files: not benchmarks
    benches = {path.stem for path in (REPO_ROOT / "bench").glob("*.py") if not path.stem.startswith("train")}
    benches -= LIBRARIES
    assert sorted(benches - set(SHORT_RUNS)) == [], "a bench that `make bench` leaves out"
    assert set(EVALUATIONS) <= set(SHORT_RUNS)


@pytest.mark.parametrize("name", sorted(SHORT_RUNS))
def test_each_short_run_is_tune_only(name):
    check_tune_only(name, SHORT_RUNS[name])
    arguments = SHORT_RUNS[name]
    if name in EVALUATIONS:
        assert arguments[arguments.index("--split") + 1] in TUNE_SPLITS


@pytest.mark.parametrize(
    "arguments",
    [
        ["--split", "heldout"],
        ["--split", "r2_heldout"],
        ["--split=heldout"],
        ["--heldout"],
        ["--split", "both"],  # tune and held-out together
        ["--split", "test"],  # the train/test sets' held-out half
        ["--split", "all"],
        ["--split", "tune", "--split", "heldout"],
        [],  # an evaluation relying on its own default
    ],
)
def test_a_held_out_or_unnamed_split_is_refused(arguments):
    with pytest.raises(HeldOutRefused):
        check_tune_only("buyer_eval", arguments)
    with pytest.raises(HeldOutRefused):
        run_one("coach_eval", arguments)  # refused before the bench is even imported


def test_opening_a_held_out_file_fails_once_the_guard_is_on(tmp_path):
    """In a process of its own (the audit hook cannot be removed): a path with "heldout" in it is refused before
    the file is opened (this one does not exist: a FileNotFoundError would mean the open went through)."""
    code = (
        "from bench.run_all import forbid_held_out_reads\n"
        "open('calls_en_tune_check.txt', 'w').close()\n"
        "forbid_held_out_reads()\n"
        "open('calls_en_tune_check.txt').close()\n"  # tune files still open
        "try:\n"
        f"    open({str(tmp_path / 'calls_zh_heldout.jsonl')!r})\n"
        "except PermissionError as error:\n"
        "    print('refused:', error)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env={"PYTHONPATH": str(REPO_ROOT)}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "refused: make bench reads no held-out file" in result.stdout
