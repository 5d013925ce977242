"""The understanding index on the pages: the head's agency view (head only), the project's
overview for staff (never for the client), the managers' "needs attention" list, the settings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from kabinet.health.models import UnderstandingSettings
from kabinet.health.understanding import take_snapshots
from kabinet.lib.understanding import COMPONENTS
from kabinet.timeline.models import Kind
from kabinet.timeline.services import record_event


@pytest.fixture
def silent(project, other_project, sergey, irina):
    """ТехноДом (Sergey's) silent for a month; Зелёный Сад (Irina's) updated today."""
    from kabinet.health.models import UnderstandingSettings

    UnderstandingSettings.objects.create(agency=project.agency, threshold=6)
    now = timezone.now()
    record_event(
        project=project,
        kind=Kind.MESSAGE,
        title="Старое",
        author=sergey,
        occurred_at=now - timedelta(days=30),
    )
    record_event(
        project=other_project,
        kind=Kind.MESSAGE,
        title="Свежее",
        author=irina,
        occurred_at=now - timedelta(hours=1),
    )
    take_snapshots(project.agency, now)
    return project


def test_the_head_sees_every_manager_with_the_silent_client_first(head, silent, login):
    page = login(head).get("/understanding/")
    assert page.status_code == 200
    view = page.context["view"]
    first = view.managers[0]
    assert first.manager.full_name == "Сергей Соловьёв"
    assert (first.clients, first.alarms) == (1, 1)
    assert {m.manager.full_name for m in view.managers} == {"Сергей Соловьёв", "Ирина Павлова"}
    top = view.clients[0]
    assert top.company.name == "ТехноДом"
    assert top.alarm is not None and top.alarm.moved[0].key == "silence"
    assert top.manager == first.manager
    assert [c.company.name for c in view.clients] == ["ТехноДом", "Зелёный Сад"]
    html = page.content.decode()
    assert 'data-testid="alarm"' in html and "understanding-charts" in html


@pytest.mark.parametrize("who", ["sergey", "viktoria", "marina"])
def test_anyone_but_the_head_gets_404_on_the_agency_view_and_settings(who, request, silent, login):
    client = login(request.getfixturevalue(who))
    assert client.get("/understanding/").status_code == 404
    assert client.get("/understanding/settings/").status_code == 404
    assert client.post("/understanding/settings/accept/").status_code == 404


def test_staff_see_the_index_and_its_arithmetic_on_the_overview_the_client_does_not(
    silent, sergey, marina, login
):
    page = login(sergey).get(f"/projects/{silent.pk}/overview/")
    understanding = page.context["understanding"]
    assert understanding.index is not None
    assert sum(c.contribution for c in understanding.components) == pytest.approx(
        understanding.index, abs=0.02
    )
    assert 'data-testid="understanding"' in page.content.decode()
    client_page = login(marina).get(f"/projects/{silent.pk}/overview/")
    assert client_page.status_code == 200
    assert "understanding" not in client_page.context
    assert 'data-testid="understanding"' not in client_page.content.decode()


def test_the_manager_sees_his_silent_client_and_why(silent, sergey, irina, login):
    page = login(sergey).get("/results/")
    (row,) = page.context["attention"]
    assert row.company.name == "ТехноДом"
    assert row.moved[0].key == "silence"
    assert login(irina).get("/results/").context["attention"] == []  # not her client


def test_settings_refuse_a_bad_weight_naming_the_field_and_keep_what_was_typed(head, login):
    client = login(head)
    data = {
        "cadence_days": "7",
        "threshold": "4.5",
        "drop_points": "2",
        "drop_days": "7",
        **{
            f"w_{k}": "1"
            for k in (
                "silence",
                "schedule",
                "opened",
                "decisions",
                "open_questions",
                "sla",
                "reopened",
                "rating",
                "promises",
                "logins",
            )
        },
        "w_expectation": "много",
    }
    page = client.post("/understanding/settings/", data)
    assert page.status_code == 400
    form = page.context["form"]
    assert "w_expectation" in form.errors
    assert form["w_expectation"].value() == "много"
    assert form["cadence_days"].value() == "7"
    assert not UnderstandingSettings.objects.exists()
    data["w_expectation"] = "3"
    assert client.post("/understanding/settings/", data).status_code == 302
    row = UnderstandingSettings.objects.get()
    assert row.cadence_days == 7 and row.weights["expectation"] == 3.0


def test_a_tier_gets_its_own_weights_and_they_score_its_clients(head, login, company):
    client = login(head)
    data = {
        "tier": "gold",
        "tier_own": "on",
        "cadence_days": "5",
        "threshold": "5",
        "drop_points": "2",
        "drop_days": "7",
    }
    data.update(
        {
            f"w_{k}": "0"
            for k in (
                "schedule",
                "opened",
                "decisions",
                "open_questions",
                "sla",
                "reopened",
                "rating",
                "promises",
                "logins",
                "expectation",
            )
        }
    )
    data["w_silence"] = "1"
    assert client.post("/understanding/settings/", data).status_code == 302
    from kabinet.health.understanding import engine_settings, settings_for

    row = settings_for(head.membership.agency)
    assert engine_settings(row, "gold").weight("expectation") == 0.0
    assert engine_settings(row, "standard").weight("expectation") > 0.0


def test_the_head_accepts_proposed_weights_once(head, login):
    row = UnderstandingSettings.objects.create(
        agency=head.membership.agency, proposal={"weights": {"silence": 7.0}, "method": "auc"}
    )
    client = login(head)
    assert client.post("/understanding/settings/accept/").status_code == 302
    row.refresh_from_db()
    assert row.weights == {"silence": 7.0}
    assert row.proposal["accepted_at"]
    client.post("/understanding/settings/accept/")
    row.refresh_from_db()
    assert row.weights == {"silence": 7.0}


def test_the_head_marks_a_client_as_left_and_a_future_day_is_refused(head, company, login):
    client = login(head)
    today = timezone.localdate()
    client.post(
        f"/understanding/clients/{company.pk}/left/", {"left_on": str(today + timedelta(days=3))}
    )
    company.refresh_from_db()
    assert company.left_on is None
    client.post(f"/understanding/clients/{company.pk}/left/", {"left_on": str(today)})
    company.refresh_from_db()
    assert company.left_on == today


def test_a_client_of_another_agency_cannot_be_marked(stranger, company, login):
    assert (
        login(stranger)
        .post(f"/understanding/clients/{company.pk}/left/", {"left_on": ""})
        .status_code
        == 404
    )


def test_the_projects_page_leads_managers_to_the_attention_list_and_the_head_to_the_agency_view(
    head, sergey, project, login
):
    assert "/results/" in login(sergey).get("/projects/").content.decode()
    assert "/understanding/" not in login(sergey).get("/projects/").content.decode()
    assert "/understanding/" in login(head).get("/projects/").content.decode()


def test_a_new_threshold_reaches_the_heads_and_the_managers_lists_at_once(
    head, sergey, silent, login
):
    client = login(head)
    assert client.get("/understanding/").context["view"].clients[0].alarm is not None
    data = {"cadence_days": "5", "threshold": "0", "drop_points": "10", "drop_days": "7"}
    data.update({f"w_{k}": "1" for k in COMPONENTS})
    assert client.post("/understanding/settings/", data).status_code == 302

    view = client.get("/understanding/").context["view"]
    assert [c.alarm for c in view.clients] == [None, None]
    assert sum(m.alarms for m in view.managers) == 0
    assert login(sergey).get("/results/").context["attention"] == []


def test_the_head_opens_a_clients_row_and_gets_its_components(head, silent, login):
    page = login(head).get(f"/understanding/clients/{silent.company_id}/components/")
    assert page.status_code == 200
    assert 'data-component="silence"' in page.content.decode()
