"""A database outage answers the NHS.UK 503 page, and the service recovers by itself.

The outage is real: the default connection is pointed at a PostgreSQL port nothing
listens on, so every query fails in the driver exactly as when the server is down.
"""

import pytest
from django.test import Client

from socialrx.core.views import server_error
from tests.helpers.html import parse
from tests.outages import database_down


def assert_unavailable_page(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = parse(response.content.decode())
    assert page.one("h1").text == "Sorry, the service is unavailable"
    assert page.one("header", "nhsuk-header")
    # Nothing that needs the signed-in user, which the database would have to load.
    assert not page.find_all("nav", "nhsuk-header__account")


@pytest.mark.django_db
def test_a_public_page_answers_503_during_an_outage_and_200_after_it(client):
    with database_down():
        during = client.get("/directory/")

    after = client.get("/directory/")

    assert_unavailable_page(during)
    assert after.status_code == 200


@pytest.mark.django_db
def test_a_signed_in_page_answers_503_during_an_outage_and_200_after_it(referrer):
    # The signed-in user is loaded by a middleware, outside any view. The test client
    # would re-raise that error; a real server answers with the error handler's page.
    client = Client(raise_request_exception=False)
    client.force_login(referrer)

    with database_down():
        during = client.get("/")

    after = client.get("/")

    assert_unavailable_page(during)
    assert after.status_code == 200
    assert referrer.full_name in after.content.decode()


def test_the_500_handler_answers_500_for_any_other_error(rf):
    try:
        raise ValueError("a bug, not an outage")
    except ValueError:
        response = server_error(rf.get("/"))

    assert response.status_code == 500
