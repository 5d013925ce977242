"""Endpoints belong to one agency: another agency's events never become its deliveries."""

from __future__ import annotations

from datetime import date

import pytest

from kabinet.api import webhooks
from kabinet.api.models import WebhookDelivery
from kabinet.api.testing import Receiver
from kabinet.core.scoping import viewer_for
from kabinet.core.testing import Role, make_company, make_project, make_user
from kabinet.timeline.services import EventDraft, publish

ALL_KINDS = list(webhooks.KINDS)


def report(title: str) -> EventDraft:
    return EventDraft(
        kind="report", title=title, period_start=date(2026, 11, 1), period_end=date(2026, 11, 30)
    )


@pytest.mark.django_db(transaction=True)
def test_a_report_of_another_agency_never_reaches_our_endpoint(
    head, sergey, project, stranger, stranger_agency
):
    stranger_manager = make_user(stranger_agency, "am@other.test", Role.ACCOUNT_MANAGER)
    stranger_project = make_project(
        make_company(stranger_agency, "Чужая компания"), "SEO чужой", manager=stranger_manager
    )
    with Receiver(200) as ours, Receiver(200) as theirs:
        our_endpoint, _ = webhooks.create_endpoint(
            viewer=viewer_for(head), url=ours.url, event_kinds=ALL_KINDS
        )
        their_endpoint, _ = webhooks.create_endpoint(
            viewer=viewer_for(stranger), url=theirs.url, event_kinds=ALL_KINDS
        )
        publish(
            viewer=viewer_for(stranger_manager),
            project=stranger_project,
            draft=report("Чужой отчёт"),
        )
        publish(viewer=viewer_for(sergey), project=project, draft=report("Наш отчёт"))

        assert [r["body"].decode() for r in ours.requests if "Чужой" in r["body"].decode()] == []
        assert [r["body"].decode() for r in theirs.requests if "Наш" in r["body"].decode()] == []
        assert len(ours.requests) == 1 and len(theirs.requests) == 1
    assert set(our_endpoint.deliveries.values_list("agency_id", flat=True)) == {
        head.membership.agency_id
    }
    assert set(their_endpoint.deliveries.values_list("agency_id", flat=True)) == {
        stranger_agency.pk
    }
    assert WebhookDelivery.objects.count() == 2


def test_internal_items_of_the_own_agency_do_go_to_its_endpoints(
    head, sergey, project, django_capture_on_commit_callbacks
):
    """Decided: endpoints are the agency's own, registered by its head, so internal work is sent."""
    from kabinet.work.services import complete_task, create_task

    with Receiver(200) as receiver:
        webhooks.create_endpoint(
            viewer=viewer_for(head), url=receiver.url, event_kinds=["task.done"]
        )
        task = create_task(viewer=viewer_for(sergey), project=project, title="Внутренняя задача")
        assert task.visibility == "internal"
        with django_capture_on_commit_callbacks(execute=True):
            complete_task(viewer=viewer_for(sergey), task=task)
        assert len(receiver.requests) == 1
        payload = receiver.requests[0]["body"].decode()
    assert '"type":"task.done"' in payload and "Внутренняя задача" in payload
