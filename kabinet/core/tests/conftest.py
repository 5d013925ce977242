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
def admin_head(head):
    grant_admin_to_head(head)
    return head


@pytest.fixture
def stranger_world(stranger_agency, stranger):
    """Rows of agency B for every model the admin registers (the walk fails when one is missing)."""
    from kabinet.questions.models import SlaPolicy

    stranger_agency.name = f"{MARK} agency"
    stranger_agency.save()
    stranger.full_name = f"{MARK} head"
    stranger.save()
    grant_admin_to_head(stranger)
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
    return {
        "agency": stranger_agency,
        "head": stranger,
        "manager": manager,
        "client": client,
        "company": company,
        "project": project,
    }
