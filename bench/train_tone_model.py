"""Train the rude-turn classifier and export it (app/roleplay/tone_model.py reads the export).

Data: the `rude` label of every turn of the tune halves (tests/eval/calls_{zh,en}_{tune,r2_tune,r3_tune,r4_tune}.jsonl,
never a held-out half) and the lines of playbooks/buyer/tone_examples.yaml. A turn labelled rude that is monologue
length (playbooks/buyer/rudeness.yaml `monologue_chars`) is left out: it is rude for its length, which the rules
read, not for its words. Settings: `training` in tone_examples.yaml.

Model and threshold: bench/text_classifier_training.py; the folds are the rounds (tune, r2, r3, r4, the corpus), the
threshold flags at most `max_polite_flagged` of the polite turns out of fold.

    .venv/bin/python bench/train_tone_model.py           # writes playbooks/buyer/tone_model.json, prints the folds
    .venv/bin/python bench/train_tone_model.py --check   # exit 1 when a retrain would not give the committed file
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.roleplay.scenarios import load_scenarios  # noqa: E402
from app.roleplay.scripted_buyer import own_names  # noqa: E402
from app.roleplay.tone import ToneReader, load_rudeness_lexicon, over_length  # noqa: E402
from app.roleplay.tone_model import TONE_MODEL_PATH, ToneExamples, load_tone_examples  # noqa: E402
from bench import TUNE_SPLITS  # noqa: E402
from bench.eval_calls import LANGS, load_calls  # noqa: E402
from bench.text_classifier_training import CORPUS, Example, Trained, main  # noqa: E402
from bench.text_classifier_training import train as train_classifier  # noqa: E402

FOLDS = [*TUNE_SPLITS, CORPUS]
SOURCE = "bench/train_tone_model.py: tune halves' rude labels (tune, r2, r3, r4) + playbooks/buyer/tone_examples.yaml"


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


def train(threshold: float | None = None) -> Trained:
    """The model fitted on every row, with the threshold chosen out of fold (or the one given: the quick retrain)."""
    examples = load_tone_examples()
    training = examples.training
    rows = load_examples(examples)
    return train_classifier(rows, training, FOLDS, training.max_polite_flagged, SOURCE, threshold)


if __name__ == "__main__":
    raise SystemExit(main(__doc__ or "", train, TONE_MODEL_PATH, FOLDS, ("rude", "polite")))
