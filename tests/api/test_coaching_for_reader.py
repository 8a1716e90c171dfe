"""The coach's lines on a rep's scorecard, note and transcript address the rep as "you"/你 only when the rep reads
them; the rep's manager reads the same lines with the rep named (quoted example lines stay as the rep would say them)."""

import re

from app.coaching.reader import for_reader
from app.models import RolePlay
from tests.utils.authz import owner_attempt
from tests.utils.factories import web_login

SECTIONS = re.compile(
    r'<(?:ul|div)[^>]*id="(?:improvements|strengths|your-words|note-strengths|note-improvements)"[^>]*>(.*?)</(?:ul|div)>',
    re.S,
)
QUOTED = re.compile(r"“[^”]*”|&#34;[^&]*&#34;|\"[^\"]*\"|<blockquote>.*?</blockquote>", re.S)
SECOND_PERSON = {"en": re.compile(r"\b(you|your)\b", re.I), "zh": re.compile(r"你(?!们)")}


def _coach_lines(html: str) -> str:
    """The coach's own words on the page: the feedback sections without quoted example lines and rep quotes."""
    return QUOTED.sub("", "".join(SECTIONS.findall(html)))


def test_rewording_names_the_rep_and_keeps_quoted_lines():
    assert (
        for_reader('The buyer feels you do not know his situation yet: ask "could you tell me more?"', "en", "Li")
        == 'The buyer feels Li does not know his situation yet: ask "could you tell me more?"'
    )
    assert for_reader("客户还不够信任你，先问“你们现在怎么做？”，参观你方客户", "zh", "李明") == (
        "客户还不够信任李明，先问“你们现在怎么做？”，参观我方客户"
    )
    assert for_reader("you never asked", "en", None) == "you never asked"  # the rep reads it


def test_the_manager_reads_the_reps_coaching_about_the_rep(client, session, world, world_users):
    roleplay_id = owner_attempt(client, world["owner"], session)
    note_id = session.get(RolePlay, roleplay_id).note_id
    rep_name = world_users["owner"].display_name or world_users["owner"].username
    # the rep reads a line addressed to them (the offline coach's wording for a call without a problem admitted)
    web_login(client, world_users["owner"].username)
    client.get("/lang/en", headers={"referer": "http://testserver/"})
    rep_card = client.get(f"/roleplay/{roleplay_id}/scorecard").text
    assert SECOND_PERSON["en"].search(_coach_lines(rep_card))
    client.cookies.clear()

    web_login(client, world_users["manager_of_team"].username)
    for lang in ("en", "zh"):
        client.get(f"/lang/{lang}", headers={"referer": "http://testserver/"})
        card = client.get(f"/roleplay/{roleplay_id}/scorecard").text
        lines = _coach_lines(card)
        assert lines.strip() and not SECOND_PERSON[lang].search(lines), lines
        if lang == "en":
            assert rep_name in lines
        note_lines = _coach_lines(client.get(f"/notes/{note_id}").text)
        assert note_lines.strip() and not SECOND_PERSON[lang].search(note_lines), note_lines


def test_the_managers_export_of_a_reps_note_names_the_rep(client, session, world, world_users):
    roleplay_id = owner_attempt(client, world["owner"], session)
    note_id = session.get(RolePlay, roleplay_id).note_id
    rep_name = world_users["owner"].display_name or world_users["owner"].username

    def feedback(headers, fmt):
        text = client.get(f"/api/notes/{note_id}/export?format={fmt}&lang=en", headers=headers).text
        # the coach's lines: markdown bullets or CSV rows of the strengths and improvements, without quoted lines
        lines = [line for line in text.splitlines() if line.startswith(("- ", "Strengths", "To improve"))]
        return QUOTED.sub("", "\n".join(lines))

    for fmt in ("md", "csv"):
        assert SECOND_PERSON["en"].search(feedback(world["owner"], fmt)), fmt  # the rep's own copy says "you"
        managers = feedback(world["manager_of_team"], fmt)
        assert not SECOND_PERSON["en"].search(managers) and rep_name in managers, managers
