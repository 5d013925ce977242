"""A date given to the client that is a day off stays that date; the writer is warned."""

from __future__ import annotations

from kabinet.promises.models import PromiseProposal
from kabinet.promises.tests.conftest import msk


def test_saturday_stays_saturday_and_the_proposal_warns(wednesday, write, project, sergey, login):
    write(project, sergey, "Пришлю отчёт 5 декабря.")

    proposal = PromiseProposal.objects.get()
    assert proposal.due_at == msk(2026, 12, 5, 18, 0)
    assert proposal.due_on_day_off
    page = login(sergey).get(f"/projects/{project.pk}/promises/").content.decode()
    assert 'data-testid="proposal-day-off"' in page


def test_a_business_day_gives_no_warning(wednesday, write, project, sergey):
    write(project, sergey, "Пришлю отчёт 7 декабря.")

    assert not PromiseProposal.objects.get().due_on_day_off


def test_within_24_hours_is_24_hours(wednesday, write, project, sergey):
    write(project, sergey, "Ответим в течение 24 часов.")

    assert PromiseProposal.objects.get().due_at == msk(2026, 12, 3, 10, 0)
