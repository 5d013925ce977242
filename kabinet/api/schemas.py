"""Shared API schemas. Every input schema refuses unknown fields and names its enumerations.

No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.
"""

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from kabinet.core.models import Visibility
from kabinet.timeline.models import COMPOSER_KINDS, Kind


class In(Schema):
    """Base of every request body: an unknown field is a 422 naming it, never silently dropped."""

    model_config = ConfigDict(extra="forbid")


def choices(name: str, values) -> type[Enum]:
    """An OpenAPI enumeration named `name` of the given TextChoices values."""
    return Enum(name, {str(v): str(v) for v in values}, type=str)


VisibilityEnum = choices("Visibility", Visibility.values)
KindEnum = choices("EventKind", Kind.values)
ComposerKind = choices("PublishKind", [str(k) for k in COMPOSER_KINDS])
DecisionChoice = Literal["approved", "declined", "commented"]  # the client's three answers

TEXT_MAX = 100_000  # a body longer than this is refused (422) before any work is done
TITLE_MAX = 300


class MemberOut(Schema):
    user_id: int
    name: str
    role: str
    responsibility: str


class ProjectOut(Schema):
    id: int
    name: str
    company: str
    service: str
    status: str
    start_date: date
    last_client_update_at: datetime | None


class ProjectDetailOut(ProjectOut):
    team: list[MemberOut]
    monthly_budget: Decimal | None = None  # staff only


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    url: str


class EventOut(Schema):
    id: int
    project_id: int
    kind: KindEnum
    title: str
    body: str
    html: str
    author: str | None
    occurred_at: datetime
    visibility: VisibilityEnum
    period_start: date | None
    period_end: date | None
    decision: str
    attachments: list[AttachmentOut]


class EventIn(In):
    kind: ComposerKind
    title: str = Field(..., min_length=1, max_length=TITLE_MAX)
    body: str = Field("", max_length=TEXT_MAX)
    visibility: VisibilityEnum = VisibilityEnum("client")
    period_start: date | None = None
    period_end: date | None = None


class DecisionIn(In):
    decision: DecisionChoice
    comment: str = Field("", max_length=TEXT_MAX)
