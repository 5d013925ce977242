"""SLA warnings: at 75 % to the assignee, at breach to the assignee and the head, once per cause."""

from __future__ import annotations

import pytest
from django.core import mail

from kabinet.core.models import Notification
from kabinet.core.testing import flush_emails
from kabinet.questions import services
from kabinet.questions.models import SlaPolicy
from kabinet.questions.tests.helpers import ask, at, msk, v


@pytest.fixture
def policy(agency):
    return SlaPolicy.objects.create(
        agency=agency, first_response_hours=2, next_response_hours=4, resolution_hours=40
    )


def sla_notes(user):
    return list(Notification.objects.filter(user=user, kind__startswith="sla_").order_by("pk"))


def test_warning_then_breach_each_once(
    marina, sergey, head, project, policy, django_capture_on_commit_callbacks
):
    ask(marina, project, at=msk(2026, 11, 23, 10, 0))
    assert services.check_sla(now=msk(2026, 11, 23, 11, 0)) == 0  # 50 %: nothing yet

    services.check_sla(now=msk(2026, 11, 23, 11, 40))  # 83 %
    services.check_sla(now=msk(2026, 11, 23, 11, 50))  # again: same cause
    assert [n.kind for n in sla_notes(sergey)] == ["sla_warning"]
    assert sla_notes(head) == []

    with django_capture_on_commit_callbacks(execute=True):
        services.check_sla(now=msk(2026, 11, 23, 12, 30))
        services.check_sla(now=msk(2026, 11, 23, 13, 0))
    assert [n.kind for n in sla_notes(sergey)] == ["sla_warning", "sla_breach"]
    assert [n.kind for n in sla_notes(head)] == ["sla_breach"]
    assert (
        "first response" in sla_notes(head)[0].title or "первый ответ" in sla_notes(head)[0].title
    )
    # E-mail goes out through Django's mail backend, batched per person a few minutes later.
    flush_emails()
    assert {m.to[0] for m in mail.outbox} == {sergey.email, head.email}
    assert all(n.email_state == "sent" for n in sla_notes(head))


def test_no_warning_while_waiting_for_the_client(marina, sergey, project, policy):
    thread = ask(marina, project, at=msk(2026, 11, 23, 10, 0))
    with at(msk(2026, 11, 23, 10, 30)):
        services.set_waiting(viewer=v(sergey), thread=thread, status="waiting_client")
    assert services.check_sla(now=msk(2026, 11, 30, 10, 0)) == 0
    assert sla_notes(sergey) == []


def test_a_new_cycle_warns_again(marina, sergey, project, policy):
    thread = ask(marina, project, at=msk(2026, 11, 23, 10, 0))
    with at(msk(2026, 11, 23, 10, 10)):
        services.reply(viewer=v(sergey), thread=thread, body="Ответ")
    with at(msk(2026, 11, 24, 10, 0)):
        services.reopen(viewer=v(marina), thread=thread, body="Ещё вопрос")
    services.check_sla(now=msk(2026, 11, 24, 13, 30))  # 3.5 of 4 h of the next response
    keys = {n.dedupe_key for n in sla_notes(sergey)}
    assert f"sla:{thread.pk}:next_response:75:1" in keys


def test_the_warnings_run_periodically_through_the_scheduler():
    from kabinet.jobs.periodic import registered

    job = {j.name: j for j in registered()}["questions.sla_warnings"]
    assert job.task.name.endswith("check_sla")


def test_the_job_takes_the_slot_as_now(marina, sergey, project, policy):
    from kabinet.questions.tasks import check_sla

    ask(marina, project, at=msk(2026, 11, 23, 10, 0))
    check_sla.call(slot=msk(2026, 11, 23, 12, 30).isoformat())
    assert [n.kind for n in sla_notes(sergey)] == ["sla_breach"]
