"""A staff list shows one page and links to the next with every filter kept; any junk page number
is page 1, so a hand-typed address never fails."""

from __future__ import annotations

from django.http import QueryDict

from kabinet.core.paging import paginate


def test_the_next_link_keeps_the_filters_and_a_page_holds_at_most_fifty():
    page = paginate(list(range(120)), QueryDict("mine=1&page=2"))
    assert page.items == list(range(50, 100)) and page.has_next and page.has_previous
    assert page.next_url == "?mine=1&page=3"
    assert page.previous_url == "?mine=1"  # page 1 needs no number


def test_the_last_page_has_no_next_and_junk_is_page_one():
    assert not paginate(list(range(120)), QueryDict("page=3")).has_next
    assert paginate(list(range(120)), QueryDict("page=x")).number == 1
    assert paginate(list(range(120)), QueryDict("page=-4")).items[0] == 0
