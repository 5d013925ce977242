"""Every read of the work app, always scoped to the viewer through kabinet.core.scoping."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    Window,
)
from django.http import QueryDict
from django.utils import timezone

from kabinet.clients.models import Project
from kabinet.core.models import STAFF_ROLES, User, Visibility
from kabinet.core.paging import PAGE_SIZE, Page, page_number
from kabinet.core.scoping import (
    Viewer,
    get_or_404,
    require_head,
    require_staff,
    scoped,
)
from kabinet.core.unions import union_all
from kabinet.work.models import (
    AutomationRule,
    Playbook,
    PlaybookItem,
    Recurrence,
    Task,
    TaskChange,
)

DUE_SOON = timedelta(days=3)


def tasks(viewer: Viewer) -> QuerySet[Task]:
    """Tasks the viewer may see: the team's projects; for a client only client-visible ones."""
    return scoped(viewer, Task.objects.all()).select_related("project__company", "assignee")


def open_tasks(viewer: Viewer) -> QuerySet[Task]:
    return tasks(viewer).filter(status__in=Task.OPEN_STATUSES)


def task_or_404(viewer: Viewer, pk: int) -> Task:
    return get_or_404(tasks(viewer), pk=pk)


def task_detail(viewer: Viewer, pk: int) -> Task:
    """One task as its page shows it: with the skill it needs."""
    return get_or_404(tasks(viewer).select_related("skill"), pk=pk)


def blocker_ids(viewer: Viewer, task: Task) -> list[int]:
    """Every task blocking this one, seen or not (the edit form keeps them all)."""
    return list(Task.objects.filter(agency=viewer.agency, blocks=task).values_list("pk", flat=True))


def staff_task_or_404(viewer: Viewer, pk: int) -> Task:
    require_staff(viewer)
    return task_or_404(viewer, pk)


def _open_blockers() -> QuerySet:
    """The open tasks blocking the outer task (for `Exists`: is it blocked?)."""
    return Task.blocked_by.through.objects.filter(
        from_task_id=OuterRef("pk"), to_task__status__in=Task.OPEN_STATUSES
    )


def project_tasks(viewer: Viewer, project: Project) -> QuerySet[Task]:
    blocked = _open_blockers()
    if viewer.is_client:  # an internal blocker must not show through
        blocked = blocked.filter(to_task__visibility=Visibility.CLIENT)
    return (
        tasks(viewer)
        .filter(project=project)
        .annotate(is_blocked=Exists(blocked))
        .order_by(*_due_order())
    )


def task_history(viewer: Viewer, task: Task) -> QuerySet[TaskChange]:
    """The change record; a client sees only the due-date moves of a client-visible task."""
    qs = TaskChange.objects.filter(task=task, agency=viewer.agency).select_related("actor")
    if viewer.is_client:
        qs = qs.filter(field=TaskChange.Field.DUE_AT)
    return qs


def blockers(viewer: Viewer, task: Task) -> QuerySet[Task]:
    return tasks(viewer).filter(blocks=task)


def _due_order() -> list:
    return [F("due_at").asc(nulls_last=True), "pk"]


@dataclass
class BoardSection:
    key: str
    tasks: list[Task] = field(default_factory=list)  # this section's page
    count: int = 0  # every task in the section
    page: Page | None = None

    def by_project(self) -> list[tuple[Project, list[Task]]]:
        groups: OrderedDict[int, tuple[Project, list[Task]]] = OrderedDict()
        for task in self.tasks:
            groups.setdefault(task.project_id, (task.project, []))[1].append(task)
        return list(groups.values())

    def by_person(self) -> list[tuple[User | None, list[Task]]]:
        groups: dict[int | None, tuple[User | None, list[Task]]] = {}
        for task in self.tasks:
            groups.setdefault(task.assignee_id, (task.assignee, []))[1].append(task)
        return sorted(groups.values(), key=lambda g: (g[0] is None, g[0].full_name if g[0] else ""))


BOARD_SECTIONS = ("overdue", "due_soon", "waiting_client", "blocked")


def _blocked_ids(viewer: Viewer) -> QuerySet:
    """The ids of tasks with an open blocker (a short list: read from the dependency table, not
    tested task by task)."""
    return Task.blocked_by.through.objects.filter(
        to_task__agency=viewer.agency, to_task__status__in=Task.OPEN_STATUSES
    ).values("from_task_id")


def _board_conditions(now: datetime, blocked_ids: QuerySet) -> dict[str, Q]:
    """Each open task sits in one section, in this order of precedence: waiting for the client,
    overdue, blocked, due soon (the rest is not on the board). Each condition names its statuses
    itself, so that the database takes each section from its own index range."""
    working = Q(status__in=(Task.Status.TODO, Task.Status.IN_PROGRESS))  # open, not waiting
    blocked = Q(pk__in=blocked_ids)
    return {
        "waiting_client": Q(status=Task.Status.WAITING_CLIENT),
        "overdue": working & Q(due_at__lt=now),
        "blocked": working & (Q(due_at__gte=now) | Q(due_at__isnull=True)) & blocked,
        "due_soon": working & Q(due_at__gte=now, due_at__lt=now + DUE_SOON) & ~blocked,
    }


# Overdue and due-soon tasks all have a date: ordered by it plainly, an index gives the order.
_DATED_SECTIONS = {"overdue", "due_soon"}


def board(
    viewer: Viewer,
    now: datetime | None = None,
    person: User | None = None,
    query: QueryDict | None = None,
) -> list[BoardSection]:
    """The account manager's control board: overdue, due soon, waiting for the client, blocked —
    across every project the viewer works on (the head: the whole agency). Each section shows
    one page (``<section>_page`` in the query string) and says how many it holds.

    Each section's page is cut by the database from its own index range, counted as it is read
    (one UNION of the four), and only the tasks of those pages are read in full. Numbering every
    open task by section instead (a window over all of them, with a blocker test for each) cost
    the head of a 2,000-project agency 180-280 ms for 10,000 open tasks."""
    require_staff(viewer)
    now = now or timezone.now()
    qs = tasks(viewer)
    if person is not None:
        qs = qs.filter(assignee=person)
    conditions = _board_conditions(now, _blocked_ids(viewer))
    pages = {key: page_number(query.get(f"{key}_page") if query else 1) for key in BOARD_SECTIONS}
    parts = []
    for key in BOARD_SECTIONS:
        low = (pages[key] - 1) * PAGE_SIZE
        order = ["due_at", "pk"] if key in _DATED_SECTIONS else _due_order()
        parts.append(
            qs.select_related(None)
            .filter(conditions[key])
            .annotate(
                board_section=Value(key, output_field=CharField()),
                board_total=Window(Count("pk")),  # the whole section's, before the cut
            )
            .order_by(*order)
            .values_list("pk", "board_section", "board_total")[low : low + PAGE_SIZE + 1]
        )  # one more than the page: is there a next one?
    read = union_all(parts)
    section_of = {pk: key for pk, key, _total in read}
    counts = {key: 0 for key in BOARD_SECTIONS} | {key: total for _pk, key, total in read}
    shown = (
        qs.filter(pk__in=list(section_of))
        .annotate(is_blocked=Exists(_open_blockers()))
        .order_by(*_due_order())
        .prefetch_related(
            Prefetch(
                "blocked_by",
                queryset=Task.objects.filter(agency=viewer.agency).only("pk", "title", "status"),
            )
        )
    )
    rows: dict[str, list[Task]] = {key: [] for key in BOARD_SECTIONS}
    for task in shown:
        rows[section_of[task.pk]].append(task)
    if any(pages[key] > 1 and not rows[key] for key in BOARD_SECTIONS):  # a page past the end
        counts = (
            qs.filter(status__in=Task.OPEN_STATUSES)
            .order_by()
            .aggregate(**{key: Count("pk", filter=conditions[key]) for key in BOARD_SECTIONS})
        )
    sections = []
    for key in BOARD_SECTIONS:
        chunk = rows[key]
        page = Page(chunk[:PAGE_SIZE], pages[key], len(chunk) > PAGE_SIZE, query, f"{key}_page")
        sections.append(BoardSection(key, page.items, counts[key], page))
    return sections


def colleagues(viewer: Viewer) -> QuerySet[User]:
    """Staff of the viewer's agency (assignee choices)."""
    require_staff(viewer)
    return User.objects.filter(
        memberships__agency=viewer.agency, memberships__role__in=STAFF_ROLES, is_active=True
    ).order_by("full_name")


def person_or_404(viewer: Viewer, pk: int) -> User:
    require_staff(viewer)
    return get_or_404(colleagues(viewer), pk=pk)


def playbook_choices(viewer: Viewer) -> QuerySet[Playbook]:
    """The agency's playbooks to choose from (their names only)."""
    require_staff(viewer)
    return Playbook.objects.filter(agency=viewer.agency)


def playbooks(viewer: Viewer) -> QuerySet[Playbook]:
    """The agency's playbooks with their items and each item's dependencies, in order."""
    items = PlaybookItem.objects.filter(agency=viewer.agency).order_by("position", "pk")
    return playbook_choices(viewer).prefetch_related(
        Prefetch("items", queryset=items), Prefetch("items__depends_on", queryset=items)
    )


def playbook_or_404(viewer: Viewer, pk: int) -> Playbook:
    return get_or_404(playbooks(viewer), pk=pk)


def recurrences(viewer: Viewer, project: Project) -> QuerySet[Recurrence]:
    require_staff(viewer)
    return scoped(
        viewer, Recurrence.objects.filter(project=project), visibility_field=None
    ).select_related("assignee")


def recurrence_or_404(viewer: Viewer, pk: int) -> Recurrence:
    require_staff(viewer)
    return get_or_404(
        scoped(viewer, Recurrence.objects.select_related("project__agency"), visibility_field=None),
        pk=pk,
    )


def rules(viewer: Viewer) -> list[AutomationRule]:
    """Every rule kind: the agency's saved row, or the defaults (unsaved: a GET writes nothing)."""
    require_head(viewer)
    saved = {r.kind: r for r in AutomationRule.objects.filter(agency=viewer.agency)}
    return [
        saved.get(kind)
        or AutomationRule(
            agency=viewer.agency, kind=kind, params=dict(AutomationRule.DEFAULT_PARAMS[kind])
        )
        for kind in sorted(AutomationRule.Kind.values)
    ]
