from __future__ import annotations

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("kabinet.core.tests.urls_with_a_broken_page")]


@pytest.mark.parametrize(
    ("language", "headline"),
    [("en", "Something went wrong"), ("ru", "Что-то пошло не так")],
)
def test_a_failing_page_answers_500_with_a_friendly_page_in_the_readers_language(
    language, headline
):
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = language
    response = client.get("/broken/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 500
    body = response.content.decode()
    assert headline in body
    assert "Traceback" not in body
    assert "hunter2" not in body
    assert "RuntimeError" not in body
