"""Builders for tests: the personas of DESIGN.md and the objects around them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kabinet.clients.models import ClientCompany, Project, ProjectMember, Service, Tier
from kabinet.core.models import Agency, Membership, Role, User

PASSWORD = "kabinet-test-password"


def make_agency(slug: str = "agency", name: str = "Агентство", **extra) -> Agency:
    return Agency.objects.create(slug=slug, name=name, **extra)


def make_user(
    agency: Agency,
    email: str,
    role: str,
    *,
    company: ClientCompany | None = None,
    full_name: str = "",
    language: str = "ru",
) -> User:
    user = User.objects.create_user(
        email=email,
        password=PASSWORD,
        full_name=full_name or email.split("@")[0].title(),
        language=language,
    )
    Membership.objects.create(agency=agency, user=user, role=role, company=company)
    return user


def make_company(
    agency: Agency, name: str, tier: str = Tier.STANDARD, language: str = "ru"
) -> ClientCompany:
    return ClientCompany.objects.create(agency=agency, name=name, tier=tier, language=language)


def make_project(
    company: ClientCompany,
    name: str = "SEO",
    *,
    service: str = Service.SEO,
    manager: User | None = None,
    specialists: tuple[User, ...] = (),
    budget: int = 100000,
    tier: str | None = None,
) -> Project:
    project = Project.objects.create(
        agency=company.agency,
        company=company,
        name=name,
        service=service,
        start_date=date(2026, 1, 1),
        monthly_budget=Decimal(budget),
        tier=tier or company.tier,
    )
    if manager:
        ProjectMember.objects.create(
            agency=company.agency,
            project=project,
            user=manager,
            role=ProjectMember.ProjectRole.ACCOUNT_MANAGER,
            responsibility="Связь с клиентом",
        )
    for specialist in specialists:
        ProjectMember.objects.create(
            agency=company.agency,
            project=project,
            user=specialist,
            role=ProjectMember.ProjectRole.SPECIALIST,
            responsibility="SEO",
        )
    return project


def flush_emails(minutes: int = 15) -> int:
    """Send the notification e-mails that would have gone out `minutes` after the latest
    notification (or after now, whichever is later): batched per person, as the job does."""
    from datetime import timedelta

    from django.db.models import Max
    from django.utils import timezone

    from kabinet.core.models import Notification
    from kabinet.core.services import send_due_emails

    latest = Notification.objects.aggregate(at=Max("created_at"))["at"]
    now = max(timezone.now(), latest) if latest else timezone.now()
    return send_due_emails(now=now + timedelta(minutes=minutes))


__all__ = [
    "PASSWORD",
    "Role",
    "flush_emails",
    "make_agency",
    "make_user",
    "make_company",
    "make_project",
]
