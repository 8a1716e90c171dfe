"""Charts that tell the truth and stay readable (issue 19, item 6): stage counts not cumulative, 100 % stacked SPIN
mix with one row per rep, small multiples per skill, amounts that fit their cards."""

import re
from datetime import UTC, datetime

from app.models import Role
from app.web import charts
from app.web.templating import money_short
from tests.utils.factories import make_opportunity, make_user, web_login


def test_money_short_fits_a_card():
    assert money_short(13_750_000, "zh") == "¥1375万" and money_short(13_750_000, "en") == "¥13.75M"
    assert money_short(850_000_000, "zh") == "¥8.5亿" and money_short(2.5e9, "en") == "¥2.5B"
    assert money_short(455_000, "zh") == "¥455,000" and money_short(None) == "—"


def test_stage_chart_counts_each_deal_once_at_its_stage(client, session):
    rep = make_user(session, Role.rep, team="一组")
    make_opportunity(
        session,
        rep,
        account="甲",
        amount=13_750_000,
        milestone_id="milestone.m100",
        probability=100,
        outcome="won",
        closed_at=datetime.now(UTC),
    )
    make_opportunity(session, rep, account="乙", amount=100_000, milestone_id="milestone.m90", probability=90)
    web_login(client, rep.username)
    page = client.get("/pipeline").text
    chart = page[page.index('id="funnel"') : page.index("</svg>", page.index('id="funnel"'))]
    values = re.findall(r'<text[^>]*class="value[^"]*"[^>]*>([^<]*)</text>', chart)
    assert sorted(value for value in values if value) == ["1", "1"], values  # not 2 in every band below
    assert "90% 等候结案" in chart and "100% 结案" in chart  # full stage names
    assert "¥1385万" in page  # total amount in the card, short


def test_spin_mix_is_stacked_with_a_row_per_rep():
    reps = [f"销售{i:02d}" for i in range(15)]
    svg = str(charts.stacked_shares(reps, {"S": [40.0] * 15, "P": [30.0] * 15, "I": [20.0] * 15, "N": [10.0] * 15}))
    assert all(name in svg for name in reps)
    assert svg.count(">40%<") >= 15 and "21212121" not in svg
    small = str(charts.stacked_shares(reps[:2], {"S": [50.0, 96.0], "N": [50.0, 4.0]}))
    assert ">4%<" not in small, "a share too thin to hold its label is not labelled"


def test_an_empty_skill_chart_says_so_in_the_page_language_and_small():
    svg = str(charts.small_lines(["12-08"], [None], title="处理顾虑", no_data="这段时间的练习都不涉及"))
    assert "No data" not in svg and "这段时间的练习都不涉及" in svg
    assert "No data" not in str(charts.small_lines(["12-08"], [None], title="Objections"))


def test_spin_mix_legend_columns_fit_the_longest_name():
    english = [
        "Situation question S",
        "Problem question P",
        "Implication question I",
        "Need-payoff question N",
        "Other",
    ]
    chinese = ["背景问题 S", "难点问题 P", "影响问题 I", "需求效益问题 N", "其他"]
    svg = str(charts.stacked_shares(["Li"], {name: [20.0] for name in english}))
    xs = sorted({float(x) for x in re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="12" height="12"', svg)})
    assert len(xs) <= 3, xs  # three columns of legend, not five that run into each other
    svg_zh = str(charts.stacked_shares(["李明"], {name: [20.0] for name in chinese}))
    assert len({x for x in re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="12" height="12"', svg_zh)}) == 5
