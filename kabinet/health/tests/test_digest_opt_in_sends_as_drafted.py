"""A client company that opted in gets the weekly digest as drafted; an empty draft never goes
out by itself; the opt-in is the client's, or the manager's on her behalf, and audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from kabinet.core.models import AuditEntry
from kabinet.core.scoping import viewer_for
from kabinet.health.digests import selectors, services
from kabinet.health.models import Digest
from kabinet.health.tests import digest_week as w
from kabinet.timeline.models import Event, Kind


def test_the_client_opts_in_and_the_job_sends_as_drafted(
    project, sergey, marina, login, django_capture_on_commit_callbacks
):
    w.build(project, sergey, django_capture_on_commit_callbacks)
    response = login(marina).post(
        reverse("health:digest_setting", args=[project.pk]), {"send_as_drafted": "on"}
    )
    assert response.status_code == 302

    result = services.draft_due_digests(now=w.DRAFTED_AT)

    digest = Digest.objects.get(project=project)
    assert result == {"drafted": 1, "sent": 1}
    assert digest.is_sent and digest.sent_automatically and digest.sent_by is None
    event = Event.objects.get(project=project, kind=Kind.DIGEST)
    assert event.body == digest.drafted_body == digest.body
    assert event.author == sergey  # the letter goes out in the name of the project's manager


def test_without_the_opt_in_the_job_only_drafts(
    project, sergey, marina, django_capture_on_commit_callbacks
):
    w.build(project, sergey, django_capture_on_commit_callbacks)

    assert services.draft_due_digests(now=w.DRAFTED_AT) == {"drafted": 1, "sent": 0}


def test_an_empty_draft_says_so_and_is_not_sent_automatically(project, sergey, marina, login):
    services.set_send_as_drafted(viewer=viewer_for(marina), company=project.company, enabled=True)

    assert services.draft_due_digests(now=w.DRAFTED_AT) == {"drafted": 1, "sent": 0}
    digest = Digest.objects.get(project=project)
    assert digest.is_empty and not digest.is_sent
    page = login(sergey).get(reverse("health:digest", args=[digest.pk])).content.decode()
    assert 'data-testid="empty-draft"' in page


def test_the_manager_sets_it_on_the_clients_behalf_and_the_audit_says_so(project, sergey, marina):
    services.set_send_as_drafted(viewer=viewer_for(sergey), company=project.company, enabled=True)
    services.set_send_as_drafted(viewer=viewer_for(marina), company=project.company, enabled=False)

    entries = list(
        AuditEntry.objects.filter(object_type="clients.clientcompany").order_by("at", "pk")
    )
    assert [(e.actor, e.verb, e.data["on_behalf_of_client"]) for e in entries] == [
        (sergey, "digest_send_as_drafted_on", True),
        (marina, "digest_send_as_drafted_off", False),
    ]


def test_a_client_cannot_opt_in_for_another_company(project, other_project, oleg, marina, login):
    response = login(oleg).post(
        reverse("health:digest_setting", args=[project.pk]), {"send_as_drafted": "on"}
    )
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):  # the service refuses, whatever the page does
        services.set_send_as_drafted(viewer=viewer_for(oleg), company=project.company, enabled=True)
    assert not selectors.sends_as_drafted(project.company)
