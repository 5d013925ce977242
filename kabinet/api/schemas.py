# No `from __future__ import annotations` here: django-ninja reads the annotations at runtime.

from datetime import date, datetime
from decimal import Decimal

from ninja import Schema


class MemberOut(Schema):
    name: str
    role: str
    responsibility: str


class ProjectOut(Schema):
    id: int
    name: str
    company: str
    service: str
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
    kind: str
    title: str
    body: str
    html: str
    author: str | None
    occurred_at: datetime
    visibility: str
    period_start: date | None
    period_end: date | None
    decision: str
    attachments: list[AttachmentOut]


class EventIn(Schema):
    kind: str
    title: str
    body: str = ""
    visibility: str = "client"
    period_start: date | None = None
    period_end: date | None = None


class DecisionIn(Schema):
    decision: str
    comment: str = ""
