"""Each person chooses per topic: immediately, in a daily digest, or not at all — on the settings page."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core import mail
from django.urls import reverse

from kabinet.core.models import Notification, NotificationPreference
from kabinet.core.notifications import topics_for
from kabinet.core.scoping import viewer_for
from kabinet.core.services import notify, send_digests, send_due_emails

MSK = ZoneInfo("Europe/Moscow")


def checked(page: str) -> dict[str, str]:
    """The radio buttons the page shows as chosen: {field name: value}."""
    inputs = re.findall(r"<input[^>]*>", page)
    return {
        re.search(r'name="([^"]+)"', i).group(1): re.search(r'value="([^"]+)"', i).group(1)
        for i in inputs
        if 'type="radio"' in i and " checked" in i
    }


def test_a_client_sees_the_client_topics_and_staff_the_staff_ones(login, marina, sergey):
    client_page = login(marina).get(reverse("settings")).content.decode()
    staff_page = login(sergey).get(reverse("settings")).content.decode()
    assert (
        "Опубликован отчёт или план" in client_page
        and "Предупреждения и нарушения SLA" not in client_page
    )
    assert (
        "Предупреждения и нарушения SLA" in staff_page
        and "Опубликован отчёт или план" not in staff_page
    )


def test_choices_are_saved_and_shown_again(login, marina):
    client = login(marina)
    data = {
        "section": "notifications",
        **{f"topic_{t.code}": "immediately" for t in topics_for(True)},
    }
    data["topic_documents"] = "daily"
    data["topic_deadlines"] = "off"
    response = client.post(reverse("settings"), data)
    assert response.status_code == 302 and response.url.endswith("#notifications")
    assert (
        dict(NotificationPreference.objects.filter(user=marina).values_list("topic", "delivery"))[
            "documents"
        ]
        == "daily"
    )
    page = client.get(reverse("settings")).content.decode()
    shown = checked(page)
    assert (shown["topic_documents"], shown["topic_deadlines"], shown["topic_answers"]) == (
        "daily",
        "off",
        "immediately",
    )


def test_a_bad_choice_is_refused_with_a_message_and_the_rest_is_kept(login, marina):
    client = login(marina)
    data = {"section": "notifications", **{f"topic_{t.code}": "off" for t in topics_for(True)}}
    data["topic_documents"] = "hourly"
    response = client.post(reverse("settings"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Выберите: сразу, раз в день или не сообщать." in page
    assert (
        checked(page)["topic_answers"] == "off"
    )  # what she chose for the other rows is still there
    assert not NotificationPreference.objects.filter(user=marina).exists()  # nothing half-saved


def test_off_means_not_told_at_all(agency, marina):
    from kabinet.core.services import set_preferences

    set_preferences(viewer=viewer_for(marina), choices={"answers": "off"})
    assert notify(user=marina, agency=agency, kind="question_answered", title="Ответ") is None
    assert not Notification.objects.exists()


def test_daily_goes_into_one_morning_digest_not_an_immediate_email(agency, marina):
    from kabinet.core.services import set_preferences

    set_preferences(viewer=viewer_for(marina), choices={"documents": "daily", "deadlines": "daily"})
    notify(user=marina, agency=agency, kind="document_published", title="Новый отчёт: ноябрь")
    notify(user=marina, agency=agency, kind="deadline_moved", title="Срок перенесён: ТЗ")
    Notification.objects.update(created_at=datetime(2026, 12, 1, 14, tzinfo=MSK))
    assert send_due_emails(now=datetime(2026, 12, 1, 15, tzinfo=MSK)) == 0  # not immediately
    assert send_digests(now=datetime(2026, 12, 1, 23, tzinfo=MSK)) == 0  # not before the morning
    assert send_digests(now=datetime(2026, 12, 2, 9, tzinfo=MSK)) == 1
    assert send_digests(now=datetime(2026, 12, 2, 10, tzinfo=MSK)) == 0  # once
    (digest,) = mail.outbox
    assert digest.subject == "Кабинет: ежедневная сводка — 2 события"
    assert "Новый отчёт: ноябрь" in digest.body and "Срок перенесён: ТЗ" in digest.body


def test_without_a_choice_everything_comes_immediately(agency, marina):
    notify(user=marina, agency=agency, kind="document_published", title="Новый отчёт")
    assert send_due_emails(now=datetime.now(MSK) + timedelta(minutes=3)) == 1
