"""The KPI cards of many projects read at once (`cards_for`, for the weekly job) are the cards the
project's page builds for it alone (`cards`), for the client's view and the staff's."""

from __future__ import annotations

from datetime import date

import pytest

from kabinet.core.scoping import viewer_for
from kabinet.health import selectors
from kabinet.health.tests.digest_projects import busy_project

ON = date(2026, 11, 29)


@pytest.mark.parametrize("client_only", [True, False])
def test_each_projects_cards_are_those_it_gets_alone(
    company, other_company, sergey, irina, head, client_only
):
    projects = [
        busy_project(company, sergey, "Альфа"),
        busy_project(other_company, irina, "Гамма", lines=3),
        busy_project(other_company, irina, "Дельта", lines=0),
    ]

    many = selectors.cards_for(projects, on=ON, client_only=client_only)

    for project in projects:
        alone = selectors.cards(viewer_for(head), project, on=ON, client_only=client_only)
        assert [c.metric.key for c in many[project.pk]] == [c.metric.key for c in alone]
        assert len(alone) == (3 if client_only else 4)
        for batched, single in zip(many[project.pk], alone, strict=True):
            # Marks at the same minute may come in either order (neither read orders them).
            key = lambda mark: (mark["x"], mark["url"])  # noqa: E731
            assert sorted(batched.annotations, key=key) == sorted(single.annotations, key=key)
            batched.annotations = single.annotations = []
            assert batched == single


def test_without_annotations_the_cards_carry_no_marks(company, sergey):
    project = busy_project(company, sergey, "Альфа", lines=3)

    cards = selectors.cards_for([project], on=ON, client_only=True, annotations=False)[project.pk]

    assert cards and all(card.annotations == [] for card in cards)
