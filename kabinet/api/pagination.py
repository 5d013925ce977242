"""Cursor pagination for every API list: an opaque cursor on (sort key, id), a capped page size.

A page is cut in the database: the query asks for ``limit + 1`` rows after the cursor's position
(a keyset condition on the ordering columns, which end with the primary key so that positions are
unique), and only those rows are turned into JSON. Nothing before or after the page is read, so
the tenth page of a long history costs what the first one does.

The cursor is the last row's ordering values, signed (``django.core.signing``) so that a client
cannot forge a position; a cursor that does not verify is a 400 naming the ``cursor`` field.
"""

# No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import PaginationBase

SALT = "kabinet.api.cursor"


class CursorInput(Schema):
    cursor: str | None = Field(
        None, max_length=2000, description="`next` of the previous page; absent for the first page"
    )
    limit: int | None = Field(
        None,
        ge=1,
        le=1_000_000,
        description="items per page (default 50; more than 200 is cut to 200)",
    )


def _column(model, name: str):
    return model._meta.pk if name == "pk" else model._meta.get_field(name)


def _encode(values: list[Any]) -> str:
    return signing.dumps([None if v is None else str(v) for v in values], salt=SALT, compress=True)


def _decode(model, ordering: tuple[str, ...], cursor: str) -> list[Any]:
    invalid = ValidationError({"cursor": _("This cursor is not one Kabinet gave out.")})
    try:
        raw = signing.loads(cursor, salt=SALT)
    except signing.BadSignature as exc:
        raise invalid from exc
    if not isinstance(raw, list) or len(raw) != len(ordering):
        raise invalid
    try:
        return [
            _column(model, key.lstrip("-")).to_python(v)
            for key, v in zip(ordering, raw, strict=True)
        ]
    except ValidationError as exc:
        raise invalid from exc


def after(ordering: tuple[str, ...], values: list[Any]) -> Q:
    """Rows strictly after `values` in `ordering` (lexicographic keyset condition)."""
    condition = Q()
    for i, key in enumerate(ordering):
        name = key.lstrip("-")
        step = Q(**{f"{name}__{'lt' if key.startswith('-') else 'gt'}": values[i]})
        for prev_key, prev_value in zip(ordering[:i], values[:i], strict=True):
            step &= Q(**{prev_key.lstrip("-"): prev_value})
        condition |= step
    return condition


def page_size(limit: int | None) -> int:
    if limit is None:
        return settings.API_PAGE_SIZE
    return max(1, min(limit, settings.API_MAX_PAGE_SIZE))


class CursorPagination(PaginationBase):
    """``@paginate(CursorPagination, ordering=("-occurred_at", "-pk"), out=event_out)``.

    `ordering` must end with ``pk`` (or ``-pk``) and name non-null columns; `out` turns one row
    into the response item (called only for the rows of the page); or `out_page(request, rows)`
    turns the whole page at once (when one query per page beats one per row).
    """

    Input = CursorInput

    class Output(Schema):
        items: list[Any]
        next: str | None = Field(description="the cursor of the next page; null on the last page")

    items_attribute = "items"

    def __init__(
        self,
        *,
        ordering: tuple[str, ...] = ("pk",),
        out: Callable[[Any], Any] | None = None,
        out_page: Callable[[HttpRequest, list[Any]], list[Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        assert ordering[-1].lstrip("-") == "pk", "the ordering must end with the primary key"
        self.ordering = ordering
        self.out = out
        self.out_page = out_page
        super().__init__(**kwargs)

    def paginate_queryset(
        self, queryset: QuerySet, pagination: CursorInput, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        size = page_size(pagination.limit)
        qs = queryset.order_by(*self.ordering)
        if pagination.cursor:
            qs = qs.filter(
                after(self.ordering, _decode(qs.model, self.ordering, pagination.cursor))
            )
        rows = list(qs[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        following = None
        if more:
            last = rows[-1]
            following = _encode([getattr(last, key.lstrip("-")) for key in self.ordering])
        if self.out_page:
            items = self.out_page(request, rows)
        elif self.out:
            items = [self.out(row) for row in rows]
        else:
            items = rows
        return {"items": items, "next": following}
