"""The digest hook: apps add counted lines to the link worker's daily digest through core."""

import datetime

import pytest

from socialrx.core import digest
from socialrx.core.digest import (
    DigestLine,
    digest_sections_for,
    register_digest_section,
    unregister_digest_section,
)
from socialrx.core.models import User

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture
def sections(monkeypatch):
    """An empty registry for the test; the installed apps' sections come back after."""
    monkeypatch.setattr(digest, "_sections", {})


def worker() -> User:
    return User(email="worker@example.org")


@pytest.mark.usefixtures("sections")
def test_sections_give_their_lines_in_registration_order():
    seen = []

    def first(user, today):
        seen.append((user.email, today))
        return [DigestLine(label="Things to do", count=2, link="/things/")]

    register_digest_section("first", first)
    register_digest_section("second", lambda user, today: [DigestLine("Other things", 1)])

    got = digest_sections_for(worker(), TODAY)

    assert [s.name for s in got] == ["first", "second"]
    assert got[0].lines == (DigestLine("Things to do", 2, "/things/"),)
    assert got[0].total == 2
    assert seen == [("worker@example.org", TODAY)]


@pytest.mark.usefixtures("sections")
def test_registering_a_name_again_replaces_it_so_ready_twice_does_not_double():
    register_digest_section("a", lambda user, today: [DigestLine("Old", 1)])
    register_digest_section("a", lambda user, today: [DigestLine("New", 3)])

    [section] = digest_sections_for(worker(), TODAY)

    assert section.lines == (DigestLine("New", 3),)


@pytest.mark.usefixtures("sections")
def test_a_section_with_nothing_to_say_is_left_out_and_can_be_removed():
    register_digest_section("empty", lambda user, today: [])
    register_digest_section("gone", lambda user, today: [DigestLine("Gone", 1)])
    unregister_digest_section("gone")
    unregister_digest_section("never registered")

    assert digest_sections_for(worker(), TODAY) == []


@pytest.mark.usefixtures("sections")
def test_a_section_must_return_digest_lines_not_richer_objects():
    # A dict (or a model) could carry a name into the email; only counts may go.
    register_digest_section("leaky", lambda user, today: [{"label": "Ann Smith", "count": 1}])

    with pytest.raises(TypeError, match="leaky"):
        digest_sections_for(worker(), TODAY)


@pytest.mark.parametrize(
    "link", ["https://elsewhere.example/x", "cases/1/", "/cases/?name=Ann+Smith"]
)
def test_a_line_links_only_to_a_plain_path_on_this_site(link):
    with pytest.raises(ValueError, match="plain path"):
        DigestLine("Things", 1, link)


def test_a_line_count_cannot_be_negative():
    with pytest.raises(ValueError, match="negative"):
        DigestLine("Things", -1)


def test_outcomes_registers_its_follow_up_section_from_ready():
    assert "outcomes.follow_ups" in digest._sections
