"""Without a count, page N is still exactly events 20(N-1)+1 … 20N, newest first; the last page
has no "Older" link, and a page past the end is empty with a way back."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.urls import reverse

from kabinet.lib.business_calendar import DEFAULT_TZ as MSK

from .factories import event


def test_pages_follow_each_other_without_gaps_or_repeats(login, marina, sergey, project):
    base = datetime(2026, 1, 5, 12, tzinfo=MSK)
    same_time = base + timedelta(days=10)
    for i in range(45):
        # Several events share one time: the id breaks the tie, the same way on every page.
        at = same_time if 10 <= i < 30 else base + timedelta(days=i)
        event(project, title=f"Событие {i}", author=sergey, occurred_at=at)
    client = login(marina)
    url = reverse("project", args=[project.pk])
    pages = [client.get(url, {"page": n}).context["page"] for n in (1, 2, 3)]
    seen = [e.pk for page in pages for e in page]
    assert [len(p) for p in pages] == [20, 20, 5]
    assert len(set(seen)) == 45
    ordered = [e for page in pages for e in page]
    assert ordered == sorted(ordered, key=lambda e: (e.occurred_at, e.pk), reverse=True)
    assert [p.has_next for p in pages] == [True, True, False]
    assert [p.has_previous for p in pages] == [False, True, True]


def test_a_page_past_the_end_is_empty_and_leads_back(login, marina, sergey, project):
    for i in range(3):
        event(project, title=f"Событие {i}", author=sergey)
    response = login(marina).get(reverse("project", args=[project.pk]), {"page": 7})
    page = response.context["page"]
    assert response.status_code == 200
    assert list(page) == [] and page.has_previous and not page.has_next
    assert page.previous_page_number == 6


def test_a_page_that_is_not_a_number_is_the_first(login, marina, sergey, project):
    event(project, title="Единственное", author=sergey)
    response = login(marina).get(reverse("project", args=[project.pk]), {"page": "x"})
    assert [e.title for e in response.context["page"]] == ["Единственное"]
