"""The team dashboard's charts read apart (UI walk): each drill's pass rate under its full title, Chinese titles
inside the chart, and each rep's name above their radar instead of on its top axis label."""

import re
from datetime import timedelta

from app.models import Role
from app.models.common import team_today
from app.roleplay.scenarios import load_scenarios
from app.web import charts
from tests.utils.factories import auth_headers, make_drill, make_roleplay, make_user, north_and_south, web_login
from tests.utils.roleplays import VITAMIN, play
from tests.utils.scripted_reps import strong_rep_lines


def _plot_left(svg: str) -> float:
    return float(re.search(r'<g transform="translate\(([\d.]+), [\d.]+\)" class="plot"', svg).group(1))


def test_pass_rates_show_whole_titles_that_fit_the_chart():
    rows = [("#3 区域物流运输管理（华东线）", 50.0), ("#4 区域物流运输管理（华南线）", 100.0)]
    svg = str(charts.rates(rows))
    placed = re.findall(r'<text x="-?[\d.]+" y="([\d.]+)" class="">(#\d[^<]*)</text>', svg)
    labels = [label for _, label in sorted(placed, key=lambda found: float(found[0]))]
    assert labels == [label for label, _ in rows], labels  # whole, top down in the given order
    assert ">50%<" in svg and ">100%<" in svg
    widest = max(len(label) - 3 * 0.4 for label, _ in rows) * 14  # "#3 " is Latin (0.6 em), the rest 1 em
    assert _plot_left(svg) >= widest, "the Chinese labels run off the chart's left edge"


def test_dashboard_labels_each_drill_and_puts_rep_names_in_captions(client, session):
    people = north_and_south(session)
    second = make_user(session, Role.rep, team="华北一组", username="rep_north_2")
    for scenario in ("logistics_tms", "logistics_tms", "retail_member_marketing"):
        drill = make_drill(
            session,
            people["manager"],
            assign=[people["rep"], second],
            scenario_id=scenario,
            due=team_today() + timedelta(days=2),
        )
        make_roleplay(session, people["rep"], drill=drill, finished=True, score=80)
    for rep in (people["rep"], second):  # a scored call each: the radars need 5K points
        headers = auth_headers(client, rep)
        roleplay_id, _ = play(client, headers, VITAMIN, strong_rep_lines(load_scenarios()[VITAMIN]))
        assert client.post(f"/api/roleplays/{roleplay_id}/finish", headers=headers).status_code == 200
    web_login(client, people["manager"].username)
    page = client.get("/team").text

    rates = page[page.index('id="pass-rates"') : page.index("</section>", page.index('id="pass-rates"'))]
    labels = re.findall(r'class="">(#\d+ [^<]*)</text>', rates)
    assert len(labels) == 3 and len(set(labels)) == 3 and not any("…" in label for label in labels), labels
    assert any("区域物流运输管理" in label for label in labels)

    radars = page[page.index('id="radars"') : page.index("</section>", page.index('id="radars"'))]
    for rep in (people["rep"], second):
        figure = re.search(rf'data-user-id="{rep.id}">\s*<figcaption>([^<]*)</figcaption>(.*?)</figure>', radars, re.S)
        name = rep.display_name or rep.username
        assert figure and figure.group(1) == name
        assert not re.search(rf"<text[^>]*>{name}<", figure.group(2)), "no chart title crowding the top axis label"
