from __future__ import annotations

import pytest

from kabinet.promises import selectors, services
from kabinet.promises.tests.conftest import msk

PERIOD = (msk(2026, 12, 1, 0, 0), msk(2027, 1, 1, 0, 0))


@pytest.fixture
def history(wednesday, project, other_project, sergey, irina, as_viewer):
    """Sergey: one kept on time, one broken. Irina: one kept on time."""
    s, i = as_viewer(sergey), as_viewer(irina)
    kept = services.create_promise(
        viewer=s, project=project, what="План", due_at=msk(2026, 12, 2, 17, 0)
    )
    services.keep(viewer=s, promise=kept, message="План отправлен.")
    services.create_promise(viewer=s, project=project, what="Отчёт", due_at=msk(2026, 12, 2, 12, 0))
    services.run_clock(now=msk(2026, 12, 2, 14, 0))
    kept_by_irina = services.create_promise(
        viewer=i, project=other_project, what="Семантика", due_at=msk(2026, 12, 4, 18, 0)
    )
    services.keep(viewer=i, promise=kept_by_irina, message="Семантика во вложении.")


def test_the_head_sees_every_manager_the_agency_rate_and_broken_per_client(
    history, head, as_viewer
):
    numbers = selectors.numbers(as_viewer(head), *PERIOD)

    rates = {t.label: t.rate_percent for t in numbers.managers}
    assert rates == {"Сергей Соловьёв": 50, "Ирина Павлова": 100}
    assert (numbers.agency.due, numbers.agency.kept_on_time, numbers.agency.broken) == (3, 2, 1)
    assert numbers.agency.rate_percent == 67
    assert [(t.label, t.broken) for t in numbers.clients] == [("ТехноДом", 1), ("Зелёный Сад", 0)]


def test_a_manager_sees_only_themselves(history, sergey, as_viewer, login):
    numbers = selectors.numbers(as_viewer(sergey), *PERIOD)

    assert [t.label for t in numbers.managers] == ["Сергей Соловьёв"]
    page = login(sergey).get("/promises/numbers/?start=2026-12-01&end=2026-12-31").content.decode()
    assert "Ирина Павлова" not in page and "50%" in page


def test_a_promise_renegotiated_late_still_counts_as_broken(wednesday, project, sergey, as_viewer):
    s = as_viewer(sergey)
    p = services.create_promise(
        viewer=s, project=project, what="ТЗ", due_at=msk(2026, 12, 2, 12, 0)
    )
    services.run_clock(now=msk(2026, 12, 2, 14, 0))
    services.renegotiate(
        viewer=s,
        promise=p,
        new_due=msk(2026, 12, 3, 18, 0),
        reason="r",
        message="m",
        now=msk(2026, 12, 2, 15, 0),
    )
    p.refresh_from_db()
    services._keep(sergey, p, evidence=None, message="ТЗ отправлено", at=msk(2026, 12, 3, 17, 0))

    numbers = selectors.numbers(s, *PERIOD)

    assert (numbers.agency.kept_on_time, numbers.agency.broken) == (0, 1)


def test_a_bad_period_is_explained(wednesday, sergey, login):
    response = login(sergey).get("/promises/numbers/?start=2026-12-10&end=2026-12-01")

    assert response.status_code == 400
    assert "Период заканчивается раньше, чем начинается" in response.content.decode()


def test_clients_have_no_numbers_page(marina, login):
    assert login(marina).get("/promises/numbers/").status_code == 404
