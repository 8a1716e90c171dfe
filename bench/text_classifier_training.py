"""Training and export shared by the n-gram classifiers (bench/train_tone_model.py, bench/train_pitch_model.py;
the runtime scorer is app/coaching/text_classifier.py).

Model: TfidfVectorizer(analyzer="char", sublinear tf) + LogisticRegression(class_weight="balanced"), fitted once on
every n-gram seen `min_df` times, then again on the `max_features` n-grams of largest |weight| alone, so the exported
model is exactly the fitted one. Threshold: leave one round out (each fold scored by a model fitted on the others);
the lowest probability (rounded up to 0.001) that flags at most a given share of the negative rows out of fold.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline

from app.coaching.text_classifier import Training

CORPUS = "corpus"
DIGITS = 6  # places kept of every exported number


@dataclass(frozen=True)
class Example:
    text: str
    positive: bool
    fold: str  # the tune split, or CORPUS
    rules: bool  # the rules alone flag it


def _pipeline(training: Training, vocabulary: list[str] | None = None) -> Pipeline:
    vectorizer = TfidfVectorizer(
        analyzer="char",
        ngram_range=(training.ngram_min, training.ngram_max),
        lowercase=True,
        sublinear_tf=True,
        min_df=training.min_df if vocabulary is None else 1,
        vocabulary=vocabulary,
    )
    model = LogisticRegression(C=training.c, class_weight="balanced", max_iter=5000, random_state=0)
    return make_pipeline(vectorizer, model)


def fit(texts: list[str], labels: list[bool], training: Training) -> Pipeline:
    """Fitted on every n-gram, then again on the `max_features` of largest |weight| (ties by the n-gram)."""
    first = _pipeline(training).fit(texts, labels)
    names = first[0].get_feature_names_out()
    weights = first[-1].coef_[0]
    ranked = sorted(range(len(names)), key=lambda index: (-abs(float(weights[index])), str(names[index])))
    kept = sorted(str(names[index]) for index in ranked[: training.max_features])
    return _pipeline(training, kept).fit(texts, labels)


def out_of_fold(rows: list[Example], training: Training, folds: list[str]) -> list[float]:
    """Each row's probability from a model fitted without its fold."""
    probabilities = [0.0] * len(rows)
    for fold in folds:
        inside = [index for index, row in enumerate(rows) if row.fold != fold]
        outside = [index for index, row in enumerate(rows) if row.fold == fold]
        model = fit([rows[index].text for index in inside], [rows[index].positive for index in inside], training)
        scores = model.predict_proba([rows[index].text for index in outside])[:, 1]
        for index, score in zip(outside, scores, strict=True):
            probabilities[index] = float(score)
    return probabilities


def choose_threshold(rows: list[Example], probabilities: list[float], share: float) -> float:
    """The lowest threshold (a multiple of 0.001) that flags at most `share` of the negative rows."""
    negative = sorted((score for row, score in zip(rows, probabilities, strict=True) if not row.positive), reverse=True)
    allowed = math.floor(share * len(negative))
    return min(0.999, math.floor(negative[allowed] * 1000) / 1000 + 0.001)


def export(model: Pipeline, threshold: float, training: Training, source: str) -> str:
    """The model as JSON text, one n-gram a line, every number to DIGITS places: the same fit gives the same bytes."""
    vectorizer, classifier = model[0], model[-1]
    names = [str(name) for name in vectorizer.get_feature_names_out()]
    idf, weights = vectorizer.idf_, classifier.coef_[0]
    head = {
        "source": [source],
        "ngram_min": training.ngram_min,
        "ngram_max": training.ngram_max,
        "sublinear_tf": True,
        "intercept": round(float(classifier.intercept_[0]), DIGITS),
        "threshold": threshold,
        "enabled": training.enabled,
    }
    lines = [f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}," for key, value in head.items()]
    features = [
        f"    {json.dumps(name, ensure_ascii=False)}: [{round(float(idf[index]), DIGITS)}, "
        f"{round(float(weights[index]), DIGITS)}]"
        for index, name in enumerate(names)
    ]
    return "{\n" + "\n".join(lines) + '\n  "features": {\n' + ",\n".join(features) + "\n  }\n}\n"


@dataclass(frozen=True)
class Trained:
    text: str  # the export
    model: Pipeline
    rows: list[Example]
    probabilities: list[float]  # out of fold ([] when the threshold was given)
    threshold: float


def train(
    rows: list[Example],
    training: Training,
    folds: list[str],
    share: float,
    source: str,
    threshold: float | None = None,
) -> Trained:
    """The model fitted on every row, with the threshold chosen out of fold (or the one given: the quick retrain)."""
    probabilities: list[float] = []
    if threshold is None:
        probabilities = out_of_fold(rows, training, folds)
        threshold = choose_threshold(rows, probabilities, share)
    model = fit([row.text for row in rows], [row.positive for row in rows], training)
    return Trained(export(model, threshold, training, source), model, rows, probabilities, threshold)


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} = {100 * part / whole:.1f} %" if whole else "-"


def report(trained: Trained, folds: list[str], positive: str, negative: str) -> None:
    """Per fold, out of fold: recall and negative rows flagged, rules alone / model alone / rules OR model."""
    print(f"threshold {trained.threshold}")
    verdicts: list[tuple[str, Callable[[Example, float], bool]]] = [
        ("rules", lambda row, score: row.rules),
        ("model", lambda row, score: score >= trained.threshold),
        ("rules+model", lambda row, score: row.rules or score >= trained.threshold),
    ]
    for fold in [*folds, "all"]:
        pairs = [
            (row, score)
            for row, score in zip(trained.rows, trained.probabilities, strict=True)
            if fold in ("all", row.fold)
        ]
        hits = [(row, score) for row, score in pairs if row.positive]
        misses = [(row, score) for row, score in pairs if not row.positive]
        for name, verdict in verdicts:
            caught = sum(verdict(row, score) for row, score in hits)
            flagged = sum(verdict(row, score) for row, score in misses)
            print(
                f"{fold:8} {name:12} {positive} recall {_share(caught, len(hits)):22} "
                f"{negative} flagged {_share(flagged, len(misses))}"
            )


def main(
    description: str, train_all: Callable[[], Trained], path: Path, folds: list[str], names: tuple[str, str]
) -> int:
    """A trainer's command line: write the export and print the folds, or --check it against the committed file."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare a retrain with the committed file")
    args = parser.parse_args()
    trained = train_all()
    if args.check:
        same = path.read_text(encoding="utf-8") == trained.text
        print("same" if same else "differs")
        return 0 if same else 1
    path.write_text(trained.text, encoding="utf-8")
    print(f"wrote {path} ({len(trained.text.encode('utf-8'))} bytes)")
    report(trained, folds, *names)
    return 0
