"""Client companies, their projects (one service line each) and the project teams."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kabinet.core.models import Agency


class Tier(models.TextChoices):
    STANDARD = "standard", _("Standard")
    GOLD = "gold", _("Gold")
    PLATINUM = "platinum", _("Platinum")


class ClientCompany(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="companies")
    name = models.CharField(_("name"), max_length=200)
    website = models.URLField(_("website"), blank=True)
    tier = models.CharField(
        _("client tier"), max_length=16, choices=Tier.choices, default=Tier.STANDARD
    )
    language = models.CharField(
        _("language of communication"), max_length=8, choices=settings.LANGUAGES, default="ru"
    )
    # The day the client stopped working with the agency (the head marks it); the understanding
    # index's backtest compares the clients who left with those who stayed.
    left_on = models.DateField(_("left the agency on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("client company")
        verbose_name_plural = _("client companies")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="unique_company_name")
        ]

    def __str__(self) -> str:
        return self.name


class Service(models.TextChoices):
    SEO = "seo", _("SEO")
    PPC = "ppc", _("PPC")
    SMM = "smm", _("SMM")
    ANALYTICS = "analytics", _("Analytics")
    DEVELOPMENT = "development", _("Development")
    OTHER = "other", _("Other")


class Project(models.Model):
    """One service line for one client company."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        PAUSED = "paused", _("paused")
        CLOSED = "closed", _("closed")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="projects")
    company = models.ForeignKey(ClientCompany, on_delete=models.CASCADE, related_name="projects")
    name = models.CharField(_("name"), max_length=200)
    service = models.CharField(_("service"), max_length=16, choices=Service.choices)
    start_date = models.DateField(_("start date"))
    monthly_budget = models.DecimalField(
        _("monthly budget"), max_digits=12, decimal_places=2, default=0
    )
    currency = models.CharField(_("currency"), max_length=3, default="RUB")
    tier = models.CharField(_("tier"), max_length=16, choices=Tier.choices, default=Tier.STANDARD)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    # Denormalised for the "days of silence" list; kept by timeline services.
    last_client_update_at = models.DateTimeField(
        _("last client-visible update"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["company__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "name"], name="unique_project_name_per_company"
            )
        ]

    def __str__(self) -> str:
        return f"{self.company} — {self.name}"

    @property
    def account_manager(self):
        member = next(
            (m for m in self.members.all() if m.role == ProjectMember.ProjectRole.ACCOUNT_MANAGER),
            None,
        )
        return member.user if member else None


class ProjectMember(models.Model):
    """Who is on a project and what each person is responsible for — shown to the client."""

    class ProjectRole(models.TextChoices):
        ACCOUNT_MANAGER = "account_manager", _("Account manager")
        SPECIALIST = "specialist", _("Specialist")
        CONSULTANT = "consultant", _("Consultant")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_memberships"
    )
    role = models.CharField(_("role on the project"), max_length=32, choices=ProjectRole.choices)
    responsibility = models.CharField(_("responsible for"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("project team member")
        verbose_name_plural = _("project team")
        ordering = ["role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="one_seat_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"
