"""Health check, login, error pages and CSRF failures."""

import json

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_login(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] in {"ok", "inline"}


def test_healthz_says_inline_when_no_broker_is_configured(client, settings):
    settings.CELERY_BROKER_URL = ""

    assert client.get("/healthz").json()["broker"] == "inline"


def test_healthz_reports_broker_error_without_leaking_its_url(client, settings):
    settings.CELERY_BROKER_URL = "redis://:s3cret-password@127.0.0.1:1/0"

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["broker"].startswith("error: ")
    assert "s3cret" not in response.content.decode()
    assert "127.0.0.1" not in response.content.decode()


def test_healthz_reports_real_broker_ok(client, broker_url):
    assert client.get("/healthz").json() == {"database": "ok", "broker": "ok"}


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_renders_in_layout(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert b"Log in to Quadrant" in response.content
    assert b'hx-headers=\'{"X-CSRFToken": "' in response.content


def test_user_logs_in_with_password_and_reaches_home(client, lead):
    response = client.post(
        reverse("login"),
        {"username": "lena", "password": "correct horse battery staple"},
        follow=True,
    )

    assert response.status_code == 200
    assert response.wsgi_request.user == lead


def test_wrong_password_is_refused_with_a_message(client, lead):
    response = client.post(reverse("login"), {"username": "lena", "password": "nope"})

    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert b'value="lena"' in response.content


def test_unknown_page_shows_404_in_layout(client, lead):
    client.force_login(lead)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b'class="site-header"' in response.content


def test_unknown_page_for_htmx_goes_to_the_message_area(client, lead):
    client.force_login(lead)

    response = client.get("/no-such-page/", headers={"HX-Request": "true"})

    assert response.status_code == 404
    assert response["HX-Retarget"] == "#messages"
    assert b"<html" not in response.content
    assert b"Page not found" in response.content


def test_expired_csrf_token_explains_itself(lead):
    client = Client(enforce_csrf_checks=True)
    client.force_login(lead)

    response = client.post(reverse("logout"))

    assert response.status_code == 403
    assert b"Your session has expired" in response.content


def test_expired_csrf_token_on_htmx_request_is_a_message_not_a_page(lead):
    client = Client(enforce_csrf_checks=True)
    client.force_login(lead)

    response = client.post(reverse("logout"), headers={"HX-Request": "true"})

    assert response.status_code == 403
    assert response["HX-Retarget"] == "#messages"
    assert b"<html" not in response.content
    assert b"Your session has expired" in response.content


def test_htmx_request_with_csrf_header_is_accepted(lead):
    client = Client(enforce_csrf_checks=True)
    client.force_login(lead)
    page = client.get(reverse("home"), follow=True)
    token = json.loads(page.content.decode().split("hx-headers='")[1].split("'")[0])["X-CSRFToken"]

    response = client.post(reverse("logout"), headers={"HX-Request": "true", "X-CSRFToken": token})

    assert response.status_code == 302
