"""spin_lexicon.yaml is validated when it is loaded (app/coaching/spin_lexicon.py): a malformed file fails with the
file and the field named, including the keys the sentence reading uses (lead_in, confirmation, abbreviations)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app.coaching.spin import LEXICON_PATH
from app.coaching.spin_lexicon import SpinLexiconError, load_spin_lexicon


def _write(tmp_path: Path, change) -> Path:
    raw = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / "spin_lexicon.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_the_shipped_lexicon_is_valid() -> None:
    data = load_spin_lexicon(LEXICON_PATH)
    assert data.lead_in and data.confirmation and "mr" in data.abbreviations


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (lambda raw: raw["lead_in"].append("(您刚才说"), "lead_in.", "does not compile"),
        (lambda raw: raw.pop("confirmation"), "confirmation", "Field required"),
        (lambda raw: raw.update(confirmation=[]), "confirmation", "at least 1 item"),
        (lambda raw: raw.update(lead_in="you mentioned"), "lead_in", "valid list"),
        (lambda raw: raw["abbreviations"].append(False), "abbreviations.", "valid string"),  # YAML's bare `no`
        (lambda raw: raw["abbreviations"].append("Mr."), "abbreviations.", "should match pattern"),
        (lambda raw: raw["abbreviations"].append("mr"), "abbreviations", "listed twice"),
        (lambda raw: raw.update(lead_ins=raw["lead_in"]), "lead_ins", "Extra inputs"),
        (lambda raw: raw["pitch"].update({"[unclosed": 1.0}), "pitch", "does not compile"),
    ],
)
def test_a_malformed_lexicon_fails_naming_the_file_and_the_field(tmp_path, change, field, message) -> None:
    with pytest.raises(SpinLexiconError) as raised:
        load_spin_lexicon(_write(tmp_path, change))
    text = str(raised.value)
    assert text.startswith("spin_lexicon.yaml: invalid SPIN lexicon"), text
    assert f"field {field}" in text and message in text, text


def test_unreadable_yaml_fails_with_the_file_named(tmp_path) -> None:
    path = tmp_path / "spin_lexicon.yaml"
    path.write_text("lead_in: [unclosed\n", encoding="utf-8")
    with pytest.raises(SpinLexiconError, match=r"spin_lexicon.yaml: cannot read YAML"):
        load_spin_lexicon(path)
