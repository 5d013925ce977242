"""`make demo` leaves the manager the week's drafts: ТехноДом's lists that week's real items and
waits for Sergey; Зелёный Сад opted in, so its letter is already in Oleg's chronology."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from kabinet.core.models import User
from kabinet.health.digests.selectors import week_bounds
from kabinet.health.models import Digest
from kabinet.timeline.models import Event, Kind

pytestmark = pytest.mark.django_db


def test_the_demo_drafts_the_week_and_sends_only_the_opted_in_letter(login):
    call_command("demo", "--no-serve", verbosity=0)

    marina = Digest.objects.get(project__name="SEO technodom.example")
    start, end = week_bounds(marina.project, marina.week_start)
    week = Event.objects.filter(
        project=marina.project,
        kind__in=(Kind.WORK_DONE, Kind.REPORT, Kind.PLAN, Kind.RECOMMENDATION),
        visibility="client",
        occurred_at__gte=start,
        occurred_at__lt=end,
    )
    assert all(e.title in marina.body for e in week)  # the week's real work, by name
    assert marina.item_count > 0 and "### " in marina.body  # KPIs, plan and what waits at least
    assert not marina.is_sent
    assert not Event.objects.filter(project=marina.project, kind=Kind.DIGEST).exists()

    oleg = Digest.objects.get(project__name="SEO zelsad.example")
    assert oleg.is_sent and oleg.sent_automatically
    assert Event.objects.filter(project=oleg.project, kind=Kind.DIGEST).count() == 1

    sergey = User.objects.get(email="sergey@agency.example")
    page = login(sergey).get("/digests/").content.decode()
    assert marina.subject in page and oleg.subject in page
