"""The stylesheet is a static file: Django's staticfiles finds it, WhiteNoise serves it, under runserver
and gunicorn alike."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_stylesheet_is_a_static_file_served_by_whitenoise(client):
    page = client.get(reverse("login")).content.decode()
    assert '<link rel="stylesheet" href="/static/oretrace.css">' in page
    response = client.get("/static/oretrace.css")
    assert response.status_code == 200
    assert response["Content-Type"] == 'text/css; charset="utf-8"'
    assert response["Cache-Control"] == "max-age=60, public"
    assert b"--accent" in b"".join(response.streaming_content)


def test_a_static_file_that_does_not_exist_is_not_found(client):
    assert client.get("/static/nothing-here.css").status_code == 404
