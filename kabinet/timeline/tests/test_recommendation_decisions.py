from __future__ import annotations

from django.urls import reverse

from kabinet.timeline.models import Decision, Event, Kind

from .factories import event


def recommendation(project, author):
    return event(
        project,
        kind=Kind.RECOMMENDATION,
        title="ТЗ: перелинковка",
        author=author,
        decision=Decision.PENDING,
    )


def test_client_approves_a_recommendation_and_the_decision_is_in_the_chronology(
    login, marina, viktoria, project
):
    rec = recommendation(project, viktoria)
    response = login(marina).post(reverse("decide", args=[rec.pk]), {"decision": "approved"})
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.decision == Decision.APPROVED
    decision = Event.objects.get(kind=Kind.DECISION)
    assert (decision.parent, decision.author, decision.visibility) == (rec, marina, "client")


def test_client_declines_with_a_reason(login, marina, viktoria, project):
    rec = recommendation(project, viktoria)
    login(marina).post(
        reverse("decide", args=[rec.pk]), {"decision": "declined", "comment": "Не сейчас"}
    )
    rec.refresh_from_db()
    assert rec.decision == Decision.DECLINED
    assert Event.objects.get(kind=Kind.DECISION).body == "Не сейчас"


def test_a_comment_without_text_is_refused_and_nothing_changes(login, marina, viktoria, project):
    rec = recommendation(project, viktoria)
    response = login(marina).post(
        reverse("decide", args=[rec.pk]), {"decision": "commented", "comment": "  "}
    )
    assert response.status_code == 400
    assert not Event.objects.filter(kind=Kind.DECISION).exists()


def test_comment_keeps_the_recommendation_pending(login, marina, viktoria, project):
    rec = recommendation(project, viktoria)
    login(marina).post(
        reverse("decide", args=[rec.pk]), {"decision": "commented", "comment": "А сроки?"}
    )
    rec.refresh_from_db()
    assert rec.decision == Decision.PENDING
    html = login(marina).get(reverse("event", args=[rec.pk])).content.decode()
    assert "А сроки?" in html


def test_only_recommendations_can_be_decided(login, marina, sergey, project):
    report = event(project, kind=Kind.REPORT, title="Отчёт", author=sergey)
    assert (
        login(marina)
        .post(reverse("decide", args=[report.pk]), {"decision": "approved"})
        .status_code
        == 404
    )


def test_recommendations_waiting_for_the_client_are_listed_apart_until_decided(
    login, marina, viktoria, project
):
    rec = recommendation(project, viktoria)
    client = login(marina)
    assert [
        r.pk for r in client.get(reverse("project", args=[project.pk])).context["awaiting_decision"]
    ] == [rec.pk]
    client.post(reverse("decide", args=[rec.pk]), {"decision": "approved"})
    assert client.get(reverse("project", args=[project.pk])).context["awaiting_decision"] == []
