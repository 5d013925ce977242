"""A job for the crash test: does real, idempotent work, then waits while a pause file exists."""

from __future__ import annotations

import os
import time

from django_tasks import task


@task()
def remind_then_wait(pause_file: str) -> str:
    from kabinet.clients.models import ClientCompany, Project
    from kabinet.core.models import Agency, Membership, Role, User
    from kabinet.core.services import notify
    from kabinet.work.services import create_task

    agency, _ = Agency.objects.get_or_create(slug="crash", defaults={"name": "Crash test"})
    user, _ = User.objects.get_or_create(email="am@crash.test", defaults={"full_name": "AM"})
    Membership.objects.get_or_create(
        agency=agency, user=user, defaults={"role": Role.ACCOUNT_MANAGER}
    )
    company, _ = ClientCompany.objects.get_or_create(agency=agency, name="Client")
    project, _ = Project.objects.get_or_create(
        agency=agency,
        company=company,
        name="SEO",
        defaults={"service": "seo", "start_date": "2027-01-01"},
    )
    create_task(
        viewer=None, project=project, title="Follow up", assignee=user, dedupe_key="crash:follow-up"
    )
    notify(user=user, agency=agency, kind="crash", title="Follow up", dedupe_key="crash:notify")
    while os.path.exists(pause_file):  # the test kills the worker here
        time.sleep(0.1)
    return "done"


@task()
def note_after_a_while(n: int) -> int:
    """A job of the outage test: a little work, a pause (the outage may cut it here), a write."""
    from kabinet.core.models import Agency, Notification, User

    agency = Agency.objects.get(slug="outage")
    user = User.objects.get(email="am@outage.test")
    time.sleep(0.3)
    Notification.objects.get_or_create(
        user=user,
        dedupe_key=f"outage:{n}",
        defaults={"agency": agency, "kind": "outage", "title": f"job {n}"},
    )
    return n
