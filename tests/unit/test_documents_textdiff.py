"""The phrases `diff` shows for an issued document's text: each changed figure with its unit,
inside its sentence."""

from __future__ import annotations

from documents.textdiff import changed_phrases


def test_a_changed_figure_is_shown_with_its_unit_inside_its_sentence() -> None:
    before = "# I. KẾT QUẢ\n\nTổ chức 21 hội thảo quốc tế. Có 49 đoàn ra với 275 lượt người.\n"
    after = "# I. KẾT QUẢ\n\nTổ chức 21 hội thảo quốc tế. Có 50 đoàn ra với 280 lượt người.\n"
    phrases = changed_phrases(before, after)
    assert [(p["before"], p["after"]) for p in phrases] == [
        ("49 đoàn", "50 đoàn"),
        ("275 lượt", "280 lượt"),
    ]
    assert phrases[0]["sentence_before"] == "Có 49 đoàn ra với 275 lượt người."
    assert phrases[0]["sentence_after"] == "Có 50 đoàn ra với 280 lượt người."


def test_a_two_syllable_unit_is_kept_whole() -> None:
    (phrase,) = changed_phrases("Hoàn thành 12 nhiệm vụ.", "Hoàn thành 13 nhiệm vụ.")
    assert (phrase["before"], phrase["after"]) == ("12 nhiệm vụ", "13 nhiệm vụ")


def test_words_added_or_removed() -> None:
    (phrase,) = changed_phrases("Có 3 đoàn.", "Có 3 đoàn (tăng 01 đoàn).")
    assert phrase["before"] == "đoàn" and phrase["after"] == "đoàn (tăng 01 đoàn)"
    assert changed_phrases("Giống nhau.", "Giống nhau.") == []
