"""The synonyms file and typo correction (engine-independent parts)."""

import pytest

from directory import synonyms


def test_lonely_also_finds_loneliness_isolation_and_befriending():
    assert set(synonyms.expand("lonely")) >= {"lonely", "loneliness", "isolation", "befriending"}


def test_debt_also_finds_money_and_benefits():
    assert {"money", "benefits"} <= set(synonyms.expand("Debt"))


def test_a_word_without_synonyms_finds_itself():
    assert synonyms.expand("choir") == ("choir",)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "meant"),
    [("befreinding", "befriending"), ("lonley", "lonely"), ("gardning", "gardening"),
     ("benifits", "benefits"), ("dementa", "dementia")],
)  # fmt: skip
def test_a_misspelt_word_is_corrected_to_a_known_one(typed, meant):
    known = synonyms.vocabulary(("Dementia support", "Social connection and befriending"))
    assert synonyms.correct(typed, known) == meant


@pytest.mark.django_db
def test_known_short_or_distant_words_are_left_alone():
    known = synonyms.vocabulary()
    assert synonyms.correct("money", known) is None  # known
    assert synonyms.correct("tai", known) is None  # too short to correct
    assert synonyms.correct("xylophone", known) is None  # near nothing


def test_a_malformed_synonyms_line_is_a_clear_error(tmp_path, monkeypatch):
    bad = tmp_path / "search_synonyms.txt"
    bad.write_text("lonely loneliness\n")
    monkeypatch.setattr(synonyms, "SYNONYMS_FILE", bad)
    synonyms.synonyms.cache_clear()
    try:
        with pytest.raises(ValueError, match="line 1"):
            synonyms.synonyms()
    finally:
        synonyms.synonyms.cache_clear()
