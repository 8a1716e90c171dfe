"""The buyer's word tables are data under playbooks/ (app/roleplay/phrases.py): the shipped files load and are what
the matchers use, and a broken file names the file and the field."""

import pytest

from app.roleplay import topics
from app.roleplay.phrases import CONCEPTS_PATH, PhraseDataError, load_topic_words, topic_words


def test_the_topic_tables_come_from_the_playbook_file():
    words = load_topic_words(CONCEPTS_PATH)
    assert topics.CONCEPTS == {name: tuple(forms) for name, forms in words.concepts.items()}
    assert set(words.generic_terms.all()) <= topics.GENERIC_TERMS
    assert topics.concept_names("月底关账要几天？") >= {"月结"}
    assert topics.concept_names("how long is your month-end close?") >= {"月结"}


def test_surface_order_is_kept_so_the_first_form_found_names_the_concept():
    assert topic_words().concepts["系统"][0] == "系统"
    assert list(topics.CONCEPTS) == list(topic_words().concepts)


BROKEN = {
    "an unknown language": (
        'concepts:\n  系统: ["系统"]\ngeneric_terms: {zh: ["现在"], en: ["how"], de: ["wie"]}\n',
        "generic_terms.de",
    ),
    "a repeated surface form": ('concepts:\n  系统: ["系统", "系统"]\ngeneric_terms: {}\n', "concepts.系统: repeated"),
    "a capital letter": ('concepts:\n  系统: ["Software"]\ngeneric_terms: {}\n', "concepts.系统: surface forms"),
    "no concepts": ("concepts: {}\ngeneric_terms: {}\n", "concepts"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_concepts_file_names_the_file_and_field(tmp_path, case):
    text, field = BROKEN[case]
    path = tmp_path / "broken_concepts.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PhraseDataError) as raised:
        load_topic_words(path)
    assert "broken_concepts.yaml" in str(raised.value) and field in str(raised.value)
