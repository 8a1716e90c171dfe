"""Benchmarks and evaluations (`make bench` runs each once with short settings: bench/run_all.py).

The repository root is app.config's REPO_ROOT, the one definition; a bench run as a script
(`.venv/bin/python bench/<name>.py`) first puts the root on sys.path so that `bench` and `app` import.
"""

from app.config import REPO_ROOT

__all__ = ["REPO_ROOT"]
