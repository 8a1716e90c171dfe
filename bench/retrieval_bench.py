"""Benchmark the playbook knowledge index: build time and warm retrieval/answer latency (p50/p95).

Run from the repo root:  .venv/bin/python bench/retrieval_bench.py [--repeats 30]
Writes bench/results/retrieval.json and prints a table. Target: search p95 <= 10 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.knowledge import KnowledgeIndex, answer_offline, load_chunks  # noqa: E402
from app.knowledge.retriever import KNOWLEDGE_DIR  # noqa: E402
from app.knowledge.tokenize import tokenize  # noqa: E402
from bench import REPO_ROOT  # noqa: E402

GOLDEN_PATH = REPO_ROOT / "tests" / "eval" / "ask_golden.jsonl"
RESULT_PATH = REPO_ROOT / "bench" / "results" / "retrieval.json"
TARGET_P95_MS = 10.0


def percentile(samples: list[float], share: float) -> float:
    """Nearest-rank percentile of the samples (share in 0..1)."""
    ordered = sorted(samples)
    rank = max(1, round(share * len(ordered)))
    return ordered[rank - 1]


def timed_ms(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return (time.perf_counter() - start) * 1000


def summary(samples: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(samples, 0.50), 3),
        "p95_ms": round(percentile(samples, 0.95), 3),
        "max_ms": round(max(samples), 3),
        "mean_ms": round(statistics.fmean(samples), 3),
        "samples": len(samples),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30, help="passes over the evaluation questions")
    parser.add_argument("--builds", type=int, default=5, help="index builds to time")
    args = parser.parse_args()

    questions = [
        json.loads(line)["question"] for line in GOLDEN_PATH.read_text(encoding="utf-8").splitlines() if line.strip()
    ]

    tokenizer_init_ms = timed_ms(tokenize, "预热")  # first call loads jieba's dictionary
    load_samples, build_samples = [], []
    index = None
    for _ in range(args.builds):
        start = time.perf_counter()
        chunks = load_chunks(KNOWLEDGE_DIR)
        loaded = time.perf_counter()
        index = KnowledgeIndex.build(chunks)
        built = time.perf_counter()
        load_samples.append((loaded - start) * 1000)
        build_samples.append((built - loaded) * 1000)
    assert index is not None

    for question in questions:  # warm-up pass
        index.search(question, 3)
        answer_offline(question, index)
    search_samples = [timed_ms(index.search, q, 3) for _ in range(args.repeats) for q in questions]
    answer_samples = [timed_ms(answer_offline, q, index) for _ in range(args.repeats) for q in questions]

    result = {
        "what": "knowledge index over knowledge/*.md: BM25 (bm25s) + jieba; warm timings",
        "chunks": len(index.chunks),
        "questions": len(questions),
        "repeats": args.repeats,
        "tokenizer_init_ms": round(tokenizer_init_ms, 1),
        "load_markdown_ms": round(statistics.median(load_samples), 2),
        "index_build_ms": round(statistics.median(build_samples), 2),
        "search_top3": summary(search_samples),
        "answer_offline": summary(answer_samples),
        "target_search_p95_ms": TARGET_P95_MS,
        "meets_target": percentile(search_samples, 0.95) <= TARGET_P95_MS,
        "environment": {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count()},
    }
    RESULT_PATH.parent.mkdir(parents=True, exist_ok=True)
    RESULT_PATH.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    print(f"{'measure':<28}{'value':>12}")
    print(f"{'chunks / questions':<28}{len(index.chunks):>6} / {len(questions):<4}")
    print(f"{'jieba init (cold)':<28}{tokenizer_init_ms:>9.1f} ms")
    print(f"{'load markdown (median)':<28}{result['load_markdown_ms']:>9.2f} ms")
    print(f"{'index build (median)':<28}{result['index_build_ms']:>9.2f} ms")
    for name in ("search_top3", "answer_offline"):
        stats = result[name]
        print(
            f"{name + ' p50 / p95':<28}{stats['p50_ms']:>9.3f} / {stats['p95_ms']:.3f} ms  (max {stats['max_ms']:.3f}, n={stats['samples']})"
        )
    print(f"{'search p95 <= 10 ms':<28}{'yes' if result['meets_target'] else 'NO':>12}")
    print(f"wrote {RESULT_PATH.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
