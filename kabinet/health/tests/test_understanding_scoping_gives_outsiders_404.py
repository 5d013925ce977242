"""The understanding index's own object URLs: a client of another company cannot mark an item
of ours as seen, and only the head of the client's own agency may mark the day it left or open
its row of components."""

from __future__ import annotations

from django.urls import reverse

from kabinet.health.models import ItemView
from kabinet.timeline.models import Kind
from kabinet.timeline.services import record_event


def test_a_client_of_another_company_cannot_mark_our_report_as_seen(login, oleg, marina, project):
    report = record_event(project=project, kind=Kind.REPORT, title="Отчёт за ноябрь")

    response = login(oleg).post(reverse("health:item_seen", args=[report.pk]))

    assert response.status_code == 404
    assert not ItemView.objects.exists()
    assert login(marina).post(reverse("health:item_seen", args=[report.pk])).status_code == 204
    assert ItemView.objects.get().user == marina


def test_an_internal_item_is_404_to_the_client_even_on_her_own_project(login, marina, project):
    note = record_event(
        project=project, kind=Kind.MESSAGE, title="Внутреннее", visibility="internal"
    )

    assert login(marina).post(reverse("health:item_seen", args=[note.pk])).status_code == 404


def test_only_the_head_of_the_clients_own_agency_marks_the_day_it_left(
    login, head, sergey, stranger, company
):
    url = reverse("health:client_left", args=[company.pk])
    data = {"left_on": "2026-11-30"}

    assert login(sergey).post(url, data).status_code == 404
    assert login(stranger).post(url, data).status_code == 404
    company.refresh_from_db()
    assert company.left_on is None
    login(head).post(url, data)
    company.refresh_from_db()
    assert str(company.left_on) == "2026-11-30"


def test_only_the_head_of_the_clients_own_agency_opens_its_components(
    login, head, sergey, marina, stranger, project
):
    from kabinet.health.understanding import take_snapshots

    take_snapshots(project.agency)
    url = reverse("health:client_components", args=[project.company_id])

    for outsider in (sergey, marina, stranger):
        assert login(outsider).get(url).status_code == 404
    assert 'data-testid="understanding-components"' in login(head).get(url).content.decode()
