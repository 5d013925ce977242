"""Rate limits per token, per address, and for wrong tokens: 429 with Retry-After."""

from __future__ import annotations

from django.test import Client


def test_one_token_over_its_limit_gets_429_and_another_token_does_not(
    settings, agency, marina, api
):
    settings.API_RATE_TOKEN = "3/min"
    first, second = api(marina, agency), api(marina, agency)
    codes = [first.get("/api/v1/projects").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = first.get("/api/v1/projects")
    assert int(limited["Retry-After"]) >= 1
    assert limited.json()["detail"] and limited.json()["fields"] == {}
    assert second.get("/api/v1/projects").status_code == 200


def test_one_address_over_its_limit_gets_429_whatever_the_token(settings, agency, marina, api):
    settings.API_RATE_IP = "2/min"
    assert api(marina, agency).get("/api/v1/projects").status_code == 200
    assert api(marina, agency).get("/api/v1/projects").status_code == 200
    limited = api(marina, agency).get("/api/v1/projects")
    assert limited.status_code == 429 and "Retry-After" in limited
    other_address = api(marina, agency).get("/api/v1/projects", REMOTE_ADDR="10.0.0.2")
    assert other_address.status_code == 200


def test_guessing_tokens_is_stopped_with_429(settings, agency, marina, api):
    settings.API_RATE_BAD_TOKEN = "3/min"
    guesser = Client(HTTP_AUTHORIZATION="Bearer kab_guess")
    codes = [guesser.get("/api/v1/projects").status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    assert int(guesser.get("/api/v1/projects")["Retry-After"]) >= 1
