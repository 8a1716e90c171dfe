"""Role-play and notes pages through the web session: access, CSRF, escaping, fragments and exports."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from app.models import Role
from app.roleplay.scenarios import load_scenarios
from tests.utils.factories import make_user
from tests.utils.fake_llm import Action
from tests.utils.notes import flow_note
from tests.utils.roleplays import send, signed_in, start_page
from tests.utils.scripted_reps import strong_rep_lines
from tests.utils.sse import sse_blocks

VITAMIN = "mfg_vitamin_erp"
SCRIPT = "<script>alert(1)</script>"


def test_picker_lists_every_scenario(client, rep):
    signed_in(client, rep)
    page = client.get("/roleplay").text
    for scenario in load_scenarios().values():
        assert f'data-scenario="{scenario.id}"' in page and scenario.title_zh in page


def test_pages_need_a_session_and_posts_need_csrf(client, rep):
    assert client.get("/roleplay", follow_redirects=False).headers["location"] == "/login"
    signed_in(client, rep)
    response = client.post("/roleplay/start", data={"scenario_id": VITAMIN}, headers={"accept": "text/html"})
    assert response.status_code == 403


def test_a_turn_on_the_page_streams_html_fragments(client, rep):
    csrf = signed_in(client, rep)
    url = start_page(client, csrf)
    question = strong_rep_lines(load_scenarios()[VITAMIN])[0]
    fragment = send(client, url, csrf, question)
    assert fragment.status_code == 200
    assert question in fragment.text and "sse-connect" in fragment.text
    stream_url = re.search(r'sse-connect="([^"]+)"', fragment.text).group(1)
    events = sse_blocks(client.get(stream_url).text)
    assert set(events) == {"token", "feedback", "done"}
    assert load_scenarios()[VITAMIN].facts.situation[0].text in events["done"]
    assert 'hx-swap-oob="true"' in events["feedback"] and 'class="tag S"' in events["feedback"]
    page = client.get(url).text
    assert 'id="coach-tip" data-element="spin.problem"' in page


def test_rep_text_is_escaped_everywhere(client, rep):
    csrf = signed_in(client, rep)
    url = start_page(client, csrf)
    fragment = send(client, url, csrf, f"{SCRIPT}你们现在用什么系统？")
    assert SCRIPT not in fragment.text and "&lt;script&gt;" in fragment.text
    stream_url = re.search(r'sse-connect="([^"]+)"', fragment.text).group(1)
    client.get(stream_url)
    assert SCRIPT not in client.get(url).text


def test_model_text_is_escaped_on_the_page(llm_client, session, fake_llm):
    user = make_user(session, Role.rep)
    csrf = signed_in(llm_client, user)
    url = start_page(llm_client, csrf)
    fake_llm.queue(f"{SCRIPT}我们用的是老系统。", Action(json={"label": "S", "confidence": 0.5}))
    fragment = send(llm_client, url, csrf, "目前贵公司在现有系统方面是怎么安排的？")
    stream = llm_client.get(re.search(r'sse-connect="([^"]+)"', fragment.text).group(1)).text
    assert SCRIPT not in stream and "&lt;script&gt;" in stream
    page = llm_client.get(url).text
    assert SCRIPT not in page and "&lt;script&gt;alert(1)&lt;/script&gt;我们用的是老系统。" in page


def test_bad_messages_come_back_as_readable_fragments(client, rep):
    csrf = signed_in(client, rep)
    url = start_page(client, csrf)
    too_long = send(client, url, csrf, "问" * 2001)
    assert too_long.status_code == 422 and too_long.headers["hx-retarget"] == "#chat-error"
    assert "2000" in too_long.text
    send(client, url, csrf, "你们现在用什么系统？")  # its reply is not streamed yet
    waiting = send(client, url, csrf, "还有呢？")
    assert waiting.status_code == 409 and waiting.headers["hx-retarget"] == "#chat-error"


def test_a_pending_reply_reconnects_after_reload(client, rep):
    csrf = signed_in(client, rep)
    url = start_page(client, csrf)
    send(client, url, csrf, "你们现在用什么系统？")
    assert "sse-connect" in client.get(url).text


def test_manager_reads_but_cannot_write_other_reps_see_nothing(client, session, rep):
    csrf = signed_in(client, rep)
    url = start_page(client, csrf)
    client.cookies.clear()
    manager = make_user(session, Role.manager, team="A组")
    manager_csrf = signed_in(client, manager)
    page = client.get(url)
    assert page.status_code == 200 and "composer-form" not in page.text and "finish-form" not in page.text
    assert send(client, url, manager_csrf, "你好？").status_code == 404
    client.cookies.clear()
    stranger = make_user(session, Role.rep, team="B组")
    signed_in(client, stranger)
    assert client.get(url, headers={"accept": "text/html"}).status_code == 404


def test_finish_shows_the_scorecard_with_charts_and_the_note(client, rep):
    csrf = signed_in(client, rep)
    url = start_page(client, csrf)
    for line in strong_rep_lines(load_scenarios()[VITAMIN])[:4]:
        fragment = send(client, url, csrf, line)
        client.get(re.search(r'sse-connect="([^"]+)"', fragment.text).group(1))
    finished = client.post(f"{url}/finish", data={"csrf_token": csrf}, follow_redirects=False)
    assert finished.headers["location"] == f"{url}/scorecard"
    card = client.get(f"{url}/scorecard").text
    assert 'id="radar-chart"' in card and "<svg" in card and 'id="spin-chart"' in card
    assert not re.findall(r"<script(?![^>]*\bsrc=)", card), "no inline scripts (CSP): pygal's is stripped"
    note_id = re.search(r'href="/notes/(\d+)"', card).group(1)
    note = client.get(f"/notes/{note_id}").text
    assert "export?format=md" in note and "export?format=csv" in note
    exported = client.get(f"/notes/{note_id}/export?format=md")
    assert exported.status_code == 200 and exported.text.startswith("# ")
    assert client.get("/notes").text.count(f'href="/notes/{note_id}"') == 1


def test_the_spin_chart_counts_questions_in_whole_numbers(client, rep):
    csrf = signed_in(client, rep)
    url = start_page(client, csrf)
    for line in strong_rep_lines(load_scenarios()[VITAMIN])[:2]:  # two questions: pygal alone would mark 0.2 steps
        fragment = send(client, url, csrf, line)
        client.get(re.search(r'sse-connect="([^"]+)"', fragment.text).group(1))
    client.post(f"{url}/finish", data={"csrf_token": csrf})
    card = client.get(f"{url}/scorecard").text
    spin_chart = card[card.index('id="spin-chart"') :]
    axis = re.findall(r"<text[^>]*>(\d+(?:\.\d+)?)</text>", spin_chart[: spin_chart.index("</figure>")])
    assert axis and all(label.isdigit() for label in axis), f"a question is a whole number: {axis}"


def test_notes_page_shows_flow_notes_with_their_partial(client, session, rep):
    signed_in(client, rep)
    note = flow_note(session, rep.id)
    page = client.get(f"/notes/{note.id}")
    assert page.status_code == 200 and note.title in page.text
    assert 'id="flow-generic"' not in page.text  # the flows feature's own partial is used
    note.source_id = "a_future_flow"
    session.add(note)
    session.commit()
    assert 'id="flow-generic"' in client.get(f"/notes/{note.id}").text
    assert client.get("/notes?kind=flow").text.count(f'href="/notes/{note.id}"') == 1
    assert client.get("/notes?kind=roleplay").text.count(f'href="/notes/{note.id}"') == 0


def test_pages_show_stored_times_where_the_team_works(client, session, rep):
    """Stored in UTC, read in Asia/Shanghai, like the drill pages: 20:30 UTC on the 24th is 04:30 on the 25th."""
    signed_in(client, rep)
    note = flow_note(session, rep.id)
    note.created_at = datetime(2026, 11, 24, 20, 30, tzinfo=UTC)
    session.add(note)
    session.commit()
    for page in (client.get("/notes").text, client.get(f"/notes/{note.id}").text):
        assert "2026-11-25 04:30" in page and "2026-11-24 20:30" not in page


def test_an_empty_list_on_the_scorecard_says_so(client, rep):
    csrf = signed_in(client, rep)
    url = start_page(client, csrf)
    client.post(f"{url}/finish", data={"csrf_token": csrf})  # no question asked: nothing to praise
    card = client.get(f"{url}/scorecard").text
    assert "这次还没有突出的亮点" in card and '<li class="muted">–</li>' not in card
    note_id = re.search(r'href="/notes/(\d+)"', card).group(1)
    assert "这次还没有突出的亮点" in client.get(f"/notes/{note_id}").text


def test_the_rubric_is_shown_before_the_call_and_the_scorecard_quotes_the_reps_words(client, rep):
    """Issue 16: the rep sees what earns points, the outcome, components that did not apply, his own words."""
    csrf = signed_in(client, rep)
    picker = client.get("/roleplay").text
    assert 'id="rubric"' in picker and "过早推介" in picker and "延续" in picker
    url = start_page(client, csrf)
    lines = [*strong_rep_lines(load_scenarios()[VITAMIN])[:5], "我们还能给您打个八折", "那能不能改天再约个时间聊聊？"]
    for line in lines:
        fragment = send(client, url, csrf, line)
        client.get(re.search(r'sse-connect="([^"]+)"', fragment.text).group(1))
    chat = client.get(url).text
    assert "融洽度" in chat and "关系阶段" not in chat
    client.post(f"{url}/finish", data={"csrf_token": csrf})
    card = client.get(f"{url}/scorecard").text
    assert 'id="score-outcome"' in card and "只是延续" in card
    assert 'id="your-words"' in card and "我们还能给您打个八折" in card and "试试" in card
    assert 'id="rubric"' in card and 'id="fivek-evidence"' in card
    assert not re.findall(
        r"(?<![\w.\"'=/-])(?:dragon|spin|fivek|style)\.[a-z_]+(?:\.[a-z_0-9]+)*", card.split("<main")[1]
    ), "no raw playbook ids in the page text"


def test_an_english_scorecard_names_the_next_scenarios_buyer_in_english(client, rep):
    csrf = signed_in(client, rep)
    client.cookies.set("lang", "en")
    url = start_page(client, csrf)
    fragment = send(client, url, csrf, "How do you plan production today?")
    client.get(re.search(r'sse-connect="([^"]+)"', fragment.text).group(1))
    client.post(f"{url}/finish", data={"csrf_token": csrf})
    card = client.get(f"{url}/scorecard").text
    suggested = card[card.index('class="scenario-card next"') :]
    next_id = re.search(r'name="scenario_id" value="([^"]+)"', suggested).group(1)
    persona = load_scenarios()[next_id].persona
    assert persona.name_en in suggested and persona.name not in suggested
    client.cookies.delete("lang")
