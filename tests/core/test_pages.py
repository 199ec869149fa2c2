"""The page layout, account pages, error pages and shared includes, as people meet them."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.core.paginator import Paginator
from django.template import Context, Template, loader
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from socialrx.core import workspaces
from socialrx.core.api_tokens.models import RevocationReason
from socialrx.core.api_tokens.services import api_token_issue
from socialrx.core.models import AuditAction, AuditEvent, Role
from socialrx.core.workspaces import Workspace
from tests.helpers.html import Node, parse


def get_page(client: Client, url: str, status: int = 200) -> Node:
    response = client.get(url)
    assert response.status_code == status
    return parse(response.content.decode())


def assert_same_origin_assets_only(html: str) -> None:
    """What the Content-Security-Policy demands: no inline script or style at all."""
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert " style=" not in html
    assert "<style" not in html
    assert not re.search(r"""(?:src|href)=["']https?://""", html)


# The layout.


@pytest.mark.django_db
def test_the_layout_is_an_nhs_page(client, referrer):
    client.force_login(referrer)

    response = client.get(reverse("home"))
    html = response.content.decode()
    page = parse(html)

    assert page.one("head").one("title").text == "Your work – Social prescribing – NHS"
    skip = page.one("a", "nhsuk-skip-link")
    assert skip.attrs["href"] == "#maincontent"
    assert page.one("main", id="maincontent")
    header = page.one("header", "nhsuk-header")
    home_link = header.one("a", "nhsuk-header__service-logo")
    assert home_link.attrs["href"] == reverse("home")
    assert home_link.one("span", "nhsuk-header__service-name").text == "Social prescribing"
    assert page.one("footer", "nhsuk-footer")
    # Scripts: none blocks rendering (ADR 0029). All in <head>, deferred or a module,
    # which run in document order once the page is parsed: the class toggle, htmx, then
    # the frontend's components (session-timeout.js, deferred too, follows in <body>).
    head_scripts = page.one("head").find_all("script")
    assert [s.attrs["src"].rsplit("/", 1)[1] for s in head_scripts] == [
        "js-enabled.js",
        "htmx-2.min.js",
        "init.js",
    ]
    assert [s.attrs.get("type", "defer" if "defer" in s.attrs else "") for s in head_scripts] == [
        "defer",
        "defer",
        "module",
    ]
    assert all(
        "defer" in s.attrs or s.attrs.get("type") == "module" for s in page.find_all("script")
    )
    assert page.one("meta", name="htmx-config").attrs["content"] == (
        '{"includeIndicatorStyles":false}'
    )
    assert_same_origin_assets_only(html)


@pytest.mark.django_db
def test_the_header_names_the_signed_in_user_and_signs_out_by_post(client, referrer):
    client.force_login(referrer)

    page = get_page(client, reverse("home"))

    account = page.one("nav", "nhsuk-header__account")
    assert referrer.full_name in account.text
    form = account.one("form")
    assert form.attrs["action"] == reverse("logout")
    assert form.attrs["method"] == "post"
    token = form.one("input", name="csrfmiddlewaretoken").attrs["value"]
    assert form.one("button").text == "Sign out"
    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "<h1>Your work</h1>" not in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_signed_out_pages_offer_sign_in(client):
    page = get_page(client, reverse("password_reset"))

    account = page.one("nav", "nhsuk-header__account")
    assert account.one("a").attrs["href"] == reverse("login")
    assert not account.find_all("form")


@pytest.mark.django_db
def test_htmx_requests_can_post_with_the_csrf_token(client, referrer):
    client.force_login(referrer)

    page = get_page(client, reverse("home"))

    header = page.one("body").attrs["hx-headers"]
    # The sign-out forms (header, timeout warning) carry the same token
    tokens = {i.attrs["value"] for i in page.find_all("input", name="csrfmiddlewaretoken")}
    assert [header] == [f'{{"X-CSRFToken": "{token}"}}' for token in tokens]


@pytest.mark.django_db
def test_home_shows_workspaces_as_cards(client, referrer, monkeypatch):
    workspace = Workspace(
        role=Role.REFERRER,
        title="Make a referral",
        url_name="password_reset",  # any route that resolves
        description="Refer someone to a link worker.",
    )
    monkeypatch.setattr(workspaces, "_registry", [workspace])
    client.force_login(referrer)

    page = get_page(client, reverse("home"))

    section = page.one("section", **{"aria-labelledby": "role-referrer"})
    assert section.one("h2").text == "Referrer"
    card = section.one(cls="nhsuk-card")
    assert {"nhsuk-card--clickable", "nhsuk-card--primary"} <= card.classes
    link = card.one("a", "nhsuk-card__link")
    assert link.attrs["href"] == reverse("password_reset")
    assert link.text == "Make a referral"
    assert card.one("p", "nhsuk-card__description").text == "Refer someone to a link worker."


# Sign in.


@pytest.mark.django_db
def test_sign_in_page_asks_for_email_and_password(client):
    page = get_page(client, reverse("login"))

    assert page.one("h1").text == "Sign in"
    email = page.by_id("id_login")
    assert email.attrs["type"] == "email"
    assert page.one("label", **{"for": "id_login"}).text == "Email address"
    password = page.by_id("id_password")
    assert password.attrs["type"] == "password"
    assert password.attrs["autocomplete"] == "current-password"
    assert page.one("button", type="submit").text == "Sign in"
    assert page.one("a", href=reverse("password_reset"))
    # No "Sign in" link in the header of the sign-in page itself.
    assert not page.one("nav", "nhsuk-header__account").find_all("a")


@pytest.mark.django_db
def test_failed_sign_in_leads_with_the_error(client, referrer):
    response = client.post(reverse("login"), {"login": referrer.email, "password": "wrong"})
    page = parse(response.content.decode())

    assert page.one("head").one("title").text.startswith("Error: Sign in")
    summary = page.one(cls="nhsuk-error-summary")
    link = summary.one("a")
    assert "correct email address and password" in link.text
    assert link.attrs["href"] == "#id_login"
    assert page.by_id("id_login").attrs["value"] == referrer.email


# Password reset.


@pytest.mark.django_db
def test_password_reset_page_asks_for_the_email_address(client):
    page = get_page(client, reverse("password_reset"))

    assert page.one("h1").text == "Reset your password"
    email = page.by_id("id_email")
    assert email.described_by() == ["id_email-hint"]
    assert page.one("a", "nhsuk-back-link").attrs["href"] == reverse("login")


@pytest.mark.django_db
def test_password_reset_with_no_address_says_so(client):
    response = client.post(reverse("password_reset"), {"email": ""})
    page = parse(response.content.decode())

    assert response.status_code == 200
    assert page.one(cls="nhsuk-error-summary").one("a").attrs["href"] == "#id_email"
    assert page.by_id("id_email").described_by() == ["id_email-hint", "id_email-error"]


@pytest.mark.django_db
def test_password_reset_sent_page_reveals_nothing_about_the_address(client):
    page = get_page(client, reverse("password_reset_done"))

    assert page.one("h1").text == "Check your email"
    assert "If the address you entered belongs to an account" in page.text


def _reset_url(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})


@pytest.mark.django_db
def test_a_reset_link_lets_the_user_choose_a_new_password(client, referrer):
    # Given the link from the email, which Django swaps for a session-held token
    response = client.get(_reset_url(referrer), follow=True)
    page = parse(response.content.decode())

    # Then the page asks for the new password twice
    assert page.one("h1").text == "Choose a new password"
    assert page.by_id("id_new_password1").attrs["type"] == "password"
    assert page.by_id("id_new_password2").attrs["type"] == "password"

    # When both are given
    new_password = "a much longer passphrase 42"
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
        follow=True,
    )

    # Then the user is told it worked and can sign in with it
    page = parse(response.content.decode())
    assert page.one("h1").text == "Your password has been changed"
    assert page.one("a", "nhsuk-button").attrs["href"] == reverse("login")
    referrer.refresh_from_db()
    assert referrer.check_password(new_password)


@pytest.mark.django_db
def test_resetting_a_password_revokes_the_users_api_tokens(client, referrer):
    issued = api_token_issue(user=referrer, name="Practice system", actor=referrer)
    response = client.get(_reset_url(referrer), follow=True)
    new_password = "a much longer passphrase 42"

    client.post(
        response.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )

    issued.token.refresh_from_db()
    assert issued.token.revoked_reason == RevocationReason.PASSWORD_CHANGED
    event = AuditEvent.objects.get(action=AuditAction.TOKEN_REVOKED)
    assert (event.actor, event.detail["reason"]) == (None, "password_changed")


@pytest.mark.django_db
def test_a_used_or_forged_reset_link_explains_what_to_do(client, referrer):
    url = _reset_url(referrer).replace("/reset/", "/reset/x").rstrip("/") + "x/"

    page = get_page(client, url)

    assert page.one("h1").text == "This link has expired"
    assert page.one("a", href=reverse("password_reset"))
    assert not page.find_all("form", action="")


@pytest.mark.django_db
def test_password_reset_complete_page(client):
    page = get_page(client, reverse("password_reset_complete"))

    assert page.one("h1", "nhsuk-panel__heading").text == "Your password has been changed"


def test_signed_out_page_renders():
    html = loader.render_to_string("registration/logged_out.html", {"service_name": "Test"})

    assert "You have signed out" in parse(html).one("h1").text


# Error pages.


@pytest.mark.django_db
def test_missing_pages_get_the_nhs_404(client, referrer):
    client.force_login(referrer)

    page = get_page(client, "/no-such-page/", status=404)

    assert page.one("h1").text == "Page not found"
    assert page.one("header", "nhsuk-header")


def test_the_500_page_needs_no_request_context_or_database():
    # Django renders 500.html with an empty context: no request, no context processors.
    # Without the django_db mark any query here would raise.
    html = loader.get_template("500.html").render()
    page = parse(html)

    assert page.one("h1").text == "Sorry, there is a problem with the service"
    assert page.one("span", "nhsuk-header__service-name").text == "Social prescribing"
    assert not page.find_all("nav", "nhsuk-header__account")
    assert_same_origin_assets_only(html)


@pytest.mark.django_db
def test_a_form_posted_without_its_csrf_token_explains_itself():
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("login"), {"login": "a@test.example", "password": "x"})

    assert response.status_code == 403
    assert parse(response.content.decode()).one("h1").text == "Your page timed out"


def test_the_403_page_explains_roles():
    request = RequestFactory().get("/")
    html = loader.render_to_string("403.html", {"service_name": "Test"}, request=request)

    assert parse(html).one("h1").text == "You cannot see this page"


# Includes.


def _render_include(name: str, context: dict[str, object], path: str = "/") -> Node:
    request = RequestFactory().get(path)
    return parse(loader.render_to_string(name, context, request=request))


def test_messages_become_notification_banners():
    messages = [
        Message(constants.SUCCESS, "Referral sent"),
        Message(constants.INFO, "The directory is updated nightly"),
        Message(constants.WARNING, "Two listings need review"),
    ]

    page = _render_include("includes/messages.html", {"messages": messages})

    success, important = page.find_all(cls="nhsuk-notification-banner")
    assert "nhsuk-notification-banner--success" in success.classes
    assert success.attrs["role"] == "alert"
    assert success.one("h2").text == "Success"
    assert success.one("p").text == "Referral sent"
    assert important.attrs["role"] == "region"
    assert important.one("h2").text == "Important"
    assert [p.text for p in important.find_all("p")] == [
        "The directory is updated nightly",
        "Two listings need review",
    ]
    for banner in (success, important):
        assert page.by_id(banner.attrs["aria-labelledby"]).tag == "h2"


def test_pagination_links_keep_the_query_and_skip_far_pages():
    page_obj = Paginator(range(400), 10).page(10)

    nav = _render_include(
        "includes/pagination.html", {"page": page_obj}, path="/referrals/?status=new&page=10"
    ).one("nav", "nhsuk-pagination")

    items = nav.one("ul").find_all("li")
    assert [i.text for i in items] == ["1", "⋯", "8", "9", "10", "11", "12", "⋯", "40"]
    current = nav.one("li", "nhsuk-pagination__item--current").one("a")
    assert current.attrs["aria-current"] == "page"
    assert nav.one("a", rel="prev").attrs["href"] == "?status=new&page=9"
    assert nav.one("a", rel="next").attrs["href"] == "?status=new&page=11"
    assert nav.one("a", **{"aria-label": "Page 40"}).attrs["href"] == "?status=new&page=40"


def test_pagination_is_hidden_for_a_single_page():
    page_obj = Paginator(range(5), 10).page(1)

    assert not _render_include("includes/pagination.html", {"page": page_obj}).find_all("nav")


def test_first_page_has_no_previous_link():
    page_obj = Paginator(range(30), 10).page(1)

    nav = _render_include("includes/pagination.html", {"page": page_obj}).one("nav")

    assert not nav.find_all("a", rel="prev")
    assert [i.text for i in nav.one("ul").find_all("li")] == ["1", "2", "3"]


def test_summary_list_rows_and_change_links():
    rows = [
        {"key": "Name", "value": "Ada Lovelace", "action_url": "/edit/name"},
        {"key": "Phone", "value": ""},
    ]

    dl = _render_include("includes/summary_list.html", {"rows": rows}).one("dl")

    name, phone = dl.find_all(cls="nhsuk-summary-list__row")
    assert name.one("dt").text == "Name"
    assert name.one("dd", "nhsuk-summary-list__value").text == "Ada Lovelace"
    change = name.one("a")
    assert change.attrs["href"] == "/edit/name"
    assert change.text == "Change name"  # "name" is visually hidden, for screen readers
    assert phone.one("dd", "nhsuk-summary-list__value").text == "Not known"
    assert not phone.find_all("a")


def _tag_html(text: str, colour: str = "") -> str:
    template = Template("{% load nhsuk %}{% nhsuk_tag text colour %}")
    return template.render(Context({"text": text, "colour": colour}))


def test_tag_takes_a_colour():
    tag = parse(_tag_html("Urgent", "red")).one("strong")

    assert tag.classes == {"nhsuk-tag", "nhsuk-tag--red"}
    assert tag.text == "Urgent"


def test_tag_escapes_its_text_and_defaults_to_blue():
    html = _tag_html("<b>")
    tag = parse(html).one("strong")

    assert tag.classes == {"nhsuk-tag"}
    assert tag.text == "<b>"
    assert "<b>" not in html


def test_error_summary_include_takes_a_prepared_list():
    items = [{"href": "#id_reason", "text": "Enter a reason"}]

    summary = _render_include("includes/error_summary.html", {"error_items": items})

    assert summary.one("a").attrs["href"] == "#id_reason"
    assert not _render_include("includes/error_summary.html", {}).find_all("div")


def test_breadcrumbs_end_with_a_back_link_to_the_parent():
    crumbs = [("Your work", "/"), ("Referrals", "/referrals/")]

    nav = _render_include("includes/breadcrumb.html", {"crumbs": crumbs}).one("nav")

    assert nav.attrs["aria-label"] == "Breadcrumb"
    assert [
        (a.text, a.attrs["href"]) for a in nav.find_all("a", "nhsuk-breadcrumb__link")
    ] == crumbs
    back = nav.one("a", "nhsuk-back-link")
    assert (back.text, back.attrs["href"]) == ("Back to Referrals", "/referrals/")
