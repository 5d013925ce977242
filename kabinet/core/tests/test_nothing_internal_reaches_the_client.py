"""Nothing internal reaches the client through another item's text.

One scenario, rich in internal items, runs every flow that writes something the client can read
(the chronology, notifications, e-mails, API fields, the pages). Every internal text carries a
marker; then every client-visible text Kabinet generated is walked — in Russian and in English —
and compared with the marker and with every internal item's own text, read back from the database.
"""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from kabinet.core.models import Notification
from kabinet.core.scoping import viewer_for
from kabinet.core.services import create_api_token
from kabinet.core.testing import flush_emails
from kabinet.health.digests import services as digests
from kabinet.health.models import Digest
from kabinet.promises import services as promises
from kabinet.promises.models import Promise, PromiseProposal, PromiseRenegotiation
from kabinet.questions import services as questions
from kabinet.questions.models import Message, Thread
from kabinet.timeline import services as timeline
from kabinet.timeline.models import Decision, Event, Kind, Visibility
from kabinet.work import services as work
from kabinet.work.models import Task, TaskChange

MSK = ZoneInfo("Europe/Moscow")
MARK = "ZZVNUTR"  # every internal text in the scenario carries it


def mark(n: int, text: str) -> str:
    return f"{text} {MARK}{n}"


def msk(*args) -> datetime:
    return datetime(*args, tzinfo=MSK)


@pytest.fixture
def scenario(project, sergey, viktoria, marina, django_capture_on_commit_callbacks):
    s, m = viewer_for(sergey), viewer_for(marina)

    def at(moment):
        return time_machine.travel(moment, tick=False)

    def run(moment, fn):
        with at(moment), django_capture_on_commit_callbacks(execute=True):
            return fn()

    # Internal writing on the project page.
    run(
        msk(2026, 12, 1, 10, 0),
        lambda: timeline.publish(
            viewer=s,
            project=project,
            draft=timeline.EventDraft(
                kind=Kind.MESSAGE,
                title=mark(1, "Клиент тянет с оплатой"),
                body=mark(2, "Не давить до пятницы"),
                visibility=Visibility.INTERNAL,
            ),
        ),
    )
    recommendation = run(
        msk(2026, 12, 1, 11, 0),
        lambda: timeline.publish(
            viewer=s,
            project=project,
            draft=timeline.EventDraft(
                kind=Kind.RECOMMENDATION,
                title="ТЗ: перелинковка карточек",
                body="Блок «Похожие товары».",
            ),
        ),
    )
    run(
        msk(2026, 12, 1, 12, 0),
        lambda: timeline.decide(
            viewer=m, recommendation=recommendation, decision=Decision.APPROVED
        ),
    )

    # A question, an internal note, an answer that promises; the promise confirmed with its task.
    thread = run(
        msk(2026, 12, 2, 10, 0),
        lambda: questions.ask(
            viewer=m, project=project, subject="Почему упал трафик?", body="Упал на 20%."
        ),
    )
    run(
        msk(2026, 12, 2, 10, 30),
        lambda: questions.reply(
            viewer=s, thread=thread, body=mark(3, "Это мы сломали robots.txt"), internal=True
        ),
    )
    run(
        msk(2026, 12, 2, 11, 0),
        lambda: questions.reply(
            viewer=s, thread=thread, body="Разбираемся. Пришлю подробный разбор завтра до обеда."
        ),
    )
    proposal = PromiseProposal.objects.get()
    promise = run(
        msk(2026, 12, 2, 11, 30), lambda: promises.confirm_proposal(viewer=s, proposal=proposal)
    )
    task = promise.task
    run(
        msk(2026, 12, 2, 11, 40),
        lambda: work.change_task(
            viewer=sergey,
            task=task,
            title=mark(4, "Откатить наш robots.txt"),
            description=mark(5, "Стыдно"),
            assignee=viktoria,
            estimate_hours=3,
            due_at=msk(2026, 12, 3, 11, 0),
            reason=mark(6, "Успеть до созвона"),
        ),
    )
    run(
        msk(2026, 12, 2, 15, 0),
        lambda: promises.renegotiate(
            viewer=s,
            promise=promise,
            new_due=msk(2026, 12, 4, 13, 0),
            reason=mark(7, "Виктория на больничном"),
            message="Марина, разбор пришлём в пятницу до обеда: добавим в него сравнение с конкурентами.",
        ),
    )
    run(msk(2026, 12, 3, 16, 0), lambda: promises.complete_task(viewer=s, task=task))
    run(
        msk(2026, 12, 3, 17, 0),
        lambda: promises.keep(
            viewer=s,
            promise=promise,
            message="Марина, разбор во вложении: три причины и что уже исправлено.",
            note=mark(8, "Еле успели"),
        ),
    )
    run(
        msk(2026, 12, 3, 18, 0),
        lambda: questions.rate(
            viewer=m, thread=Thread.objects.get(pk=thread.pk), rating=4, comment="Спасибо"
        ),
    )

    # A client-visible task moved and done; an internal one moved and done.
    visible = run(
        msk(2026, 12, 1, 9, 0),
        lambda: work.create_task(
            viewer=sergey,
            project=project,
            title="Тексты категорий",
            assignee=viktoria,
            due_at=msk(2026, 12, 4, 18, 0),
            visibility="client",
        ),
    )
    run(
        msk(2026, 12, 2, 9, 0),
        lambda: work.change_task(
            viewer=sergey,
            task=visible,
            due_at=msk(2026, 12, 8, 18, 0),
            reason="Ждём от вас выгрузку категорий",
        ),
    )
    run(msk(2026, 12, 8, 12, 0), lambda: work.complete_task(viewer=viktoria, task=visible))
    internal = run(
        msk(2026, 12, 1, 9, 0),
        lambda: work.create_task(
            viewer=sergey,
            project=project,
            title=mark(9, "Проверить бюджет клиента"),
            description=mark(10, "Он превышен"),
            assignee=viktoria,
            due_at=msk(2026, 12, 4, 18, 0),
        ),
    )
    run(
        msk(2026, 12, 2, 9, 0),
        lambda: work.change_task(
            viewer=sergey,
            task=internal,
            due_at=msk(2026, 12, 9, 18, 0),
            reason=mark(11, "Клиент подождёт"),
        ),
    )
    run(msk(2026, 12, 8, 12, 0), lambda: work.complete_task(viewer=viktoria, task=internal))

    # A promise whose internal task is left undone: it is broken by the clock.
    late = run(
        msk(2026, 12, 4, 10, 0),
        lambda: promises.create_promise(
            viewer=s,
            project=project,
            what="Семантическое ядро",
            due_at=msk(2026, 12, 7, 12, 0),
            create_task=True,
        ),
    )
    run(
        msk(2026, 12, 4, 10, 5),
        lambda: work.change_task(
            viewer=sergey, task=late.task, title=mark(12, "Собрать ядро из старого")
        ),
    )
    run(msk(2026, 12, 7, 15, 0), lambda: promises.run_clock(now=msk(2026, 12, 7, 15, 0)))

    # The weekly digest of 30.11–6.12, drafted by the job from all of the above and sent.
    run(msk(2026, 12, 7, 16, 0), lambda: digests.draft_due_digests(now=msk(2026, 12, 7, 16, 0)))
    digest = Digest.objects.get(project=project)
    run(
        msk(2026, 12, 7, 16, 5),
        lambda: digests.send_digest(
            viewer=s,
            digest=digest,
            subject=digest.subject,
            body=digest.body,
            version=digest.version,
        ),
    )
    return {"thread": thread}


def internal_texts() -> set[str]:
    """The text of every internal item, read back from the database."""
    texts: list[str] = []
    for t in Task.objects.filter(visibility="internal"):
        texts += [t.title, t.description]
    texts += [c.reason for c in TaskChange.objects.filter(task__visibility="internal")]
    for e in Event.objects.filter(visibility=Visibility.INTERNAL):
        texts += [e.title, e.body]
    texts += list(
        Message.objects.filter(visibility=Visibility.INTERNAL).values_list("body", flat=True)
    )
    texts += list(Promise.objects.values_list("kept_note", flat=True))
    texts += list(PromiseRenegotiation.objects.values_list("reason", flat=True))
    return {t.strip() for t in texts if t and len(t.strip()) >= 8}


def client_texts(marina, agency, project) -> dict[str, str]:
    """Everything Kabinet generated that the client can read, in both languages."""
    out: dict[str, str] = {}
    from django.utils import translation

    for e in Event.objects.filter(project=project, visibility=Visibility.CLIENT):
        for language in ("ru", "en"):
            with translation.override(language):
                out[f"event {e.pk} {language}"] = f"{e.shown_title}\n{e.title}\n{e.body}"
    for n in Notification.objects.filter(user=marina):
        out[f"notification {n.pk}"] = f"{n.title}\n{n.body}\n{n.action}"
    flush_emails()  # e-mails go out batched a few minutes later: send them now
    for i, message in enumerate(mail.outbox):
        if marina.email in message.to:
            alternatives = " ".join(
                str(content) for content, _type in getattr(message, "alternatives", [])
            )
            out[f"e-mail {i}"] = f"{message.subject}\n{message.body}\n{alternatives}"
    for language in ("ru", "en"):
        marina.language = language
        marina.save(update_fields=["language"])
        _token, key = create_api_token(viewer=viewer_for(marina), name=f"leak-{language}")
        api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
        urls = [
            "/api/v1/projects",
            f"/api/v1/projects/{project.pk}",
            f"/api/v1/projects/{project.pk}/events?limit=1000",
            f"/api/v1/projects/{project.pk}/questions",
        ]
        urls += [f"/api/v1/questions/{t.pk}" for t in Thread.objects.filter(project=project)]
        urls += [
            f"/api/v1/events/{e.pk}"
            for e in Event.objects.filter(project=project, visibility=Visibility.CLIENT)
        ]
        for url in urls:
            response = api.get(url)
            assert response.status_code == 200, url
            out[f"api {url} {language}"] = json.dumps(response.json(), ensure_ascii=False)
        browser = Client()
        browser.force_login(marina)
        pages = [
            reverse("projects"),
            reverse("project", args=[project.pk]),
            reverse("notifications"),
            reverse("project_promises", args=[project.pk]),
            reverse("questions:project", args=[project.pk]),
            reverse("health:project_digest", args=[project.pk]),
        ]
        pages += [reverse("promise", args=[p.pk]) for p in Promise.objects.filter(project=project)]
        pages += [
            reverse("questions:thread", args=[t.pk]) for t in Thread.objects.filter(project=project)
        ]
        pages += [
            reverse("event", args=[e.pk])
            for e in Event.objects.filter(project=project, visibility=Visibility.CLIENT)
        ]
        for url in pages:
            response = browser.get(url)
            assert response.status_code == 200, url
            out[f"page {url} {language}"] = response.content.decode()
    return out


def test_no_internal_text_appears_in_anything_the_client_can_read(
    scenario, agency, project, marina
):
    texts = client_texts(marina, agency, project)
    internal = internal_texts()

    assert len(internal) >= 12  # the scenario really is rich in internal items
    assert any(k.startswith("e-mail") for k in texts) and any(
        k.startswith("notification") for k in texts
    )
    leaks = [(where, MARK) for where, text in texts.items() if MARK in text]
    leaks += [(where, item) for where, text in texts.items() for item in internal if item in text]
    assert leaks == []


def test_the_scenario_put_markers_where_the_client_must_not_look(scenario, project):
    """The check above can fail: the internal items exist and carry the marker."""
    internal = " ".join(internal_texts())
    for n in range(1, 13):
        assert f"{MARK}{n}" in internal, n
    assert Event.objects.filter(project=project, visibility=Visibility.CLIENT).count() >= 12
    digest = Event.objects.get(project=project, kind=Kind.DIGEST)  # the weekly letter is walked
    assert "ТЗ: перелинковка карточек" in digest.body and "Семантическое ядро" in digest.body
