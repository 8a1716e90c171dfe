"""English UI strings that count say "1 rep", not "1 reps"; fallback lines that say nothing untrue."""

from app.i18n import translate


def test_one_is_singular_in_english_only():
    assert translate("drills.reps_count", "en", count=1) == "1 rep"
    assert translate("drills.reps_count", "en", count=3) == "3 reps"
    assert translate("drills.reps_count", "zh", count=1) == "1 人"
    assert translate("teams.members", "en", count=1) == "1 member"


def test_no_strengths_does_not_prescribe_a_question_type():
    """The call may well have had good situation questions: the empty-strengths line points to the improvements."""
    assert "背景问题" not in translate("roleplay.score.strengths_none", "zh")
    assert "situation" not in translate("roleplay.score.strengths_none", "en")
