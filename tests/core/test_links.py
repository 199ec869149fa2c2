"""Absolute links for emails: one function joins SITE_URL and a path; a list's links from
one reverse()."""

import pytest
from django.urls import reverse, set_script_prefix

from socialrx.core.links import absolute_url, path_for_each


@pytest.mark.parametrize("site_url", ["https://sp.example", "https://sp.example/"])
def test_a_path_becomes_a_full_address_without_a_doubled_slash(settings, site_url):
    settings.SITE_URL = site_url
    path = reverse("referrals:detail", args=[7])
    assert absolute_url(path) == f"https://sp.example{path}"


def test_only_paths_on_this_site_are_accepted(settings):
    settings.SITE_URL = "https://sp.example"
    with pytest.raises(ValueError, match="Not a path"):
        absolute_url("https://elsewhere.example/")


@pytest.mark.parametrize("name", ["linkworkers:case", "referrals:triage_detail"])
def test_a_lists_links_are_what_reverse_gives_for_each_record(name):
    path_of = path_for_each(name)
    for pk in (1, 7, 40_000, 987654321):
        assert path_of(pk) == reverse(name, args=[pk])


def test_a_lists_links_keep_the_sites_path_prefix():
    # Served under a prefix (SCRIPT_NAME), as behind a proxy at /socialrx/.
    set_script_prefix("/socialrx/")
    try:
        assert path_for_each("linkworkers:case")(12) == reverse("linkworkers:case", args=[12])
        assert path_for_each("linkworkers:case")(12).startswith("/socialrx/")
    finally:
        set_script_prefix("/")
