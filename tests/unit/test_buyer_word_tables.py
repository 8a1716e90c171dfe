"""The buyer's and the ask rules' word tables are data under playbooks/ (app/roleplay/phrases.py, rubric.py): the
shipped files load and are what the matchers use, and a broken file names the file and the field."""

import json

import pytest

from app.roleplay import scripted_buyer, topics
from app.roleplay.asks import is_price_offer
from app.roleplay.phrases import (
    CONCEPTS_PATH,
    CUES_PATH,
    PhraseDataError,
    load_buyer_cues,
    load_topic_words,
    topic_words,
)
from app.roleplay.rubric import RUBRIC_PATH, RubricError, get_rubric, load_rubric_file
from app.roleplay.scenarios import CATEGORIES


def test_the_topic_tables_come_from_the_playbook_file():
    words = load_topic_words(CONCEPTS_PATH)
    assert topics.CONCEPTS == {name: tuple(forms) for name, forms in words.concepts.items()}
    assert set(words.generic_terms.all()) <= topics.GENERIC_TERMS
    assert topics.concept_names("月底关账要几天？") >= {"月结"}
    assert topics.concept_names("how long is your month-end close?") >= {"月结"}


def test_surface_order_is_kept_so_the_first_form_found_names_the_concept():
    assert topic_words().concepts["系统"][0] == "系统"
    assert list(topics.CONCEPTS) == list(topic_words().concepts)


# A valid fact_text block, so each broken file below fails on its own fault only.
FACT_TEXT = 'fact_text: {rank_weight: {zh: 1.0, en: 1.0}, alone_min: {zh: 2.0}, alone_lead: 2.0, alone_pieces: 2, stop_characters: "的"}\n'
BROKEN = {
    "an unknown language": (
        'concepts:\n  系统: ["系统"]\ngeneric_terms: {zh: ["现在"], en: ["how"], de: ["wie"]}\n',
        "generic_terms.de",
    ),
    "a repeated surface form": ('concepts:\n  系统: ["系统", "系统"]\ngeneric_terms: {}\n', "concepts.系统: repeated"),
    "a capital letter": ('concepts:\n  系统: ["Software"]\ngeneric_terms: {}\n', "concepts.系统: surface forms"),
    "no concepts": ("concepts: {}\ngeneric_terms: {}\n", "concepts"),
    "a likeness weight for an unknown language": (
        'concepts:\n  系统: ["系统"]\ngeneric_terms: {}\n'
        'fact_text: {rank_weight: {de: 1.0}, alone_min: {}, alone_lead: 2.0, alone_pieces: 2, stop_characters: ""}\n',
        "fact_text.rank_weight.de",
    ),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_concepts_file_names_the_file_and_field(tmp_path, case):
    text, field = BROKEN[case]
    path = tmp_path / "broken_concepts.yaml"
    path.write_text(text if "fact_text" in text else text + FACT_TEXT, encoding="utf-8")
    with pytest.raises(PhraseDataError) as raised:
        load_topic_words(path)
    assert "broken_concepts.yaml" in str(raised.value) and field in str(raised.value)


def test_the_scripted_buyer_cues_come_from_the_playbook_file():
    cues = load_buyer_cues(CUES_PATH)
    assert set(scripted_buyer.GENERAL_ASKS) == set(CATEGORIES)
    assert scripted_buyer.GENERAL_ASKS["problem"] == tuple(cues.general_asks["problem"].all())
    assert scripted_buyer.GENERAL_ASKS["situation"] == ()
    assert scripted_buyer.REFERS_BACK == tuple(cues.refers_back.all())
    assert scripted_buyer.PRICE_WORDS == tuple(cues.price.all())
    assert scripted_buyer.COMPETITOR_WORDS == tuple(cues.competitor.all())
    assert scripted_buyer.COMPANY_ASKS == tuple(cues.company_asks.all())
    assert scripted_buyer.BUSINESS_BASICS == tuple(cues.business_basics.all())
    assert scripted_buyer.STYLE_CUES == {style: tuple(words.all()) for style, words in cues.style_cues.items()}
    assert topics.mentions("Can we talk about your pricing?", scripted_buyer.PRICE_WORDS)


_CUES_OK = {
    "general_asks": {category: {"zh": ["问题"], "en": []} for category in CATEGORIES},
    "refers_back": {"zh": ["刚才"]},
    "price": {"zh": ["价格"]},
    "competitor": {"en": ["competitor"]},
    "company_asks": {"zh": ["你们"]},
    "business_basics": {"zh": ["仓库"]},
    "style_cues": {style: {"zh": ["数据"]} for style in scripted_buyer.STYLE_CUES},
    "interrogative": {"zh": ["吗"], "en": ["\\bhow\\b"]},
    "condition": {"zh": ["^如果"]},
    "topic_comment": {"zh": ["^大概是"]},
    "terse_follow_up": {
        "max_length": {"zh": 6, "en": 7},
        "effect_asks": {"zh": ["影响"], "en": ["cost"]},
        "cause_asks": {"zh": ["为啥"], "en": ["why"]},
    },
    "question_words": {"zh": ["多少"], "en": ["\\bhow\\b"]},
}
BROKEN_CUES = {
    "a missing category": ({"general_asks": {"problem": {"zh": ["问题"]}}}, "general_asks: missing ['situation'"),
    "an unknown style": ({"style_cues": {**_CUES_OK["style_cues"], "style.x": {}}}, "unknown ['style.x']"),
    "an empty word": ({"price": {"zh": [" "]}}, "price: empty word"),
    "no words": ({"competitor": {}}, "competitor: no words"),
    "no company words": ({"company_asks": {}}, "company_asks: no words"),
    "a misspelt field": ({"prices": {"zh": ["价格"]}}, "prices"),
    "a pattern that does not compile": ({"condition": {"zh": ["(如果"]}}, "condition: pattern '(如果'"),
    "a question word that does not compile": ({"question_words": {"en": ["(how"]}}, "question_words: pattern '(how'"),
}


@pytest.mark.parametrize("case", BROKEN_CUES)
def test_a_broken_cues_file_names_the_file_and_field(tmp_path, case):
    change, field = BROKEN_CUES[case]
    path = tmp_path / "broken_cues.yaml"
    path.write_text(json.dumps({**_CUES_OK, **change}, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(PhraseDataError) as raised:
        load_buyer_cues(path)
    assert "broken_cues.yaml" in str(raised.value) and field in str(raised.value)


def test_the_valid_cues_of_the_broken_cases_load(tmp_path):
    path = tmp_path / "cues.yaml"
    path.write_text(json.dumps(_CUES_OK, ensure_ascii=False), encoding="utf-8")
    assert load_buyer_cues(path).price.zh == ["价格"]


def test_price_offers_are_read_from_the_rubric():
    offers = get_rubric().asks.offers
    assert "九五折" in offers.zh and "cheaper" in offers.en
    assert all(is_price_offer(f"这个月签的话可以{word}") for word in offers.zh)
    assert all(is_price_offer(f"We can make it {word} this month") for word in offers.en)
    assert not is_price_offer("这个系统能把对账时间缩短一半")


@pytest.mark.parametrize("field", ["offers", "pitch_refers_back"])
def test_a_rubric_without_an_ask_word_list_names_the_file_and_field(tmp_path, field):
    text = RUBRIC_PATH.read_text(encoding="utf-8")
    assert f"\n  {field}:\n" in text
    broken = tmp_path / "rubric.yaml"
    broken.write_text(text.replace(f"\n  {field}:\n", f"\n  {field}_gone:\n"), encoding="utf-8")
    with pytest.raises(RubricError) as raised:
        load_rubric_file(broken)
    assert str(raised.value).startswith("rubric.yaml: ") and f"asks.{field}" in str(raised.value)


def test_the_question_clauses_are_found_by_the_playbook_patterns():
    line = "您这儿九百多台风机，平时备件都放在哪里？"
    assert scripted_buyer.question_focus(line) == "平时备件都放在哪里？"
    assert scripted_buyer.question_focus("We run nine hundred turbines, how do you stock spares?") == (
        " how do you stock spares?"
    )
    assert scripted_buyer.question_focus("要是备件不够，会怎样？") == "要是备件不够，会怎样？"
