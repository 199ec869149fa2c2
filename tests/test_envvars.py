"""Yes/no settings read every usual spelling and refuse anything else."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from socialrx.envvars import env_bool

NAME = "SOCIALRX_TEST_FLAG"


@pytest.mark.parametrize("word", ["true", "True", "TRUE", "yes", "on", "1", " true "])
def test_true_words(monkeypatch, word):
    monkeypatch.setenv(NAME, word)

    assert env_bool(NAME, default=False) is True


@pytest.mark.parametrize("word", ["false", "False", "no", "off", "0"])
def test_false_words(monkeypatch, word):
    monkeypatch.setenv(NAME, word)

    assert env_bool(NAME, default=True) is False


@pytest.mark.parametrize("default", [True, False])
@pytest.mark.parametrize("value", [None, ""])
def test_unset_or_empty_gives_the_default(monkeypatch, value, default):
    if value is None:
        monkeypatch.delenv(NAME, raising=False)
    else:
        monkeypatch.setenv(NAME, value)

    assert env_bool(NAME, default=default) is default


@pytest.mark.parametrize("word", ["ture", "flase", "2", "enabled", "y"])
def test_an_unknown_word_stops_with_the_variable_named(monkeypatch, word):
    monkeypatch.setenv(NAME, word)

    with pytest.raises(ImproperlyConfigured, match=rf"{NAME}='{word}' is not a yes/no value"):
        env_bool(NAME, default=False)
