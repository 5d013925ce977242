"""The control board is one table per project (or person): the assignees, states and due dates
shifted from one group to the next with each table's own widths. They now line up down the page."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo():
    from kabinet.core import demo as core_demo

    return core_demo.build()


def test_every_groups_columns_start_at_the_same_place(browser, live_server, demo, demo_login):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    demo_login(page, demo.users["sergey"])
    page.goto("/work/")

    starts = page.evaluate(
        """() => [...document.querySelectorAll('#section-overdue table')].map(t =>
             [...t.querySelector('tr').cells].map(c => Math.round(c.getBoundingClientRect().left)))"""
    )
    context.close()

    assert len(starts) >= 3  # several projects have overdue work in the demo
    assert all(columns == starts[0] for columns in starts)
