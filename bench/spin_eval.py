"""Benchmark for the offline SPIN classifier: accuracy, per-label precision/recall, confusion matrix, timing.

Run from the repo root:
    .venv/bin/python bench/spin_eval.py                     # evaluate, write bench/results/spin.json
    .venv/bin/python bench/spin_eval.py --split train       # the train split only (`make bench`'s short run)
    .venv/bin/python bench/spin_eval.py --write-train-data  # refresh app/coaching/spin_train.jsonl
    .venv/bin/python bench/spin_eval.py --cross-validate    # how NB_WEIGHT / NB_SMOOTHING were chosen
    .venv/bin/python bench/spin_eval.py --cross-validate --rules-from 14c09ac
        # the same, with the cue rules as they were before the natural items were written: the
        # rules have not seen that wording, as with a rep's fresh wording in real use
Reads tests/data/spin_labeled.jsonl (and, for the training data, the TRAIN conversations of
tests/eval/roleplay_natural.jsonl). Test-split utterances never reach the training data.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.coaching import spin  # noqa: E402
from app.coaching.spin import SPIN_LABELS, TRAIN_DATA_PATH, NaiveBayes, classify_spin  # noqa: E402
from bench import REPO_ROOT  # noqa: E402

DATA_PATH = REPO_ROOT / "tests" / "data" / "spin_labeled.jsonl"
CONVERSATIONS_PATH = REPO_ROOT / "tests" / "eval" / "roleplay_natural.jsonl"
CV_FOLDS = 5
CV_WEIGHTS = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)
CV_SMOOTHING = (0.3, 1.0)
RESULT_PATH = REPO_ROOT / "bench" / "results" / "spin.json"
SPLITS = ("train", "test")
TIMING_ROUNDS = 20


def load_rows() -> list[dict]:
    with DATA_PATH.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def training_rows() -> list[dict]:
    """TRAIN utterances only: the labeled set's train split plus the train conversations' rep turns."""
    rows = [{"text": row["text"], "label": row["label"]} for row in load_rows() if row["split"] == "train"]
    with CONVERSATIONS_PATH.open(encoding="utf-8") as handle:
        conversations = [json.loads(line) for line in handle if line.strip()]
    seen = {row["text"] for row in rows}
    for conversation in conversations:
        if conversation["split"] != "train":
            continue
        for turn in conversation["turns"]:
            if turn["text"] not in seen:
                seen.add(turn["text"])
                rows.append({"text": turn["text"], "label": turn["spin"]})
    return rows


def write_training_data() -> None:
    rows = training_rows()
    TRAIN_DATA_PATH.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    print(f"wrote {len(rows)} TRAIN utterances to {TRAIN_DATA_PATH.relative_to(REPO_ROOT)}")


def rule_scores_of(texts: list[str], rules_from: str | None) -> list[dict[str, float]]:
    """Scores of the cue rules alone, from the current lexicon or the one at a git revision."""
    original = (spin.NB_WEIGHT, spin.LEXICON_PATH)
    with tempfile.TemporaryDirectory() as folder:
        if rules_from:
            old = subprocess.run(
                ["git", "show", f"{rules_from}:app/coaching/spin_lexicon.yaml"],
                cwd=REPO_ROOT,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            spin.LEXICON_PATH = Path(folder) / "spin_lexicon.yaml"
            spin.LEXICON_PATH.write_text(old, encoding="utf-8")
        spin.NB_WEIGHT = 0.0
        spin._lexicon.cache_clear()
        try:
            return [classify_spin(text).scores for text in texts]
        finally:
            spin.NB_WEIGHT, spin.LEXICON_PATH = original
            spin._lexicon.cache_clear()


def cross_validate(rules_from: str | None) -> None:
    """Accuracy of rules + naive Bayes for each weight and smoothing, by 5-fold CV on TRAIN data only.

    Printed for all TRAIN utterances and for the naturally worded ones (labeled-set items marked
    "natural" and the conversation turns), where the gain on fresh wording shows.
    """
    rows = training_rows()
    natural_texts = {row["text"] for row in load_rows() if row.get("source") == "natural"}
    original_texts = {row["text"] for row in load_rows()}
    natural = [row["text"] in natural_texts or row["text"] not in original_texts for row in rows]
    rule_scores = rule_scores_of([row["text"] for row in rows], rules_from)
    for smoothing in CV_SMOOTHING:
        posteriors: list[dict[str, float]] = [{} for _ in rows]
        for fold in range(CV_FOLDS):
            held = [i for i in range(len(rows)) if i % CV_FOLDS == fold]
            kept = [row for i, row in enumerate(rows) if i % CV_FOLDS != fold]
            model = NaiveBayes([row["text"] for row in kept], [row["label"] for row in kept], smoothing)
            for i in held:
                posteriors[i] = model.posterior(spin.model_text(rows[i]["text"]))
        for weight in CV_WEIGHTS:
            hits = []
            for row, scores, posterior in zip(rows, rule_scores, posteriors):
                combined = {label: scores[label] + weight * posterior[label] for label in SPIN_LABELS}
                predicted = max(SPIN_LABELS, key=lambda label: (combined[label], -spin.TIE_BREAK_ORDER.index(label)))
                hits.append(predicted == row["label"])
            natural_hits = [hit for hit, is_natural in zip(hits, natural) if is_natural]
            print(
                f"smoothing {smoothing:<4} weight {weight:<4} CV accuracy {sum(hits) / len(hits):.1%} (n={len(hits)}), "
                f"natural wording {sum(natural_hits) / len(natural_hits):.1%} (n={len(natural_hits)})"
            )


def evaluate(rows: list[dict]) -> dict:
    """Accuracy, per-label precision/recall/F1, confusion matrix (rows = gold, columns = predicted)."""
    confusion = {gold: {pred: 0 for pred in SPIN_LABELS} for gold in SPIN_LABELS}
    confidences: list[tuple[float, bool]] = []
    errors: list[dict] = []
    for row in rows:
        result = classify_spin(row["text"])
        confusion[row["label"]][result.label] += 1
        correct = result.label == row["label"]
        confidences.append((result.confidence, correct))
        if not correct:
            errors.append(
                {
                    "text": row["text"],
                    "gold": row["label"],
                    "predicted": result.label,
                    "confidence": result.confidence,
                    "cues": result.cues,
                }
            )
    per_label = {}
    for label in SPIN_LABELS:
        true_positive = confusion[label][label]
        predicted = sum(confusion[gold][label] for gold in SPIN_LABELS)
        actual = sum(confusion[label].values())
        precision = true_positive / predicted if predicted else 0.0
        recall = true_positive / actual if actual else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": actual,
        }
    correct_total = sum(confusion[label][label] for label in SPIN_LABELS)
    by_lang = {}
    for lang in sorted({row["lang"] for row in rows}):
        subset = [row for row in rows if row["lang"] == lang]
        hits = sum(classify_spin(row["text"]).label == row["label"] for row in subset)
        by_lang[lang] = {"accuracy": round(hits / len(subset), 4), "n": len(subset)}
    return {
        "n": len(rows),
        "accuracy": round(correct_total / len(rows), 4) if rows else 0.0,
        "by_lang": by_lang,
        "per_label": per_label,
        "confusion": confusion,
        "reliability": reliability(confidences),
        "errors": errors,
    }


def reliability(confidences: list[tuple[float, bool]]) -> list[dict]:
    """Mean confidence vs. accuracy in confidence bins: a quick calibration check."""
    bins = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.85), (0.85, 0.95), (0.95, 1.01)]
    table = []
    for low, high in bins:
        members = [(conf, ok) for conf, ok in confidences if low <= conf < high]
        if members:
            table.append(
                {
                    "bin": f"{low:.2f}-{min(high, 1.0):.2f}",
                    "n": len(members),
                    "mean_confidence": round(statistics.mean(c for c, _ in members), 3),
                    "accuracy": round(sum(ok for _, ok in members) / len(members), 3),
                }
            )
    return table


def timing(rows: list[dict]) -> dict:
    """Mean and p95 microseconds per utterance after a warm-up pass."""
    texts = [row["text"] for row in rows]
    for text in texts:  # warm-up: loads and compiles the lexicon
        classify_spin(text)
    samples = []
    for _ in range(TIMING_ROUNDS):
        for text in texts:
            start = time.perf_counter()
            classify_spin(text)
            samples.append((time.perf_counter() - start) * 1e6)
    samples.sort()
    return {
        "mean_us": round(statistics.mean(samples), 1),
        "p95_us": round(samples[int(len(samples) * 0.95)], 1),
        "max_us": round(samples[-1], 1),
        "calls": len(samples),
    }


def format_confusion(confusion: dict) -> str:
    header = "gold\\pred " + "".join(f"{label:>7}" for label in SPIN_LABELS)
    lines = [header]
    for gold in SPIN_LABELS:
        lines.append(f"{gold:<10}" + "".join(f"{confusion[gold][pred]:>7}" for pred in SPIN_LABELS))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-train-data", action="store_true", help="refresh app/coaching/spin_train.jsonl")
    parser.add_argument("--cross-validate", action="store_true", help="choose the naive Bayes weight on TRAIN data")
    parser.add_argument("--rules-from", metavar="REV", help="with --cross-validate: cue rules from this git revision")
    parser.add_argument("--split", choices=[*SPLITS, "all"], default="all", help="evaluate this split only")
    args = parser.parse_args()
    if args.write_train_data:
        write_training_data()
        return
    if args.cross_validate:
        cross_validate(args.rules_from)
        return
    splits = SPLITS if args.split == "all" else (args.split,)
    rows = [row for row in load_rows() if row["split"] in splits]
    report = {"dataset": str(DATA_PATH.relative_to(REPO_ROOT)), "splits": {}}
    for split in splits:
        subset = [row for row in rows if row["split"] == split]
        result = evaluate(subset)
        report["splits"][split] = result
        print(
            f"== {split}: accuracy {result['accuracy']:.1%} on {result['n']} utterances "
            + ", ".join(f"{lang} {v['accuracy']:.1%} (n={v['n']})" for lang, v in result["by_lang"].items())
        )
        for label, stats in result["per_label"].items():
            print(
                f"  {label:<6} precision {stats['precision']:.2f}  recall {stats['recall']:.2f}  "
                f"f1 {stats['f1']:.2f}  n={stats['support']}"
            )
        print(format_confusion(result["confusion"]))
        print(
            "  calibration:",
            ", ".join(
                f"{b['bin']}: n={b['n']} conf={b['mean_confidence']} acc={b['accuracy']}" for b in result["reliability"]
            ),
        )
    report["timing"] = timing(rows)
    print(f"== timing: mean {report['timing']['mean_us']} µs, p95 {report['timing']['p95_us']} µs per utterance")
    RESULT_PATH.parent.mkdir(parents=True, exist_ok=True)
    RESULT_PATH.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULT_PATH.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
