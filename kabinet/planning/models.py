"""Priorities and schedules: the agency's factor weights, each planning run, every open task's
forecast (replaced per run) and the deadline moves proposed to a manager.

The engine (kabinet.lib.scheduling) computes; these rows keep what it said so pages read them
without re-running it, and a person accepts or rejects every proposed move.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kabinet.core.models import Agency
from kabinet.lib.scheduling.priority import DEFAULT_WEIGHTS

DEFAULT_CAPACITY_HOURS = 6


def default_weights() -> dict[str, float]:
    return dict(DEFAULT_WEIGHTS)


class PriorityWeights(models.Model):
    """How much each factor counts, per agency (the head edits it); engine defaults otherwise."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="priority_weights")
    weights = models.JSONField(_("factor weights"), default=default_weights)
    # Focused work a person does a day: the first N working hours of each business day.
    capacity_hours = models.DecimalField(
        _("daily capacity, hours"), max_digits=4, decimal_places=2, default=DEFAULT_CAPACITY_HOURS
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    # Optimistic concurrency (kabinet.core.concurrency): one more on every save by a person.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("priority weights")
        verbose_name_plural = _("priority weights")

    def __str__(self) -> str:
        return f"{self.agency}: {self.weights}"

    def merged(self) -> dict[str, float]:
        out = default_weights()
        out.update({k: float(v) for k, v in (self.weights or {}).items() if k in out})
        return out


class PlanRequest(models.Model):
    """A dirty flag per agency: set when tasks change, cleared by the job that replans.

    Any number of changes (and enqueued jobs) before the job runs make one planning run.
    """

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="+")
    dirty = models.BooleanField(default=False)
    requested_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.agency_id}: {'dirty' if self.dirty else 'clean'}"


class PlanRun(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=100, blank=True)
    started_at = models.DateTimeField(default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    total_weighted_lateness = models.FloatField(default=0)
    late_count = models.PositiveIntegerField(default=0)
    task_count = models.PositiveIntegerField(default=0)
    # Hash of everything the plan depends on except the clock; equal hash + recent run = no rerun.
    inputs_hash = models.CharField(max_length=64, blank=True)
    conflicts = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("planning run")
        verbose_name_plural = _("planning runs")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["agency", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.agency_id} @ {self.started_at:%Y-%m-%d %H:%M}"


class TaskForecast(models.Model):
    """What the latest run predicts for one open task (all rows of an agency replaced per run)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    task = models.OneToOneField("work.Task", on_delete=models.CASCADE, related_name="forecast")
    plan_run = models.ForeignKey(PlanRun, on_delete=models.CASCADE, related_name="forecasts")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    weight = models.FloatField(_("priority"))
    predicted_start = models.DateTimeField(_("predicted start"), null=True, blank=True)
    predicted_finish = models.DateTimeField(_("predicted finish"), null=True, blank=True)
    late_hours = models.FloatField(_("hours late"), default=0)
    # Business hours between the predicted finish and the due date (negative: late).
    slack_hours = models.FloatField(null=True, blank=True)
    rank = models.PositiveIntegerField(_("place in the queue"), null=True, blank=True)
    # No assignee, or the work does not fit in the planning horizon.
    unscheduled = models.BooleanField(default=False)
    one_line = models.CharField(_("why it is here"), max_length=500)
    # {"one_line": {"ru": .., "en": ..}, "decisive": [factor, ..],
    #  "factors": [[factor, value, contribution], ..], "base": float, "remaining_hours": float,
    #  "estimated": bool, "segments": [[iso, iso], ..], "notes": [..]}
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("task forecast")
        verbose_name_plural = _("task forecasts")
        ordering = ["person_id", "rank"]
        indexes = [models.Index(fields=["agency", "person", "rank"])]

    def __str__(self) -> str:
        return f"{self.task_id}: #{self.rank} {self.predicted_finish}"

    @property
    def is_late(self) -> bool:
        return self.late_hours > 0

    @property
    def why(self) -> str:
        """The one-line reason in the reader's language."""
        lines = (self.details or {}).get("one_line") or {}
        lang = (get_language() or "ru")[:2]
        return lines.get(lang) or self.one_line


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("awaiting a decision")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")
    # The plan no longer needs the move (the task is done, or on time again).
    WITHDRAWN = "withdrawn", _("no longer needed")


class DeadlineProposal(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    task = models.ForeignKey(
        "work.Task", on_delete=models.CASCADE, related_name="deadline_proposals"
    )
    plan_run = models.ForeignKey(
        PlanRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    old_due = models.DateTimeField(_("current due date"))
    new_due = models.DateTimeField(_("proposed due date"))
    lateness_hours = models.FloatField(_("predicted lateness, hours"))
    # Ready-to-edit message to the client in the company's language; empty for internal tasks.
    message = models.TextField(_("message to the client"), blank=True)
    # Internal: why the plan needs the move (staff only). The client is given `client_reason`.
    reason = models.TextField(_("reason"), blank=True)
    client_reason = models.CharField(_("reason given to the client"), max_length=500, blank=True)
    # Set when a manager asked for this move of a committed date (an accepted date or a promise):
    # the planner never proposes moving a commitment by itself.
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("why rejected"), blank=True)

    class Meta:
        verbose_name = _("deadline proposal")
        verbose_name_plural = _("deadline proposals")
        ordering = ["-lateness_hours", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"],
                condition=models.Q(status="pending"),
                name="one_pending_proposal_per_task",
            )
        ]
        indexes = [models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.old_due} → {self.new_due} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == ProposalStatus.PENDING


# --------------------------------------------------------------------------- people


class Skill(models.Model):
    """One word of the agency's small controlled vocabulary of skills (SEO, PPC, analytics…),
    edited by the head: people have skills, a task may need one."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("skill"), max_length=60)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="unique_skill_per_agency")
        ]

    def __str__(self) -> str:
        return self.name


class PersonSchedule(models.Model):
    """How one person really works: own working hours and days (empty: the agency's), own daily
    capacity (empty: the agency's) and skills. Edited by the person or the head."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="schedules"
    )
    work_start = models.TimeField(_("working day starts"), null=True, blank=True)
    work_end = models.TimeField(_("working day ends"), null=True, blank=True)
    # Working weekdays, 0 = Monday; empty: the agency's.
    weekdays = models.JSONField(_("working days of the week"), default=list, blank=True)
    capacity_hours = models.DecimalField(
        _("daily capacity, hours"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="people")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("working schedule")
        verbose_name_plural = _("working schedules")
        constraints = [
            models.UniqueConstraint(fields=["agency", "user"], name="one_schedule_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.work_start}-{self.work_end} {self.weekdays}"


class AbsenceKind(models.TextChoices):
    VACATION = "vacation", _("vacation")
    SICK = "sick", _("sick leave")
    DAY_OFF = "day_off", _("day off")


class Absence(models.Model):
    """Whole days a person does not work (inclusive); the planner plans around them at once."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="absences"
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=AbsenceKind.choices, default=AbsenceKind.VACATION
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["starts_on", "pk"]
        indexes = [models.Index(fields=["agency", "user", "ends_on"])]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} {self.starts_on}–{self.ends_on}"


class ReassignmentProposal(models.Model):
    """The plan's proposal to give a late task to another person (with the skill and a seat on the
    project) because that removes lateness. Nothing moves until a manager accepts."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    task = models.ForeignKey(
        "work.Task", on_delete=models.CASCADE, related_name="reassignment_proposals"
    )
    plan_run = models.ForeignKey(
        PlanRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    to_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # The due date when proposed: a rejection holds for it (the cause) until things change.
    due_at = models.DateTimeField(null=True, blank=True)
    late_hours_before = models.FloatField(_("late now, hours"))
    late_hours_after = models.FloatField(_("late after the move, hours"))
    new_finish = models.DateTimeField(_("predicted finish after the move"), null=True, blank=True)
    saves = models.FloatField(_("weighted lateness saved"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("why rejected"), blank=True)

    class Meta:
        verbose_name = _("reassignment proposal")
        verbose_name_plural = _("reassignment proposals")
        ordering = ["-saves", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"],
                condition=models.Q(status="pending"),
                name="one_pending_reassignment_per_task",
            )
        ]
        indexes = [models.Index(fields=["agency", "status"])]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.from_person_id} → {self.to_person_id} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == ProposalStatus.PENDING
