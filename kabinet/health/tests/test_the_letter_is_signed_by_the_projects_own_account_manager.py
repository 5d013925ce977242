"""The letter is signed by the project's own account manager, not by a specialist of the project
who is the account manager of other projects (the draft once took the first person on the
project who managed any project); nobody signs when nobody runs the project."""

from __future__ import annotations

from kabinet.clients.models import ProjectMember
from kabinet.core.testing import make_project
from kabinet.health.digests import services
from kabinet.health.models import Digest
from kabinet.health.tests import digest_week as w


def test_a_specialist_who_manages_other_projects_does_not_sign(company, sergey, irina, marina):
    make_project(company, "SEO technodom", manager=sergey)
    context = make_project(company, "Контекст", manager=irina, specialists=(sergey,))
    assert sergey.pk < irina.pk  # the first by id among the project's people

    services.draft_due_digests(now=w.DRAFTED_AT)

    body = Digest.objects.get(project=context).body
    assert body.endswith("Ирина Павлова\nАккаунт-менеджер\n")
    assert "Сергей Соловьёв" not in body


def test_nobody_signs_a_project_without_its_account_manager(company, sergey, irina, marina):
    project = make_project(company, "Контекст", manager=irina, specialists=(sergey,))
    make_project(company, "SEO technodom", manager=sergey)
    ProjectMember.objects.filter(project=project, user=irina).delete()

    services.draft_due_digests(now=w.DRAFTED_AT)

    body = Digest.objects.get(project=project).body
    assert "Сергей Соловьёв" not in body and "Аккаунт-менеджер" not in body
