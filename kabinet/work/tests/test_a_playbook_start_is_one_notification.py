"""Starting a project from a playbook tells each assignee once, with their tasks listed, not once per task."""

from __future__ import annotations

from datetime import date

from kabinet.core.models import Notification
from kabinet.core.scoping import viewer_for
from kabinet.core.testing import flush_emails
from kabinet.work.services import save_playbook, start_from_playbook

ITEMS = [
    {"title": "Доступы и аудит", "offset_business_days": 0, "role": "specialist"},
    {"title": "Семантическое ядро", "offset_business_days": 5, "role": "specialist"},
    {"title": "Технические задания", "offset_business_days": 10, "role": "specialist"},
    {"title": "Отчёт клиенту", "offset_business_days": 20, "role": "account_manager"},
]


def test_each_assignee_gets_one_notification_for_the_whole_playbook(
    agency, head, sergey, viktoria, project
):
    from django.core import mail

    playbook = save_playbook(
        viewer=viewer_for(head),
        name="SEO onboarding",
        language="ru",
        service="seo",
        items=[dict(i) for i in ITEMS],
    )
    start_from_playbook(
        viewer=viewer_for(head), project=project, playbook=playbook, start=date(2027, 4, 30)
    )

    (for_viktoria,) = Notification.objects.filter(user=viktoria)
    assert for_viktoria.kind == "playbook_started"
    assert for_viktoria.title == "Запущен «SEO onboarding»: 3 задачи для вас"
    assert for_viktoria.body.splitlines()[0].startswith("— Доступы и аудит (30.04")
    assert for_viktoria.project == project and for_viktoria.url == f"/projects/{project.pk}/tasks/"
    (for_sergey,) = Notification.objects.filter(user=sergey)
    assert for_sergey.title == "Запущен «SEO onboarding»: 1 задача для вас"
    assert flush_emails() == 2 and len(mail.outbox) == 2


def test_whoever_starts_it_is_not_told_about_their_own_tasks(
    agency, head, sergey, viktoria, project
):
    playbook = save_playbook(
        viewer=viewer_for(head),
        name="SEO onboarding",
        language="ru",
        service="seo",
        items=[dict(i) for i in ITEMS],
    )
    start_from_playbook(
        viewer=viewer_for(sergey), project=project, playbook=playbook, start=date(2027, 4, 30)
    )
    assert not Notification.objects.filter(user=sergey).exists()
    assert Notification.objects.filter(user=viktoria).count() == 1
