"""Shared API schemas. Every input schema refuses unknown fields and names its enumerations.

No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.
"""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Annotated, Literal

from ninja import Field, Schema
from ninja.params.functions import Path as PathParam
from ninja.params.functions import Query as QueryParam
from pydantic import AfterValidator, AwareDatetime, BeforeValidator, ConfigDict

from kabinet.clients.models import Project
from kabinet.core import limits
from kabinet.core.models import Visibility
from kabinet.promises.models import State as PromiseState
from kabinet.questions.models import Status as ThreadStatus
from kabinet.timeline.models import COMPOSER_KINDS, Kind
from kabinet.work.models import Task

MAX_ID = 2**63 - 1  # the largest id the database keeps: a bigger number is a 400, not a 500

# An object id in the path, in a query or in a body.
PathId = Annotated[int, PathParam(..., ge=1, le=MAX_ID)]
QueryId = Annotated[int | None, QueryParam(None, ge=1, le=MAX_ID)]
BodyId = Annotated[int, Field(ge=1, le=MAX_ID)]

# Dates and times Kabinet can keep and compute with (time zones included): years 1900-2999.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_WHEN = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _iso(pattern: re.Pattern, example: str):
    """Only ISO 8601 text (or a date object): no Unix timestamps, no numbers read as dates."""

    def check(value):
        if isinstance(value, date):
            return value
        if not isinstance(value, str) or not pattern.match(value):
            raise ValueError(f"give an ISO 8601 value like {example}")
        return value

    return check


def _sensible_day(value: date) -> date:
    day = value.date() if isinstance(value, datetime) else value
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"must be between {FIRST_DAY} and {LAST_DAY}")
    return value


# The UTC offsets time zones use (UTC−12:00 to UTC+14:00). Python takes anything under a day,
# PostgreSQL nothing past ±15:59: "-19:07" must be a 400 here, not a 500 at the INSERT.
FIRST_OFFSET, LAST_OFFSET = timedelta(hours=-12), timedelta(hours=14)


def _real_offset(value: datetime) -> datetime:
    offset = value.utcoffset()
    if offset is not None and not FIRST_OFFSET <= offset <= LAST_OFFSET:
        raise ValueError("the UTC offset must be between -12:00 and +14:00")
    return value


Day = Annotated[date, BeforeValidator(_iso(ISO_DAY, "2026-12-01")), AfterValidator(_sensible_day)]
When = Annotated[
    AwareDatetime,
    BeforeValidator(_iso(ISO_WHEN, "2026-12-01T18:00:00+03:00")),
    AfterValidator(_sensible_day),
    AfterValidator(_real_offset),
]


class In(Schema):
    """Base of every request body: an unknown field is a 400 naming it, never silently dropped."""

    model_config = ConfigDict(extra="forbid")


def choices(name: str, values) -> type[Enum]:
    """An OpenAPI enumeration named `name` of the given TextChoices values."""
    return Enum(name, {str(v): str(v) for v in values}, type=str)


VisibilityEnum = choices("Visibility", Visibility.values)
ProjectStatusEnum = choices("ProjectStatus", Project.Status.values)
TaskStatusEnum = choices("TaskStatus", Task.Status.values)
ThreadStatusEnum = choices("QuestionStatus", ThreadStatus.values)
PromiseStateEnum = choices("PromiseState", PromiseState.values)
KindEnum = choices("EventKind", Kind.values)
ComposerKind = choices("PublishKind", [str(k) for k in COMPOSER_KINDS])
DecisionChoice = Literal["approved", "declined", "commented"]  # the client's three answers

TEXT_MAX = 100_000  # a body longer than this is refused (400) before any work is done
TITLE_MAX = 300

# Texts bounded by kabinet.core.limits; titles and subjects on one line (a line break or control
# character would end up in an e-mail header).
OneLine = Annotated[
    str, Field(min_length=1, max_length=limits.TITLE, pattern=r"^[^\x00-\x1f\x7f\u2028\u2029]*$")
]
Document = Annotated[str, Field(max_length=limits.DOCUMENT)]
MessageText = Annotated[str, Field(max_length=limits.MESSAGE)]
NoteText = Annotated[str, Field(max_length=limits.NOTE)]


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
    title: OneLine
    body: Document = ""
    visibility: VisibilityEnum = VisibilityEnum("client")
    period_start: Day | None = None
    period_end: Day | None = None


class DecisionIn(In):
    decision: DecisionChoice
    comment: MessageText = ""


# The version of an object two people may edit (kabinet.core.concurrency): read it from the object
# (or its ETag), send it back with the change; a change made since is answered 409 (412 with
# If-Match) with the current version and values.
Version = Annotated[
    int,
    Field(
        ge=0,
        le=2**31 - 1,
        description='the version you read (or send If-Match: "<version>"); stale: 409 / 412',
    ),
]
