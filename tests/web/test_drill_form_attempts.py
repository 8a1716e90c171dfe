"""The drill forms' "attempts allowed" field lines up with its neighbours (UI walk: the long label wrapped on a
desktop and pushed its box down): the label is as short as the others and the "empty = unlimited" note sits under
the box."""

import re
from datetime import timedelta

from app.models.common import team_today
from tests.utils.factories import make_drill, north_and_south, web_login


def _attempts_label(html: str) -> tuple[str, str]:
    found = re.search(r"<label>([^<]*)<input type=\"number\" name=\"attempts\"(.*?)</label>", html, re.S)
    assert found, "no attempts field"
    return found.group(1).strip(), found.group(2)


def test_attempts_label_is_short_with_the_note_below_the_box(client, session):
    people = north_and_south(session)
    drill = make_drill(session, people["manager"], assign=[people["rep"]], due=team_today() + timedelta(days=2))
    web_login(client, people["manager"].username)
    for path in ("/drills", f"/drills/{drill.id}"):
        label, rest = _attempts_label(client.get(path).text)
        assert label == "允许次数", label
        assert 'placeholder="不限"' in rest and re.search(r"<small[^>]*>留空为不限</small>", rest)
    client.cookies.set("lang", "en")
    label, rest = _attempts_label(client.get("/drills").text)
    assert label == "Attempts allowed" and "Empty means unlimited" in rest
