"""What the role-play evaluations share: the blind conversation sets (tests/eval/calls_<lang>_<split>.jsonl, format
in tests/eval/CALLS_README.md) and the rank correlation between the writer's band and the score."""

from __future__ import annotations

import json

from bench import REPO_ROOT

EVAL_DIR = REPO_ROOT / "tests" / "eval"
LANGS = ("zh", "en")
SPLITS = ("tune", "heldout", "r2_tune", "r2_heldout", "r3_tune", "r3_heldout", "r4_tune", "r4_heldout")


def load_calls(lang: str, split: str) -> list[dict]:
    """The conversations of one language and split ([] when the file does not exist)."""
    path = EVAL_DIR / f"calls_{lang}_{split}.jsonl"
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _ranks(values: list[float]) -> list[float]:
    """Average ranks (ties share the mean of their positions), 1-based."""
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            ranks[order[position]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def spearman(xs: list[float], ys: list[float]) -> float | None:
    """Spearman's rho: the Pearson correlation of the average ranks, to 4 places (None under 3 pairs or when either
    side is constant)."""
    if len(xs) < 3:
        return None
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx) ** 0.5
    vy = sum((b - my) ** 2 for b in ry) ** 0.5
    return round(cov / (vx * vy), 4) if vx and vy else None
