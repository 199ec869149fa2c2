import pytest
from django.urls import reverse

from socialrx.celery import app as celery_app


@pytest.mark.django_db
def test_healthz_reports_each_dependency(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "broker": "ok"}


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_unreachable(client):
    # Port 9 (discard) has nothing listening on this machine: a genuinely dead broker.
    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:9/0"
    try:
        response = client.get(reverse("healthz"))
    finally:
        celery_app.conf.broker_url = original
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "error"
    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_health_probes_over_plain_http_are_not_redirected_to_https(client, settings):
    # Compose's and a load balancer's probes come from inside the network, over http.
    settings.SECURE_SSL_REDIRECT = True

    assert client.get(reverse("healthz")).status_code in {200, 503}
    assert client.get("/directory/").status_code == 301
