"""English UI strings that count something say "1 rep", not "1 reps"; Chinese is unchanged."""

from app.i18n import translate


def test_one_is_singular_in_english_only():
    assert translate("drills.reps_count", "en", count=1) == "1 rep"
    assert translate("drills.reps_count", "en", count=3) == "3 reps"
    assert translate("drills.reps_count", "zh", count=1) == "1 人"
    assert translate("teams.members", "en", count=1) == "1 member"
