"""The weekly job drafts an agency's projects in batches, reading each batch at once: every letter
is the one the project gets drafted alone (a manager's "draft now"), line for line — the week's
work capped per section, the plan and what is due next, the KPIs, the promises in each state,
what waits for the client, her language and the manager who signs — and nothing internal, of
another project or of another agency, reaches it."""

from __future__ import annotations

import pytest

from kabinet.clients.models import Project
from kabinet.core.testing import Role, make_company, make_user
from kabinet.health.digests import services
from kabinet.health.models import Digest
from kabinet.health.tests import digest_week as w
from kabinet.health.tests.digest_projects import busy_project

NAMES = ("Альфа", "Бета", "Гамма", "Дельта", "Чужой")


@pytest.fixture
def projects(company, other_company, sergey, irina, marina, oleg, stranger_agency):
    oleg.language = "en"
    oleg.save(update_fields=["language"])
    stranger_company = make_company(stranger_agency, "Чужая компания")
    make_user(stranger_agency, "client@other.test", Role.CLIENT, company=stranger_company)
    stranger_manager = make_user(stranger_agency, "am@other.test", Role.ACCOUNT_MANAGER)
    return [
        busy_project(company, sergey, "Альфа"),
        busy_project(company, sergey, "Бета", lines=3),
        busy_project(other_company, irina, "Гамма"),
        busy_project(other_company, irina, "Дельта", lines=0),
        busy_project(stranger_company, stranger_manager, "Чужой"),
    ]


def letters() -> dict[str, tuple]:
    return {
        d.project.name: (d.language, d.subject, d.body, d.item_count)
        for d in Digest.objects.select_related("project")
    }


def test_a_batch_drafts_the_letters_each_project_gets_alone(projects, monkeypatch):
    monkeypatch.setattr(services, "BATCH", 3)  # the first agency's four projects in two batches

    assert services.draft_due_digests(now=w.DRAFTED_AT) == {"drafted": 5, "sent": 0}
    batched = letters()
    Digest.objects.all().delete()
    for project in projects:
        project = Project.objects.select_related("company").get(pk=project.pk)
        _digest, drafted = services.draft_digest(
            project=project, week_start=w.WEEK, now=w.DRAFTED_AT
        )
        assert drafted
    alone = letters()

    assert set(batched) == set(NAMES)
    for name in NAMES:
        assert batched[name] == alone[name], name


def test_the_batched_letters_cap_each_section_and_keep_to_their_project(projects):
    services.draft_due_digests(now=w.DRAFTED_AT)
    drafted = letters()

    # 12 done and 12 published of 15 each; the plan's 3 open lines and 3 tasks due next; 2 KPIs
    # with October; 3 moved, 3 kept and 6 of the late promises; 12 of what waits.
    assert drafted["Альфа"][3] == 12 + 12 + 6 + 2 + 12 + 12
    assert drafted["Гамма"][0] == "en" and "### What we did" in drafted["Гамма"][2]
    assert drafted["Альфа"][0] == "ru" and "### Что мы сделали" in drafted["Альфа"][2]
    for name, (_language, subject, body, _count) in drafted.items():
        assert w.MARK not in subject + body, name
        for other in NAMES:
            if other != name:
                assert f"({other})" not in body, (name, other)
    assert "Сергей Соловьёв" in drafted["Бета"][2] and "Ирина Павлова" in drafted["Дельта"][2]


def test_what_the_letter_shares_with_the_clients_home_is_what_her_home_shows(projects, marina):
    from datetime import date

    from kabinet.core.scoping import viewer_for
    from kabinet.health import selectors as health
    from kabinet.health.digests.selectors import MAX_LINES, weeks_items
    from kabinet.work.models import Task

    alfa, beta = (Project.objects.select_related("company").get(pk=p.pk) for p in projects[:2])
    items = weeks_items([alfa, beta], w.WEEK, w.DRAFTED_AT)[beta.pk]
    her = viewer_for(marina)

    waiting = health.waiting_for_client(her, beta, w.DRAFTED_AT)
    assert items.waiting == waiting[:MAX_LINES] and len(waiting) == 3
    _plan, _next_month, lines = health.plan_for(her, beta, date(2026, 12, 1))
    open_lines = [line.title for line in lines if line.state != Task.Status.DONE]
    assert [line.title for line in items.next[: len(open_lines)]] == open_lines
    cards = health.cards(her, beta, on=date(2026, 11, 29), client_only=True)
    assert [line.card.metric.pk for line in items.kpis] == [
        card.metric.pk for card in cards if card.vs_last_month.value is not None
    ]
    assert [line.card.vs_last_month for line in items.kpis] == [
        card.vs_last_month for card in cards if card.vs_last_month.value is not None
    ]
