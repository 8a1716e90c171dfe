"""The rude-turn readers on a frozen tone check set (tests/eval/tone_check_*.jsonl, {"text", "lang", "rude"}; never
trained or tuned on): rude recall and polite lines flagged, the rules alone and the rules OR the classifier.

Each line is read on its own, as the first turn of a call (no refusal before it), with every scenario's company names
and rivals known: the check lines name them but not their scenario.

    .venv/bin/python bench/tone_check_eval.py [--file tests/eval/tone_check_toneclf.jsonl] [--misses]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.roleplay.scenarios import load_scenarios  # noqa: E402
from app.roleplay.scripted_buyer import own_names  # noqa: E402
from app.roleplay.tone import tone_reader  # noqa: E402
from bench import REPO_ROOT  # noqa: E402

DEFAULT = REPO_ROOT / "tests" / "eval" / "tone_check_toneclf.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--file", type=Path, default=DEFAULT)
    parser.add_argument("--misses", action="store_true", help="list the lines each reader gets wrong")
    args = parser.parse_args()
    if "heldout" in args.file.name:
        parser.error("held-out files are the lead's measurement")
    rows = [json.loads(line) for line in args.file.read_text(encoding="utf-8").splitlines() if line.strip()]
    scenarios = load_scenarios().values()
    names = sorted({name for scenario in scenarios for name in own_names(scenario)})
    rivals = sorted({rival for scenario in scenarios for rival in scenario.competitors})
    reader = tone_reader()
    for use_model, label in ((False, "rules"), (True, "rules+model")):
        for lang in ("zh", "en", "all"):
            chosen = [row for row in rows if lang in ("all", row["lang"])]
            verdicts = [
                (
                    row,
                    reader.read(
                        row["text"], own_names=names, rivals=rivals, presented=row["text"], use_model=use_model
                    ),
                )
                for row in chosen
            ]
            rude = [kind is not None for row, kind in verdicts if row["rude"]]
            polite = [kind is not None for row, kind in verdicts if not row["rude"]]
            print(
                f"{label:12} {lang:3} rude recall {sum(rude)}/{len(rude)} = {100 * sum(rude) / len(rude):.1f} %   "
                f"polite flagged {sum(polite)}/{len(polite)} = {100 * sum(polite) / len(polite):.1f} %"
            )
            if args.misses and lang == "all":
                for row, kind in verdicts:
                    if (kind is not None) != row["rude"]:
                        print(f"  {'MISSED' if row['rude'] else 'FLAGGED'} ({kind}) {row['text']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
