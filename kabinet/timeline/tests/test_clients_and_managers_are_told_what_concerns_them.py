"""The client is told about reports and plans, decisions she is asked for, moved deadlines and promises;
the manager is told when she decides. Each in the reader's language, with what is needed and by when."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kabinet.core.models import Notification
from kabinet.core.scoping import viewer_for
from kabinet.timeline.models import Decision, Kind
from kabinet.timeline.services import EventDraft, decide, publish

MSK = ZoneInfo("Europe/Moscow")


def notes(user, kind=None):
    qs = Notification.objects.filter(user=user).order_by("pk")
    return list(qs.filter(kind=kind) if kind else qs)


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def test_a_published_report_tells_the_client_in_her_language(
    marina, sergey, project, run_on_commit
):
    marina.language = "en"
    marina.save()
    draft = EventDraft(
        kind=Kind.REPORT,
        title="Отчёт за ноябрь",
        body="Трафик вырос на 12%.",
        period_start=datetime(2026, 11, 1).date(),
        period_end=datetime(2026, 11, 30).date(),
    )
    event = run_on_commit(publish, viewer=viewer_for(sergey), project=project, draft=draft)
    (note,) = notes(marina)
    assert note.kind == "document_published" and note.title == "New report: Отчёт за ноябрь"
    assert note.project == project and note.url == f"/events/{event.pk}/"
    assert note.body == "Трафик вырос на 12%." and note.action.startswith(
        "Nothing is needed from you"
    )
    assert notes(sergey) == []  # the author is not told about their own report


def test_a_recommendation_asks_the_client_to_decide_by_a_date(
    marina, sergey, project, run_on_commit
):
    draft = EventDraft(
        kind=Kind.RECOMMENDATION,
        title="Добавить онлайн-чат",
        body="Чат поднимет конверсию.",
        occurred_at=datetime(2026, 12, 1, 12, tzinfo=MSK),
    )
    run_on_commit(publish, viewer=viewer_for(sergey), project=project, draft=draft)
    (note,) = notes(marina, "decision_requested")
    assert note.title == "Нужно ваше решение: Добавить онлайн-чат"
    assert note.action == "Согласуйте, отклоните или прокомментируйте в Кабинете."
    # Five business days after Tuesday 1 December: Tuesday 8 December, end of the working day.
    assert note.due_at == datetime(2026, 12, 8, 18, tzinfo=MSK)


def test_internal_items_tell_the_client_nothing(marina, sergey, project, run_on_commit):
    draft = EventDraft(
        kind=Kind.MESSAGE, title="Внутреннее: проверить бюджет", visibility="internal"
    )
    run_on_commit(publish, viewer=viewer_for(sergey), project=project, draft=draft)
    draft = EventDraft(
        kind=Kind.PLAN,
        title="План (внутренний черновик)",
        visibility="internal",
        period_start=datetime(2026, 12, 1).date(),
        period_end=datetime(2026, 12, 31).date(),
    )
    run_on_commit(publish, viewer=viewer_for(sergey), project=project, draft=draft)
    assert notes(marina) == []


def test_the_manager_is_told_when_the_client_decides(
    marina, sergey, viktoria, project, run_on_commit
):
    sergey.language = "en"
    sergey.save()
    draft = EventDraft(kind=Kind.RECOMMENDATION, title="Добавить онлайн-чат")
    recommendation = run_on_commit(
        publish, viewer=viewer_for(viktoria), project=project, draft=draft
    )
    run_on_commit(
        decide,
        viewer=viewer_for(marina),
        recommendation=recommendation,
        decision=Decision.DECLINED,
        comment="Пока нет бюджета.",
    )
    (note,) = notes(sergey, "client_decided")
    assert note.title == "Марина Белова declined «Добавить онлайн-чат»"
    assert note.body == "Пока нет бюджета." and note.url == f"/events/{recommendation.pk}/"
    assert note.action == "Read the reason and agree the next step with the client."
    # The specialist who wrote it hears too; the client is not told about her own decision.
    assert [n.kind for n in notes(viktoria)] == ["client_decided"]
    assert notes(marina, "client_decided") == []


def test_a_moved_deadline_tells_the_client_the_new_date(marina, sergey, project, run_on_commit):
    from kabinet.work.services import change_task, create_task

    task = create_task(
        viewer=sergey,
        project=project,
        title="Внедрить микроразметку",
        visibility="client",
        due_at=datetime(2026, 12, 10, 18, tzinfo=MSK),
    )
    run_on_commit(
        change_task,
        viewer=sergey,
        task=task,
        due_at=datetime(2026, 12, 17, 18, tzinfo=MSK),
        reason="Ждём доступы к CMS",
    )
    (note,) = notes(marina, "deadline_moved")
    assert "Внедрить микроразметку" in note.title and note.due_at == datetime(
        2026, 12, 17, 18, tzinfo=MSK
    )
    assert "Ждём доступы к CMS" in note.body


def test_a_renegotiated_and_a_kept_promise_tell_the_client(marina, sergey, project, run_on_commit):
    from kabinet.promises import services as promises

    now = datetime.now(MSK)
    promise = run_on_commit(
        promises.create_promise,
        viewer=viewer_for(sergey),
        project=project,
        what="Прислать ТЗ на доработки",
        due_at=now + timedelta(days=3),
    )
    assert notes(marina) == []  # making a promise is in the chronology; no e-mail of its own
    new_due = (now + timedelta(days=10)).replace(hour=18, minute=0, second=0, microsecond=0)
    run_on_commit(
        promises.renegotiate,
        viewer=viewer_for(sergey),
        promise=promise,
        new_due=new_due,
        reason="Клиент расширил объём",
        message="Пришлём ТЗ позже: объём вырос.",
    )
    (moved,) = notes(marina, "promise_renegotiated")
    assert "Прислать ТЗ на доработки" in moved.title and moved.due_at == new_due
    assert moved.body == "Пришлём ТЗ позже: объём вырос."
    run_on_commit(
        promises.keep,
        viewer=viewer_for(sergey),
        promise=promise,
        message="ТЗ на доработки — в этом сообщении.",
    )
    (kept,) = notes(marina, "promise_kept")
    assert kept.title == "Обещание выполнено: Прислать ТЗ на доработки"


def test_a_client_who_turned_a_topic_off_is_not_told(
    marina, agency, sergey, project, run_on_commit
):
    from kabinet.core.services import set_preferences

    set_preferences(viewer=viewer_for(marina), choices={"documents": "off"})
    draft = EventDraft(
        kind=Kind.PLAN,
        title="План на декабрь",
        period_start=datetime(2026, 12, 1).date(),
        period_end=datetime(2026, 12, 31).date(),
    )
    run_on_commit(publish, viewer=viewer_for(sergey), project=project, draft=draft)
    assert notes(marina) == []
