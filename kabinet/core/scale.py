"""The demo agency grown to agency scale, fast: ``kabinet demo --scale N --no-serve``.

At its largest (``--scale 1m``) the demo agency gets about 500 more client companies, 2,000
projects, 1,000,000 chronology events (Marina's project, ТехноДом SEO, holds 5 % of them:
50,000), 200,000 tasks and 50,000 question threads; ``--scale 100k`` and ``--scale 10k`` make the
same shape ten and a hundred times smaller (any number of events from 1,000 works, for tests).

Everything is written set-based: rows are built in memory and inserted with ``bulk_create`` in
batches (one INSERT per batch), never one query per row, and never through the services — this is
synthetic history, not things that happened, so no notification, job or audit entry is made. The
stored results that pages read are built alongside: the SQLite full-text rows
(``timeline_event_fts``; PostgreSQL indexes the expression itself), each project's
``last_client_update_at``, and the latest plan (one ``PlanRun`` with a ``TaskForecast`` per open
task, in deadline order — the first real replan replaces it).

The bulk part is built once per agency: a second run finds the scale companies and adds nothing.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Max

from kabinet.clients.models import ClientCompany, Project, ProjectMember, Service, Tier
from kabinet.core.models import Agency, Membership, Role, User, Visibility

FULL_EVENTS = 1_000_000
# The shape at 1,000,000 events; smaller sizes scale every line by events / 1,000,000.
FULL = {"companies": 500, "projects": 2_000, "tasks": 200_000, "threads": 50_000}
BIG_PROJECT_SHARE = 0.05  # one project (ТехноДом SEO, Marina's) holds 5 % of all events
PROJECTS_PER_MANAGER = 30
PROJECTS_PER_SPECIALIST = 20
OPEN_TASK_SHARE = 0.05
OPEN_THREAD_SHARE = 0.04
HISTORY_DAYS = 3 * 365
BATCH = 5_000
COMPANY_PREFIX = "Клиент №"
NAMED = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}


def parse_size(text: str | int) -> int:
    """'10k', '100k', '1m' or a plain number of events (at least 1,000)."""
    raw = str(text).strip().lower().replace("_", "")
    if raw in NAMED:
        return NAMED[raw]
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(
            f"--scale: {text!r} is not a size; use 10k, 100k, 1m or a number of events"
        ) from None
    if not 1_000 <= value <= 2 * FULL_EVENTS:
        raise ValueError(f"--scale: {value} events is out of range (1000 to 2000000)")
    return value


@dataclass(frozen=True)
class Shape:
    events: int
    companies: int
    projects: int
    tasks: int
    threads: int
    big_project_events: int
    managers: int
    specialists: int

    @classmethod
    def for_events(cls, events: int) -> Shape:
        f = events / FULL_EVENTS
        projects = max(4, round(FULL["projects"] * f))
        return cls(
            events=events,
            companies=max(2, round(FULL["companies"] * f)),
            projects=projects,
            tasks=max(10, round(FULL["tasks"] * f)),
            threads=max(4, round(FULL["threads"] * f)),
            big_project_events=round(events * BIG_PROJECT_SHARE),
            managers=max(1, projects // PROJECTS_PER_MANAGER),
            specialists=max(2, projects // PROJECTS_PER_SPECIALIST),
        )


class _Progress:
    """A tqdm bar when asked for (the command), nothing in tests."""

    def __init__(self, total: int, enabled: bool):
        self.bar = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="row", unit_scale=True, dynamic_ncols=True)

    def step(self, what: str, n: int) -> None:
        if self.bar is not None:
            self.bar.set_description(what)
            self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _batches(rows: Iterator, size: int = BATCH) -> Iterator[list]:
    batch: list = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def already_built(agency: Agency) -> bool:
    return ClientCompany.objects.filter(agency=agency, name__startswith=COMPANY_PREFIX).exists()


def build(
    agency: Agency, events: int, *, now: datetime, seed: int = 2026, progress: bool = False
) -> dict[str, int]:
    """Add the bulk history to `agency` (built once). Returns how many rows of each kind."""
    shape = Shape.for_events(events)
    if already_built(agency):
        return {}
    rng = random.Random(seed)
    total = (
        shape.companies
        + shape.projects * 3
        + shape.events
        + shape.tasks
        + shape.threads * 3
        + shape.managers
        + shape.specialists
    )
    bar = _Progress(total, progress)
    counts: dict[str, int] = {}
    try:
        with transaction.atomic():
            staff = _staff(agency, shape, bar)
            projects = _projects(agency, shape, staff, rng, now, bar)
            counts["companies"] = shape.companies
            counts["projects"] = len(projects)
            counts["events"] = _events(agency, shape, projects, rng, now, bar)
            counts["tasks"] = _tasks(agency, shape, projects, rng, now, bar)
            counts["threads"] = _threads(agency, shape, projects, rng, now, bar)
            _last_update(agency)
            counts["forecasts"] = _plan(agency, now)
    finally:
        bar.close()
    return counts


# ----------------------------------------------------------------------------- people, projects


@dataclass
class _Team:
    project: Project
    manager_id: int
    specialist_id: int
    client_id: int | None
    events: int = 0


def _staff(agency: Agency, shape: Shape, bar: _Progress) -> dict[str, list[int]]:
    password = make_password(None)  # unusable: bulk staff are characters, not logins
    users = [
        User(email=f"am{i:03d}@scale.example", full_name=f"Менеджер {i:03d}", password=password)
        for i in range(shape.managers)
    ] + [
        User(email=f"sp{i:03d}@scale.example", full_name=f"Специалист {i:03d}", password=password)
        for i in range(shape.specialists)
    ]
    User.objects.bulk_create(users, batch_size=BATCH)
    users = list(User.objects.filter(email__endswith="@scale.example").order_by("email"))
    Membership.objects.bulk_create(
        [
            Membership(
                agency=agency,
                user=u,
                role=Role.ACCOUNT_MANAGER if u.email.startswith("am") else Role.SPECIALIST,
            )
            for u in users
        ],
        batch_size=BATCH,
    )
    bar.step("people", len(users))
    return {
        "managers": [u.pk for u in users if u.email.startswith("am")],
        "specialists": [u.pk for u in users if u.email.startswith("sp")],
    }


def _projects(
    agency: Agency,
    shape: Shape,
    staff: dict[str, list[int]],
    rng: random.Random,
    now: datetime,
    bar: _Progress,
) -> list[_Team]:
    tiers = [Tier.STANDARD, Tier.STANDARD, Tier.GOLD, Tier.PLATINUM]
    services = [Service.SEO, Service.PPC, Service.SMM, Service.ANALYTICS, Service.DEVELOPMENT]
    companies = ClientCompany.objects.bulk_create(
        [
            ClientCompany(
                agency=agency, name=f"{COMPANY_PREFIX}{i + 1:04d}", tier=rng.choice(tiers)
            )
            for i in range(shape.companies)
        ],
        batch_size=BATCH,
    )
    companies = list(
        ClientCompany.objects.filter(agency=agency, name__startswith=COMPANY_PREFIX).order_by(
            "name"
        )
    )
    bar.step("companies", len(companies))
    new = []
    for i in range(shape.projects - 1):  # the big project is the demo's own ТехноДом SEO
        company = companies[i % len(companies)]
        service = services[(i // len(companies)) % len(services)]
        new.append(
            Project(
                agency=agency,
                company=company,
                name=f"{service.label} · {i + 1:04d}",
                service=service,
                start_date=(now - timedelta(days=rng.randint(200, HISTORY_DAYS))).date(),
                monthly_budget=Decimal(rng.randrange(40_000, 400_000, 5_000)),
                tier=company.tier,
            )
        )
    Project.objects.bulk_create(new, batch_size=BATCH)
    created = list(
        Project.objects.filter(agency=agency, company__name__startswith=COMPANY_PREFIX).order_by(
            "pk"
        )
    )
    managers, specialists = staff["managers"], staff["specialists"]
    sergey = Membership.objects.get(agency=agency, user__email="sergey@agency.example").user_id
    teams: list[_Team] = []
    members: list[ProjectMember] = []
    for i, project in enumerate(created):
        manager = sergey if i % 80 == 0 else managers[i % len(managers)]
        teams.append(_Team(project, manager, specialists[i % len(specialists)], None))
    big = Project.objects.get(agency=agency, company__name="ТехноДом", service=Service.SEO)
    big_team = {m.role: m.user_id for m in big.members.all()}
    client = (
        Membership.objects.filter(agency=agency, company=big.company, role=Role.CLIENT)
        .values_list("user_id", flat=True)
        .first()
    )
    teams.insert(
        0,
        _Team(
            big,
            big_team[ProjectMember.ProjectRole.ACCOUNT_MANAGER],
            big_team[ProjectMember.ProjectRole.SPECIALIST],
            client,
        ),
    )
    for team in teams[1:]:
        members += [
            ProjectMember(
                agency=agency,
                project=team.project,
                user_id=team.manager_id,
                role=ProjectMember.ProjectRole.ACCOUNT_MANAGER,
            ),
            ProjectMember(
                agency=agency,
                project=team.project,
                user_id=team.specialist_id,
                role=ProjectMember.ProjectRole.SPECIALIST,
            ),
        ]
    ProjectMember.objects.bulk_create(members, batch_size=BATCH)
    bar.step("projects", len(teams) * 3)
    # Events per project: the big one gets its share, the rest split the remainder unevenly.
    rest = shape.events - shape.big_project_events
    teams[0].events = shape.big_project_events
    weights = [rng.uniform(0.3, 1.7) for _ in teams[1:]]
    scale = rest / sum(weights)
    for team, w in zip(teams[1:], weights, strict=True):
        team.events = int(w * scale)
    teams[1].events += rest - sum(t.events for t in teams[1:])
    return teams


# ----------------------------------------------------------------------------- the chronology


def _catalogue() -> list[tuple[str, str, str]]:
    """(kind, title, body) variants taken from the small demo's texts."""
    from kabinet.core import demo
    from kabinet.timeline.models import Kind

    rows: list[tuple[str, str, str]] = []
    for items in demo.WORK_DONE.values():
        for title, body in items:
            for n in (3, 7, 12, 25, 40):
                rows.append((Kind.WORK_DONE, title, body.format(n=n)))
    for title, body in demo.RECOMMENDATIONS:
        rows.append((Kind.RECOMMENDATION, title, body))
    for title, body in demo.MEETINGS:
        rows.append(
            (
                Kind.MEETING,
                title,
                body.format(client="клиент", manager="менеджер", specialist="специалист"),
            )
        )
    for title, body in demo.MESSAGES:
        rows.append((Kind.MESSAGE, title, body))
    for month in demo.MONTHS_RU:
        rows.append(
            (
                Kind.REPORT,
                f"Отчёт за {month}",
                "Визиты из поиска выросли, заявки по плану. Подробности — в таблице.",
            )
        )
        rows.append((Kind.PLAN, f"План работ на {month}", "Задачи на месяц: по согласованию."))
    return rows


@lru_cache(maxsize=4096)
def _fts_document(title: str, body: str) -> str:
    from kabinet.timeline.search import stems

    return " ".join(stems(f"{title}\n{body}"))


def _events(
    agency: Agency,
    shape: Shape,
    teams: Sequence[_Team],
    rng: random.Random,
    now: datetime,
    bar: _Progress,
) -> int:
    from kabinet.timeline.models import Decision, Event, Kind

    catalogue = _catalogue()
    internal = {"Внутреннее: проверить бюджет"}

    def rows() -> Iterator[Event]:
        for team in teams:
            span = HISTORY_DAYS * 86_400
            for _ in range(team.events):
                kind, title, body = catalogue[rng.randrange(len(catalogue))]
                is_internal = rng.random() < 0.08
                yield Event(
                    agency=agency,
                    project=team.project,
                    kind=kind,
                    title=next(iter(internal)) if is_internal else title,
                    body=body,
                    author_id=team.specialist_id if kind == Kind.WORK_DONE else team.manager_id,
                    occurred_at=now - timedelta(seconds=rng.randrange(3_600, span)),
                    visibility=Visibility.INTERNAL if is_internal else Visibility.CLIENT,
                    decision=Decision.APPROVED if kind == Kind.RECOMMENDATION else "",
                )

    written = 0
    with _search_index_rebuilt_after(big=shape.events >= 50_000):
        for batch in _batches(rows()):
            Event.objects.bulk_create(batch)
            if batch[0].pk is None:  # backends that do not return ids from a bulk insert
                raise RuntimeError("bulk_create returned no ids; the search index needs them")
            _index(batch)
            written += len(batch)
            bar.step("chronology", len(batch))
    return written


@contextmanager
def _search_index_rebuilt_after(big: bool):
    """On PostgreSQL, a large insert goes faster without the full-text GIN index, built once after
    (the same index migration timeline 0002 makes); on SQLite the FTS rows are written per batch."""
    if connection.vendor != "postgresql" or not big:
        yield
        return
    from django.contrib.postgres.indexes import GinIndex

    from kabinet.timeline.models import Event
    from kabinet.timeline.search import PG_INDEX, pg_vector

    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
    yield
    with connection.cursor() as cursor:
        # The batches' foreign keys are checked at commit (DEFERRABLE INITIALLY DEFERRED), and
        # PostgreSQL refuses CREATE INDEX on a table with such checks pending: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with connection.schema_editor() as editor:
        editor.add_index(Event, GinIndex(pg_vector(), name=PG_INDEX))


def _index(batch: Sequence) -> None:
    """The SQLite full-text rows of freshly inserted events (PostgreSQL indexes an expression)."""
    if connection.vendor != "sqlite":
        return
    from kabinet.timeline.search import FTS_TABLE

    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, content) VALUES (%s, %s)",
            [(e.pk, _fts_document(e.title, e.body)) for e in batch],
        )


def _last_update(agency: Agency) -> None:
    """Each project's latest client-visible event, in one statement."""
    from django.db.models import OuterRef, Subquery

    from kabinet.timeline.models import Event

    latest = (
        Event.objects.filter(project=OuterRef("pk"), visibility=Visibility.CLIENT)
        .values("project")
        .annotate(at=Max("occurred_at"))
        .values("at")
    )
    Project.objects.filter(agency=agency).update(last_client_update_at=Subquery(latest))


# ----------------------------------------------------------------------------- work, questions


def _spread(total: int, teams: Sequence[_Team]) -> Iterator[tuple[_Team, int]]:
    per, extra = divmod(total, len(teams))
    for i, team in enumerate(teams):
        yield team, per + (1 if i < extra else 0)


def _tasks(
    agency: Agency,
    shape: Shape,
    teams: Sequence[_Team],
    rng: random.Random,
    now: datetime,
    bar: _Progress,
) -> int:
    from kabinet.core import demo
    from kabinet.work.models import Task

    titles = [t for items in demo.WORK_DONE.values() for t, _ in items]

    def rows() -> Iterator[Task]:
        for team, n in _spread(shape.tasks, teams):
            for _ in range(n):
                is_open = rng.random() < OPEN_TASK_SHARE
                created = now - timedelta(days=rng.randint(1, HISTORY_DAYS))
                due = (
                    now + timedelta(hours=rng.randint(-72, 24 * 30))
                    if is_open
                    else created + timedelta(days=rng.randint(2, 20))
                )
                yield Task(
                    agency=agency,
                    project=team.project,
                    title=rng.choice(titles),
                    assignee_id=team.specialist_id,
                    estimate_hours=Decimal(rng.choice([1, 2, 3, 4, 6, 8])),
                    due_at=due,
                    status=rng.choice(list(Task.OPEN_STATUSES)) if is_open else Task.Status.DONE,
                    created_by_id=team.manager_id,
                    created_at=created,
                    completed_at=None if is_open else min(due, now),
                )

    written = 0
    for batch in _batches(rows()):
        Task.objects.bulk_create(batch)
        written += len(batch)
        bar.step("tasks", len(batch))
    return written


def _threads(
    agency: Agency,
    shape: Shape,
    teams: Sequence[_Team],
    rng: random.Random,
    now: datetime,
    bar: _Progress,
) -> int:
    from kabinet.questions.models import Message, MessageKind, Status, Thread

    subjects = [
        "Почему упали позиции по главной?",
        "Когда будет готов отчёт за месяц?",
        "Можно ли увеличить бюджет на рекламу?",
        "Что с индексацией новых страниц?",
        "Откуда просадка заявок на прошлой неделе?",
    ]
    written = 0
    for batch in _batches((team, n) for team, n in _spread(shape.threads, teams) for n in range(n)):
        threads: list[Thread] = []
        for team, _ in batch:
            is_open = rng.random() < OPEN_THREAD_SHARE
            created = now - timedelta(hours=rng.randint(1, HISTORY_DAYS * 24))
            threads.append(
                Thread(
                    agency=agency,
                    project=team.project,
                    subject=rng.choice(subjects),
                    asked_by_id=team.client_id,
                    assignee_id=team.manager_id,
                    status=Status.WAITING_AGENCY if is_open else Status.RESOLVED,
                    created_at=created,
                    resolved_at=None if is_open else created + timedelta(hours=rng.randint(1, 30)),
                    rating=None if is_open else rng.choice([None, 4, 5, 5]),
                )
            )
        Thread.objects.bulk_create(threads)
        messages: list[Message] = []
        for thread, (team, _) in zip(threads, batch, strict=True):
            messages.append(
                Message(
                    agency=agency,
                    thread=thread,
                    author_id=team.client_id,
                    kind=MessageKind.QUESTION,
                    body=thread.subject,
                    from_client=True,
                    created_at=thread.created_at,
                )
            )
            if thread.resolved_at:
                messages.append(
                    Message(
                        agency=agency,
                        thread=thread,
                        author_id=team.manager_id,
                        kind=MessageKind.ANSWER,
                        body="Разобрались: причина найдена, подробности — в хронологии.",
                        created_at=thread.resolved_at,
                    )
                )
        Message.objects.bulk_create(messages, batch_size=BATCH)
        written += len(threads)
        bar.step("questions", len(threads) * 3)
    from kabinet.questions.services import store_sla_of_open_threads

    store_sla_of_open_threads(agency_id=agency.pk, now=now)  # the desk reads the stored due times
    return written


def _plan(agency: Agency, now: datetime) -> int:
    """The stored plan the queue and at-risk pages read: one run, open tasks in deadline order."""
    from kabinet.planning.models import PlanRun, TaskForecast
    from kabinet.work.models import Task

    rows = list(
        Task.objects.filter(agency=agency, status__in=Task.OPEN_STATUSES)
        .exclude(forecast__isnull=False)
        .values("pk", "assignee_id", "due_at", "estimate_hours")
        .order_by("assignee_id", "due_at", "pk")
    )
    run = PlanRun.objects.create(
        agency=agency, reason="demo --scale", finished_at=now, task_count=len(rows)
    )
    ranks: dict[int | None, int] = {}
    hours: dict[int | None, float] = {}
    forecasts = []
    for row in rows:
        person = row["assignee_id"]
        rank = ranks.get(person, 0) + 1
        ranks[person] = rank
        start = now + timedelta(hours=hours.get(person, 0.0))
        hours[person] = hours.get(person, 0.0) + float(row["estimate_hours"] or 2)
        finish = now + timedelta(hours=hours[person])
        due = row["due_at"]
        slack = (due - finish).total_seconds() / 3600 if due else None
        forecasts.append(
            TaskForecast(
                agency=agency,
                task_id=row["pk"],
                plan_run=run,
                person_id=person,
                weight=1.0,
                predicted_start=start,
                predicted_finish=finish,
                late_hours=max(0.0, -slack) if slack is not None else 0.0,
                slack_hours=slack,
                rank=rank,
                one_line="по сроку",
                details={"one_line": {"ru": "по сроку", "en": "by its deadline"}},
            )
        )
    TaskForecast.objects.bulk_create(forecasts, batch_size=BATCH)
    return len(forecasts)


def describe(shape: Shape) -> str:
    return ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in asdict(shape).items())
