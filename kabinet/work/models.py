"""Work control: tasks and their change record, playbooks, recurring work, automation rules.

Idempotency lives in the database: every automatically created task carries a `dedupe_key`
unique per agency (a recurrence occurrence, a playbook item on a project, a rule's cause), the
scheduler claims each (job, slot) with a unique row, and a rule fires once per (rule, cause).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kabinet.core.models import Agency, Visibility


class Task(models.Model):
    class Status(models.TextChoices):
        TODO = "todo", _("To do")
        IN_PROGRESS = "in_progress", _("In progress")
        WAITING_CLIENT = "waiting_client", _("Waiting for the client")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.TODO, Status.IN_PROGRESS, Status.WAITING_CLIENT)
    CLOSED_STATUSES = (Status.DONE, Status.CANCELLED)

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey("clients.Project", on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="work_tasks",
    )
    estimate_hours = models.DecimalField(
        _("estimate, hours"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.TODO
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    blocked_by = models.ManyToManyField(
        "self", symmetrical=False, related_name="blocks", blank=True, verbose_name=_("blocked by")
    )
    # The skill the work needs (the agency's vocabulary, planning.Skill); empty: anyone can do it.
    skill = models.ForeignKey(
        "planning.Skill",
        verbose_name=_("skill needed"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The manager's manual boost; the priority engine adds it to the computed priority.
    priority_boost = models.IntegerField(_("priority boost"), default=0)
    # A pinned task keeps its place when the scheduler proposes a new order.
    pinned = models.BooleanField(_("pinned"), default=False)
    pinned_start = models.DateTimeField(_("pinned start"), null=True, blank=True)
    # What created it: "playbook", "recurrence", "rule", "question", "promise", "" (a person).
    source_type = models.CharField(max_length=64, blank=True)
    source_id = models.CharField(max_length=64, blank=True)
    # One task per cause for anything created automatically (see module docstring).
    dedupe_key = models.CharField(max_length=200, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Optimistic concurrency (kabinet.core.concurrency): one more on every save by a person.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="one_task_per_cause",
            )
        ]
        indexes = [
            models.Index(fields=["project", "status", "due_at"]),
            # The open work of an agency without reading its done history (board, rules, plan).
            models.Index(fields=["agency", "status", "due_at"], name="task_agency_open_by_due"),
            models.Index(fields=["assignee", "status", "due_at"]),
            models.Index(fields=["source_type", "source_id"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_client_visible(self) -> bool:
        return self.visibility == Visibility.CLIENT

    def is_overdue(self, now=None) -> bool:
        return bool(self.is_open and self.due_at and self.due_at < (now or timezone.now()))


class TaskChange(models.Model):
    """One change of a task's due time, assignee, priority or status: who, when and why."""

    class Field(models.TextChoices):
        DUE_AT = "due_at", _("due")
        ASSIGNEE = "assignee", _("assignee")
        PRIORITY = "priority_boost", _("priority")
        STATUS = "status", _("status")
        PINNED = "pinned", _("pinned")
        VISIBILITY = "visibility", _("visibility")
        ESTIMATE = "estimate_hours", _("estimate")
        TITLE = "title", _("title")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    field = models.CharField(max_length=32, choices=Field.choices)
    # Machine values (ISO datetimes, user ids, status codes) and a readable form for the page.
    old = models.CharField(max_length=300, blank=True)
    new = models.CharField(max_length=300, blank=True)
    old_display = models.CharField(max_length=300, blank=True)
    new_display = models.CharField(max_length=300, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("task change")
        verbose_name_plural = _("task changes")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.field}: {self.old} → {self.new}"

    # The readable values were written in the language of whoever made the change: a Russian
    # manager's "К выполнению → Ждём клиента" showed on an English page. Values with labels are
    # read from the machine value in the reader's language; the rest (dates, names) as stored.
    def _label(self, raw: str, stored: str) -> str:
        if self.field == self.Field.STATUS and raw in Task.Status.values:
            return str(Task.Status(raw).label)
        if self.field == self.Field.VISIBILITY and raw in Visibility.values:
            return str(Visibility(raw).label)
        if self.field == self.Field.PINNED and raw:
            return str(_("yes") if raw not in ("False", "0", "None") else _("no"))
        return stored

    @property
    def old_label(self) -> str:
        return self._label(self.old, self.old_display)

    @property
    def new_label(self) -> str:
        return self._label(self.new, self.new_display)


class ProjectRoleChoice(models.TextChoices):
    # Who on the project team gets a generated task (matches clients.ProjectMember.ProjectRole).
    ACCOUNT_MANAGER = "account_manager", _("Account manager")
    SPECIALIST = "specialist", _("Specialist")


class Playbook(models.Model):
    """A template of tasks for a kind of project, e.g. SEO onboarding."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="ru"
    )
    service = models.CharField(_("service"), max_length=16, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Optimistic concurrency (kabinet.core.concurrency): one more on every save of the playbook
    # or its items (they are saved together, from one form).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("playbook")
        verbose_name_plural = _("playbooks")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "name", "language"], name="unique_playbook_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PlaybookItem(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    # Due this many business days after the project starts (end of that business day).
    offset_business_days = models.PositiveIntegerField(_("due after, business days"), default=0)
    estimate_hours = models.DecimalField(
        _("estimate, hours"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    role = models.CharField(
        _("role"),
        max_length=32,
        choices=ProjectRoleChoice.choices,
        default=ProjectRoleChoice.SPECIALIST,
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.CLIENT
    )
    depends_on = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="dependents",
        blank=True,
        verbose_name=_("depends on"),
    )

    class Meta:
        verbose_name = _("playbook item")
        verbose_name_plural = _("playbook items")
        ordering = ["playbook", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class PlaybookRun(models.Model):
    """A project started from a playbook (once per project and playbook)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(
        "clients.Project", on_delete=models.CASCADE, related_name="playbook_runs"
    )
    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="runs")
    start_date = models.DateField(_("start date"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "playbook"], name="one_run_per_project_playbook"
            )
        ]

    def __str__(self) -> str:
        return f"{self.playbook} → {self.project}"


class Recurrence(models.Model):
    """Recurring work on a project.

    Two modes: an RFC 5545 RRULE (python-dateutil), e.g. ``FREQ=WEEKLY;BYDAY=MO``; or "the n-th
    business day of every month" (``business_day``), which RRULE cannot say because BYSETPOS
    knows weekends but not public holidays — it is computed with the agency's business calendar.
    """

    class Mode(models.TextChoices):
        RRULE = "rrule", _("RRULE (RFC 5545)")
        BUSINESS_DAY = "business_day", _("n-th business day of every month")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(
        "clients.Project", on_delete=models.CASCADE, related_name="recurrences"
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    mode = models.CharField(
        _("repeat"), max_length=16, choices=Mode.choices, default=Mode.BUSINESS_DAY
    )
    rrule = models.CharField(_("RRULE"), max_length=500, blank=True)
    business_day = models.PositiveSmallIntegerField(
        _("business day of the month"), null=True, blank=True
    )
    due_time = models.TimeField(_("due time"), null=True, blank=True)
    assignee_role = models.CharField(
        _("assignee role"),
        max_length=32,
        choices=ProjectRoleChoice.choices,
        default=ProjectRoleChoice.SPECIALIST,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    estimate_hours = models.DecimalField(
        _("estimate, hours"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.CLIENT
    )
    # Tasks are created this many days before their due date.
    lead_days = models.PositiveSmallIntegerField(_("create days in advance"), default=7)
    starts_on = models.DateField(_("starts on"))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recurring task")
        verbose_name_plural = _("recurring tasks")
        ordering = ["project", "title"]

    def __str__(self) -> str:
        return self.title


class AutomationRule(models.Model):
    class Kind(models.TextChoices):
        QUESTION_WAITING = "question_waiting", _("A question waits too long")
        CLIENT_SILENCE = "client_silence", _("No client-visible update on a project")
        REPORT_MISSING = "report_missing", _("A reporting period ended without a report")
        PROMISE_AT_RISK = "promise_at_risk", _("A promise is due soon and its task is not done")

    DEFAULT_PARAMS: dict[str, dict] = {
        Kind.QUESTION_WAITING: {"business_hours": 4},
        Kind.CLIENT_SILENCE: {"business_days": 5},
        Kind.REPORT_MISSING: {"grace_business_days": 3},
        Kind.PROMISE_AT_RISK: {"hours": 24},
    }

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("rule"), max_length=32, choices=Kind.choices)
    enabled = models.BooleanField(_("enabled"), default=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic concurrency (kabinet.core.concurrency): one more on every save by the head.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("automation rule")
        verbose_name_plural = _("automation rules")
        ordering = ["kind"]
        constraints = [models.UniqueConstraint(fields=["agency", "kind"], name="one_rule_per_kind")]

    def __str__(self) -> str:
        return self.get_kind_display()

    def param(self, name: str) -> int | float:
        """A parameter with its default filled in."""
        value = (self.params or {}).get(name, self.DEFAULT_PARAMS.get(self.kind, {}).get(name))
        return value


class RuleFiring(models.Model):
    """A rule fired for one cause. UNIQUE(rule, cause_key) is what makes it fire once."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    rule = models.ForeignKey(AutomationRule, on_delete=models.CASCADE, related_name="firings")
    cause_key = models.CharField(max_length=200)
    fired_at = models.DateTimeField(default=timezone.now)
    task = models.ForeignKey(
        Task, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-fired_at"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "cause_key"], name="one_firing_per_cause")
        ]

    def __str__(self) -> str:
        return f"{self.rule} — {self.cause_key}"
