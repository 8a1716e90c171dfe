"""Train the rude-turn classifier and export it (app/roleplay/tone_model.py reads the export).

Data: the `rude` label of every turn of the tune halves (tests/eval/calls_{zh,en}_{tune,r2_tune,r3_tune,r4_tune}.jsonl,
never a held-out half) and the lines of playbooks/buyer/tone_examples.yaml. A turn labelled rude that is monologue
length (playbooks/buyer/rudeness.yaml `monologue_chars`) is left out: it is rude for its length, which the rules
read, not for its words. Settings: `training` in tone_examples.yaml.

Model: TfidfVectorizer(analyzer="char", sublinear tf) + LogisticRegression(class_weight="balanced"), fitted once on
every n-gram seen `min_df` times, then again on the `max_features` n-grams of largest |weight| alone, so the exported
model is exactly the fitted one. Threshold: leave one round out (tune, r2, r3, r4, the corpus): each fold scored by a
model fitted on the others; the lowest probability (rounded up to 0.001) that flags at most `max_polite_flagged` of
the polite turns out of fold.

    .venv/bin/python bench/train_tone_model.py           # writes playbooks/buyer/tone_model.json, prints the folds
    .venv/bin/python bench/train_tone_model.py --check   # exit 1 when a retrain would not give the committed file
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.pipeline import Pipeline, make_pipeline  # noqa: E402

from app.roleplay.scenarios import load_scenarios  # noqa: E402
from app.roleplay.scripted_buyer import own_names  # noqa: E402
from app.roleplay.tone import ToneReader, load_rudeness_lexicon, over_length  # noqa: E402
from app.roleplay.tone_model import TONE_MODEL_PATH, ToneExamples, Training, load_tone_examples  # noqa: E402
from bench import TUNE_SPLITS  # noqa: E402
from bench.eval_calls import LANGS, load_calls  # noqa: E402

CORPUS = "corpus"
DIGITS = 6  # places kept of every exported number


@dataclass(frozen=True)
class Example:
    text: str
    rude: bool
    fold: str  # the tune split, or CORPUS
    rules: bool  # the rules alone read it rude (the turn on its own, no call context)


@lru_cache(maxsize=1)
def rules_reader() -> ToneReader:
    """The word-class rules without the classifier (which this script makes)."""
    return ToneReader.build(load_rudeness_lexicon())


def _rules(text: str, names: list[str], rivals: list[str]) -> bool:
    return rules_reader().read(text, own_names=names, rivals=rivals, presented=text) is not None


def load_examples(examples: ToneExamples) -> list[Example]:
    """The tune halves' turns and the corpus lines, in a fixed order."""
    limits = rules_reader().lexicon.monologue_chars
    scenarios = load_scenarios()
    every_name = sorted({name for scenario in scenarios.values() for name in own_names(scenario)})
    every_rival = sorted({rival for scenario in scenarios.values() for rival in scenario.competitors})
    rows: list[Example] = []
    for split in TUNE_SPLITS:
        for lang in LANGS:
            for call in load_calls(lang, split):
                scenario = scenarios[call["scenario"]]
                names, rivals = own_names(scenario), list(scenario.competitors)
                for turn in call["turns"]:
                    rude = bool(turn["rude"])
                    if rude and over_length(turn["text"], limits.zh, limits.en):
                        continue
                    rows.append(Example(turn["text"], rude, split, _rules(turn["text"], names, rivals)))
    for rude, lines in ((True, examples.rude), (False, examples.polite)):
        rows += [Example(text, rude, CORPUS, _rules(text, every_name, every_rival)) for text in lines.all()]
    return rows


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


def out_of_fold(rows: list[Example], training: Training) -> list[float]:
    """Each row's probability from a model fitted without its fold."""
    probabilities = [0.0] * len(rows)
    for fold in [*TUNE_SPLITS, CORPUS]:
        inside = [index for index, row in enumerate(rows) if row.fold != fold]
        outside = [index for index, row in enumerate(rows) if row.fold == fold]
        model = fit([rows[index].text for index in inside], [rows[index].rude for index in inside], training)
        scores = model.predict_proba([rows[index].text for index in outside])[:, 1]
        for index, score in zip(outside, scores, strict=True):
            probabilities[index] = float(score)
    return probabilities


def choose_threshold(rows: list[Example], probabilities: list[float], share: float) -> float:
    """The lowest threshold (a multiple of 0.001) that flags at most `share` of the polite rows."""
    polite = sorted((score for row, score in zip(rows, probabilities, strict=True) if not row.rude), reverse=True)
    allowed = math.floor(share * len(polite))
    return min(0.999, math.floor(polite[allowed] * 1000) / 1000 + 0.001)


def export(model: Pipeline, threshold: float, training: Training) -> str:
    """The model as JSON text, one n-gram a line, every number to DIGITS places: the same fit gives the same bytes."""
    vectorizer, classifier = model[0], model[-1]
    names = [str(name) for name in vectorizer.get_feature_names_out()]
    idf, weights = vectorizer.idf_, classifier.coef_[0]
    head = {
        "source": [
            "bench/train_tone_model.py: tune halves' rude labels (tune, r2, r3, r4) + playbooks/buyer/tone_examples.yaml"
        ],
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


def train(threshold: float | None = None) -> Trained:
    """The model fitted on every row, with the threshold chosen out of fold (or the one given: the quick retrain)."""
    examples = load_tone_examples()
    training = examples.training
    rows = load_examples(examples)
    probabilities: list[float] = []
    if threshold is None:
        probabilities = out_of_fold(rows, training)
        threshold = choose_threshold(rows, probabilities, training.max_polite_flagged)
    model = fit([row.text for row in rows], [row.rude for row in rows], training)
    return Trained(export(model, threshold, training), model, rows, probabilities, threshold)


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} = {100 * part / whole:.1f} %" if whole else "-"


def report(trained: Trained) -> None:
    """Per fold, out of fold: rude recall and polite turns flagged, rules alone / model alone / rules OR model."""
    print(f"threshold {trained.threshold}")
    for fold in [*TUNE_SPLITS, CORPUS, "all"]:
        pairs = [
            (row, score)
            for row, score in zip(trained.rows, trained.probabilities, strict=True)
            if fold in ("all", row.fold)
        ]
        rude = [(row, score) for row, score in pairs if row.rude]
        polite = [(row, score) for row, score in pairs if not row.rude]
        for name, verdict in (
            ("rules", lambda row, score: row.rules),
            ("model", lambda row, score: score >= trained.threshold),
            ("rules+model", lambda row, score: row.rules or score >= trained.threshold),
        ):
            caught = sum(verdict(row, score) for row, score in rude)
            flagged = sum(verdict(row, score) for row, score in polite)
            print(
                f"{fold:8} {name:12} rude recall {_share(caught, len(rude)):22} polite flagged {_share(flagged, len(polite))}"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare a retrain with the committed file")
    args = parser.parse_args()
    trained = train()
    if args.check:
        same = TONE_MODEL_PATH.read_text(encoding="utf-8") == trained.text
        print("same" if same else "differs")
        return 0 if same else 1
    TONE_MODEL_PATH.write_text(trained.text, encoding="utf-8")
    print(f"wrote {TONE_MODEL_PATH} ({len(trained.text.encode('utf-8'))} bytes)")
    report(trained)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
