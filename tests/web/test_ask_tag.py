"""The line tag under a rep's closing ask names the kind of ask (advance, order, continuation), not "other"."""

import re

from tests.utils.roleplays import send, signed_in, start_page


def _said(client, url: str, csrf: str, text: str) -> str:
    """The spin line of the rep's turn once its stream has run, from the reloaded chat page."""
    fragment = send(client, url, csrf, text)
    client.get(re.search(r'sse-connect="([^"]+)"', fragment.text).group(1))
    page = client.get(url).text
    return page.split('class="spin-line"')[-1].split("</div>")[0]


def test_an_advance_is_named_as_one(client, rep):
    csrf = signed_in(client, rep)
    url = start_page(client, csrf)
    line = _said(client, url, csrf, "您看下一步能不能选一条产线先做个试点？")
    assert "争取推进" in line and "非提问" not in line


def test_a_plain_statement_stays_other(client, rep):
    csrf = signed_in(client, rep)
    url = start_page(client, csrf)
    assert "非提问 / 其他" in _said(client, url, csrf, "好的，谢谢您。")
