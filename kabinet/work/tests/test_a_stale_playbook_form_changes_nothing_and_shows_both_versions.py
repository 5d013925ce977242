"""Two heads edit the same playbook at once: the second save, made from the page as it was before
the first, changes nothing (neither the playbook nor its tasks) and comes back 409 with every row
she typed kept in the form next to what is saved now and who saved it; saved over the current
version, it goes through."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from kabinet.core.scoping import viewer_for
from kabinet.core.testing import Role, make_user
from kabinet.work.models import Playbook
from kabinet.work.services import save_playbook


@pytest.fixture
def deputy(agency):
    return make_user(agency, "deputy@agency.test", Role.HEAD, full_name="Пётр Заместителев")


@pytest.fixture
def playbook(head):
    return save_playbook(
        viewer=viewer_for(head),
        name="SEO онбординг",
        language="ru",
        items=[
            {"title": "Аудит сайта", "offset_business_days": 3, "estimate_hours": 4},
            {"title": "Семантика", "offset_business_days": 5, "depends_on": [0]},
        ],
    )


def _version_in(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def _post(version: str, name: str, titles: list[str]) -> dict:
    data = {
        "name": name,
        "language": "ru",
        "service": "",
        "description": "",
        "version": version,
        "items-TOTAL_FORMS": str(len(titles)),
        "items-INITIAL_FORMS": str(len(titles)),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for n, title in enumerate(titles):
        data.update(
            {
                f"items-{n}-title": title,
                f"items-{n}-offset_business_days": str(3 + 2 * n),
                f"items-{n}-estimate_hours": "",
                f"items-{n}-role": "specialist",
                f"items-{n}-visibility": "client",
                f"items-{n}-depends_on": "1" if n else "",
            }
        )
    return data


def test_a_stale_playbook_form_changes_nothing_and_shows_both_versions(
    agency, head, deputy, login, playbook
):
    url = reverse("work:playbook", args=[playbook.pk])
    seen = _version_in(login(deputy).get(url).content.decode())
    first = login(head).post(url, _post(seen, "SEO старт", ["Аудит", "Семантика", "Отчёт"]))
    assert first.status_code == 302

    second = login(deputy).post(url, _post(seen, "SEO онбординг", ["Технический аудит"]))

    assert second.status_code == 409
    html = second.content.decode()
    assert 'data-testid="conflict"' in html and "Анна Королёва" in html
    assert 'value="Технический аудит"' in html  # the row she typed is still in the form
    tasks = re.search(r'data-field="items">(.*?)</tr>', html, re.S).group(1)
    assert "1. Технический аудит" in tasks  # what she entered
    assert "3. Отчёт" in tasks  # what is saved now
    playbook = Playbook.objects.get(pk=playbook.pk)
    assert playbook.name == "SEO старт"
    assert list(playbook.items.order_by("position").values_list("title", flat=True)) == [
        "Аудит",
        "Семантика",
        "Отчёт",
    ]

    # The page moved her form on to the saved version: saving again is a choice, and it works.
    moved = _version_in(html)
    assert moved != seen
    again = login(deputy).post(url, _post(moved, "SEO онбординг", ["Технический аудит"]))
    assert again.status_code == 302
    playbook = Playbook.objects.get(pk=playbook.pk)
    assert playbook.name == "SEO онбординг"
    assert [i.title for i in playbook.items.all()] == ["Технический аудит"]
