"""One page of a staff list: at most ``PAGE_SIZE`` rows, fetched with one row more to know whether
a next page exists, so no page counts the whole history.

The links keep every other query parameter (the filters) and change only the page's own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

PAGE_SIZE = 50
MAX_PAGE = 10_000  # past this a page number is taken as the last one asked for sensibly


def page_number(raw: Any) -> int:
    """A page number from the query string: anything that is not a positive number is page 1."""
    try:
        number = int(str(raw))
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


@dataclass
class Page:
    items: list
    number: int
    has_next: bool
    query: QueryDict | None = None
    param: str = "page"
    per_page: int = PAGE_SIZE
    extra: dict = field(default_factory=dict)

    def __iter__(self):
        return iter(self.items)

    def __getitem__(self, index):
        return self.items[index]

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page

    def _url(self, number: int) -> str:
        params = self.query.copy() if self.query is not None else QueryDict(mutable=True)
        params._mutable = True
        params.pop(self.param, None)
        if number > 1:
            params[self.param] = str(number)
        encoded = params.urlencode()
        return f"?{encoded}" if encoded else "?"

    @property
    def next_url(self) -> str:
        return self._url(self.number + 1)

    @property
    def previous_url(self) -> str:
        return self._url(self.number - 1)


def paginate(
    rows: Sequence | Iterable,
    query: QueryDict | None = None,
    *,
    param: str = "page",
    per_page: int = PAGE_SIZE,
) -> Page:
    """The page the query string asks for. ``rows`` is a queryset (sliced in the database: one
    page and one row more) or an already bounded sequence."""
    number = page_number(query.get(param) if query is not None else 1)
    start = (number - 1) * per_page
    chunk = list(rows[start : start + per_page + 1])  # type: ignore[index]
    return Page(chunk[:per_page], number, len(chunk) > per_page, query, param, per_page)
