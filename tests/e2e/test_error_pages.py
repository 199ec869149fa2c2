"""The page served during a database outage passes the accessibility checks."""

from playwright.sync_api import Page, Route, expect
from pytest_django.live_server_helper import LiveServer

from tests.outages import database_down


def test_the_database_outage_page_is_accessible(page: Page, live_server: LiveServer, client):
    # The live server runs in another thread, with a database that stays up: take the
    # 503 page from a request made here during a real outage, and serve it at its URL.
    with database_down():
        response = client.get("/directory/")
    assert response.status_code == 503

    def serve_outage_page(route: Route) -> None:
        route.fulfill(status=503, content_type="text/html; charset=utf-8", body=response.content)

    page.route(f"{live_server.url}/directory/", serve_outage_page)
    page.goto(f"{live_server.url}/directory/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Sorry, the service is unavailable")
