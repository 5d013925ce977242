from __future__ import annotations

import pytest
from django.core.management import call_command

from kabinet.core.models import User
from kabinet.core.scoping import viewer_for
from kabinet.timeline.selectors import ChronologyFilter, chronology

pytestmark = pytest.mark.django_db


def test_demo_history_is_found_by_another_word_form():
    call_command("demo", "--no-serve", verbosity=0)
    marina = viewer_for(User.objects.get(email="marina@client.example"))
    project = marina.user.membership.company.projects.order_by("pk").first()
    found = chronology(marina, project.pk, ChronologyFilter(q="отчёты"))
    assert found.exists()
    assert all(
        "тчёт" in (e.title + e.body).lower() or "тчет" in (e.title + e.body).lower() for e in found
    )
