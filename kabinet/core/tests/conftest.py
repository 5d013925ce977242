"""A second agency with one row of everything the admin shows, and a head of the first with admin.

Every object of the stranger agency carries the word STRANGER in its label, so a test can look for
the word on any admin page a head of the first agency opens.
"""

from __future__ import annotations

import pytest

from kabinet.core.models import AuditEntry, Notification
from kabinet.core.services import grant_admin_to_head
from kabinet.core.testing import Role, make_company, make_project, make_user

MARK = "STRANGER"


@pytest.fixture
def stranger_world(stranger_agency, stranger):
    """Rows of agency B for every model the admin registers (the walk fails when one is missing)."""
    from kabinet.questions.models import SlaPolicy

    stranger_agency.name = f"{MARK} agency"
    stranger_agency.save()
    stranger.full_name = f"{MARK} head"
    stranger.save()
    grant_admin_to_head(user=stranger)
    company = make_company(stranger_agency, f"{MARK} company")
    manager = make_user(
        stranger_agency, "manager@other.test", Role.ACCOUNT_MANAGER, full_name=f"{MARK} manager"
    )
    client = make_user(
        stranger_agency,
        "client@other.test",
        Role.CLIENT,
        company=company,
        full_name=f"{MARK} client",
    )
    project = make_project(company, f"{MARK} project", manager=manager)
    AuditEntry.objects.create(
        agency=stranger_agency, actor=stranger, verb=f"{MARK}-verb", object_type=MARK, object_id="1"
    )
    Notification.objects.create(
        agency=stranger_agency, user=stranger, kind=MARK, title=f"{MARK} notification"
    )
    SlaPolicy.objects.create(agency=stranger_agency, tier="gold")
    _health_rows(stranger_agency, project)
    return {
        "agency": stranger_agency,
        "head": stranger,
        "manager": manager,
        "client": client,
        "company": company,
        "project": project,
    }


def _health_rows(agency, project) -> None:
    from datetime import date

    from django.utils import timezone

    from kabinet.health.models import Expectation, Forecast, Import, Metric, PlanItem, Point
    from kabinet.timeline.models import Event

    metric = Metric.objects.create(
        agency=agency, project=project, key="leads", name=f"{MARK} leads"
    )
    Point.objects.create(agency=agency, metric=metric, date=date(2026, 11, 1), value=1)
    Import.objects.create(agency=agency, project=project, file="stranger.csv", name=f"{MARK}.csv")
    Expectation.objects.create(
        agency=agency, project=project, metric=metric, target=10, by_date=date(2027, 1, 1)
    )
    Forecast.objects.create(
        agency=agency, project=project, metric=metric, low=1, high=2, by_date=date(2027, 1, 1)
    )
    plan = Event.objects.create(
        agency=agency,
        project=project,
        kind="plan",
        title=f"{MARK} plan",
        occurred_at=timezone.now(),
    )
    PlanItem.objects.create(agency=agency, project=project, plan=plan, title=f"{MARK} plan item")
