"""The Ask answer's **bold** (as the playbook's passages write it) becomes <strong>, everything else stays escaped."""

from __future__ import annotations

from app.web.markdown import render_emphasis


def test_bold_markers_become_strong_and_the_rest_is_escaped():
    text = "1. **Problem first**: ask <why>?\n2. **One at a time** & wait"
    assert render_emphasis(text) == (
        "1. <strong>Problem first</strong>: ask &lt;why&gt;?\n2. <strong>One at a time</strong> &amp; wait"
    )


def test_unpaired_or_line_crossing_markers_stay_as_they_are():
    assert render_emphasis("a ** b") == "a ** b"
    assert render_emphasis("**a\nb**") == "**a\nb**"
    assert render_emphasis("**<script>**") == "<strong>&lt;script&gt;</strong>"
