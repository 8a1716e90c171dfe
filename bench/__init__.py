"""Benchmarks and evaluations (`make bench` runs each once with short settings: bench/run_all.py).

The repository root is app.config's REPO_ROOT, the one definition; a bench run as a script
(`.venv/bin/python bench/<name>.py`) first puts the root on sys.path so that `bench` and `app` import.
"""

from app.config import REPO_ROOT

# The halves of the labelled sets made for tuning (one per writing round); a held-out half is reported in aggregate only.
TUNE_SPLITS = ("tune", "r2_tune", "r3_tune", "r4_tune")

__all__ = ["REPO_ROOT", "TUNE_SPLITS"]
