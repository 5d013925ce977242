"""A text with the NUL character (which PostgreSQL refuses to store, and SQLite stores) is bad
input: the API answers 400 with a message and saves nothing, never 500. Found by schemathesis on
PostgreSQL (a question body with \\x00)."""

from __future__ import annotations

from kabinet.questions.models import Thread


def test_a_question_with_a_nul_character_is_refused_or_kept_whole(agency, marina, project, api):
    client = api(marina, agency)
    response = client.post(
        f"/api/v1/projects/{project.pk}/questions",
        {"subject": "Где отчёт?", "body": "Не вижу\x00отчёт"},
        content_type="application/json",
    )
    assert response.status_code in (201, 400), response.content
    if response.status_code == 400:  # PostgreSQL: refused with the reason, nothing half-saved
        assert response.json()["detail"]
        assert not Thread.objects.filter(subject="Где отчёт?").exists()
    else:  # SQLite keeps it as typed
        assert Thread.objects.get(subject="Где отчёт?").messages.get().body == "Не вижу\x00отчёт"
