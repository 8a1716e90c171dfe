"""Train the pitch classifier and export it (app/coaching/pitch_model.py reads the export, spin.py uses it).

Data: the `pitch` label of every turn of the tune halves (tests/eval/calls_{zh,en}_{tune,r2_tune,r3_tune,r4_tune}.jsonl,
never a held-out half) and the lines of playbooks/coach/pitch_examples.yaml, each read as the classifier reads it at
run time (spin.pitch_model_text: without need-payoff conditional questions and offers to send material; a turn left
empty is dropped). Model and threshold: bench/text_classifier_training.py; the folds are the rounds (tune, r2, r3,
r4, the corpus), the threshold flags at most `max_negative_flagged` of the non-pitch turns out of fold.

    .venv/bin/python bench/train_pitch_model.py           # writes playbooks/coach/pitch_model.json, prints the folds
    .venv/bin/python bench/train_pitch_model.py --check   # exit 1 when a retrain would not give the committed file
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.coaching.pitch_model import PITCH_MODEL_PATH, PitchExamples, load_pitch_examples  # noqa: E402
from app.coaching.spin import classify_spin, pitch_model_text  # noqa: E402
from bench import TUNE_SPLITS  # noqa: E402
from bench.eval_calls import LANGS, load_calls  # noqa: E402
from bench.text_classifier_training import CORPUS, Example, Trained, main  # noqa: E402
from bench.text_classifier_training import train as train_classifier  # noqa: E402

FOLDS = [*TUNE_SPLITS, CORPUS]
SOURCE = (
    "bench/train_pitch_model.py: tune halves' pitch labels (tune, r2, r3, r4) + playbooks/coach/pitch_examples.yaml"
)


def _example(text: str, pitch: bool, fold: str) -> Example | None:
    read = pitch_model_text(text)
    return Example(read, pitch, fold, classify_spin(text, pitch_model=False).is_pitch) if read else None


def load_examples(examples: PitchExamples) -> list[Example]:
    """The tune halves' turns and the corpus lines, in a fixed order."""
    found: list[Example | None] = []
    for split in TUNE_SPLITS:
        for lang in LANGS:
            for call in load_calls(lang, split):
                found += [_example(turn["text"], bool(turn["pitch"]), split) for turn in call["turns"]]
    for pitch, lines in ((True, examples.pitch), (False, examples.non_pitch)):
        found += [_example(text, pitch, CORPUS) for text in lines.all()]
    return [row for row in found if row is not None]


def train(threshold: float | None = None) -> Trained:
    """The model fitted on every row, with the threshold chosen out of fold (or the one given: the quick retrain)."""
    examples = load_pitch_examples()
    training = examples.training
    rows = load_examples(examples)
    return train_classifier(rows, training, FOLDS, training.max_negative_flagged, SOURCE, threshold)


if __name__ == "__main__":
    raise SystemExit(main(__doc__ or "", train, PITCH_MODEL_PATH, FOLDS, ("pitch", "non-pitch")))
