"""The sent letter is a client-visible chronology event of its own kind: the client sees it on
her project, it ends the agency's silence, and it is listed on her digest page."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from kabinet.core.scoping import viewer_for
from kabinet.health.digests import services
from kabinet.health.models import Digest
from kabinet.health.tests import digest_week as w
from kabinet.timeline.models import Event, Kind, Visibility

SENT_AT = w.msk(2026, 11, 30, 12, 0)


@pytest.fixture
def sent(project, sergey, marina, django_capture_on_commit_callbacks):
    w.build(project, sergey, django_capture_on_commit_callbacks)
    services.draft_due_digests(now=w.DRAFTED_AT)
    digest = Digest.objects.get(project=project)
    with time_machine.travel(SENT_AT, tick=False):
        return services.send_digest(
            viewer=viewer_for(sergey),
            digest=digest,
            subject=digest.subject,
            body=digest.body,
            version=digest.version,
        )


def test_the_letter_is_a_client_visible_digest_event(sent, project):
    event = Event.objects.get(project=project, kind=Kind.DIGEST)

    assert event == sent.event
    assert event.visibility == Visibility.CLIENT
    assert (event.title, event.body) == (sent.subject, sent.body)


def test_the_client_sees_it_in_her_chronology_and_can_open_it(sent, login, marina, project):
    client = login(marina)

    chronology = client.get(reverse("project", args=[project.pk])).content.decode()
    letter = client.get(reverse("event", args=[sent.event.pk])).content.decode()
    digest_page = client.get(reverse("health:project_digest", args=[project.pk])).content.decode()

    assert sent.subject in chronology
    assert w.PROMISE_OPEN in letter
    assert reverse("event", args=[sent.event.pk]) in digest_page


def test_it_counts_as_the_agencys_update(sent, project):
    project.refresh_from_db()

    assert project.last_client_update_at == SENT_AT


def test_a_letter_cannot_be_sent_twice(sent, sergey):
    from kabinet.core.errors import Conflict

    with pytest.raises(Conflict):
        services.send_digest(
            viewer=viewer_for(sergey),
            digest=sent,
            subject=sent.subject,
            body=sent.body,
            version=sent.version,
        )
    assert Event.objects.filter(kind=Kind.DIGEST).count() == 1
