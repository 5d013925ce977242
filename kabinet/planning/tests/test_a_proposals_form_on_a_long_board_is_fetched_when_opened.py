"""On a board with more than three moves to decide, a client-visible proposal's form is fetched
when the manager opens its card: htmx gets the card alone (the form as the open card has it,
with the proposed date in the agency's time), a browser without JavaScript a page of its own;
deciding from the fetched card works as from an open one."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from kabinet.planning.models import ProposalStatus
from kabinet.work.models import Task


def _client_visible(stored_plan, pending_moves, viktoria):
    tasks = stored_plan(viktoria, 0, 4, late_hours=2.0)
    Task.objects.filter(pk__in=[t.pk for t in tasks]).update(visibility="client")
    return pending_moves(tasks, message="Срок переносится: ждём материалы.")


def test_the_board_holds_a_slot_and_the_card_comes_with_its_form(
    login, agency, sergey, viktoria, stored_plan, pending_moves
):
    proposals = _client_visible(stored_plan, pending_moves, viktoria)
    client = login(sergey)
    board = client.get("/planning/at-risk/").content.decode()
    first = proposals[0]
    assert f'hx-get="/planning/proposals/{first.pk}/"' in board
    assert 'name="message"' not in board

    card = client.get(f"/planning/proposals/{first.pk}/", HTTP_HX_REQUEST="true")
    html = card.content.decode()
    assert card.status_code == 200 and "<html" not in html
    assert f'id="proposal-{first.pk}"' in html
    assert "Срок переносится: ждём материалы." in html  # the drafted message, in its field
    local = first.new_due.astimezone(ZoneInfo(agency.timezone)).strftime("%Y-%m-%dT%H:%M")
    assert 'name="new_due"' in html and 'name="client_reason"' in html
    assert f'value="{local}"' in html

    page = client.get(f"/planning/proposals/{first.pk}/").content.decode()
    assert "<html" in page and 'name="new_due"' in page


def test_deciding_from_the_fetched_card_keeps_the_deadline(
    login, agency, sergey, viktoria, stored_plan, pending_moves
):
    proposals = _client_visible(stored_plan, pending_moves, viktoria)
    client = login(sergey)
    target = proposals[1]
    client.get(f"/planning/proposals/{target.pk}/", HTTP_HX_REQUEST="true")
    response = client.post(
        f"/planning/proposals/{target.pk}/reject/", {"note": "успеем"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    target.refresh_from_db()
    assert target.status == ProposalStatus.REJECTED
    assert 'data-testid="decided"' in response.content.decode()
