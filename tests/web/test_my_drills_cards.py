"""A rep's drill table reads as cards on a phone (issue: seven squeezed columns scrolled sideways there):
the table is a phone-cards table whose cells name their column."""

import re

from tests.utils.authz import owner_drill
from tests.utils.factories import web_login


def test_my_drills_table_turns_into_labelled_cards(client, session, world, world_users):
    owner_drill(client, world["owner"], session)
    web_login(client, world_users["owner"].username)
    for path in ("/", "/drills"):
        html = client.get(path).text
        table = re.search(r'<table class="([^"]*)" id="my-drills">(.*?)</table>', html, re.DOTALL)
        assert table and "phone-cards" in table.group(1).split()
        labels = re.findall(r'data-label="([^"]+)"', table.group(2))
        assert {"截止", "及格分"} <= set(labels), labels


def test_the_managers_drill_list_turns_into_labelled_cards(client, session, world, world_users):
    owner_drill(client, world["owner"], session)
    web_login(client, world_users["manager_of_team"].username)
    html = client.get("/drills").text
    table = re.search(r'<table class="([^"]*)" id="drill-list">(.*?)</table>', html, re.DOTALL)
    assert table and "phone-cards" in table.group(1).split()
    assert {"截止", "及格分", "通过"} <= set(re.findall(r'data-label="([^"]+)"', table.group(2)))
