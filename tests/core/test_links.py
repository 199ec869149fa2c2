"""Absolute links for emails: one function joins SITE_URL and a path."""

import pytest
from django.urls import reverse

from socialrx.core.links import absolute_url


@pytest.mark.parametrize("site_url", ["https://sp.example", "https://sp.example/"])
def test_a_path_becomes_a_full_address_without_a_doubled_slash(settings, site_url):
    settings.SITE_URL = site_url
    path = reverse("referrals:detail", args=[7])
    assert absolute_url(path) == f"https://sp.example{path}"


def test_only_paths_on_this_site_are_accepted(settings):
    settings.SITE_URL = "https://sp.example"
    with pytest.raises(ValueError, match="Not a path"):
        absolute_url("https://elsewhere.example/")
