"""Signing in: attempts in the audit log, lock-outs with a way back, throttled reset e-mails.

django-axes counts failures and locks out by account and by address (settings ``AXES_*``); this
module writes what happened into each agency's audit trail (read by the head in the admin), limits
password-reset e-mails per account per hour without telling anyone whether the account exists, and
lifts an account's lock-out once its password has been reset by e-mail.
"""

from __future__ import annotations

from datetime import timedelta

from axes.signals import user_locked_out
from axes.utils import reset as reset_attempts
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpRequest
from django.shortcuts import render
from django.utils import timezone

from kabinet.core.models import AuditEntry, Membership, User
from kabinet.core.services import audit

RESET_SENT = "password_reset_sent"


def _address(request: HttpRequest | None) -> str:
    return (request.META.get("REMOTE_ADDR", "") if request is not None else "") or ""


def _user(email: str | None) -> User | None:
    if not email:
        return None
    return User.objects.filter(email__iexact=email.strip()).first()


def record(
    user: User, verb: str, request: HttpRequest | None, *, actor: User | None = None
) -> None:
    """One audit entry per agency the user belongs to, so each head sees it."""
    memberships = Membership.objects.filter(user=user).select_related("agency")
    for agency in {m.agency for m in memberships}:
        audit(agency=agency, actor=actor, verb=verb, obj=user, address=_address(request))


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs) -> None:
    record(user, "signed_in", request, actor=user)


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    user = _user(credentials.get("username"))
    if user is not None:
        record(user, "sign_in_failed", request)


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs) -> None:
    user = _user(username)
    if user is not None:
        record(user, "locked_out", request)


def locked_out_response(request: HttpRequest, original_response=None, credentials=None):
    """The lock-out page (429): what happened, how long to wait, and the reset link."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)


def reset_emails_this_hour(user: User) -> int:
    since = timezone.now() - timedelta(hours=1)
    membership = Membership.objects.filter(user=user).order_by("pk").first()
    if membership is None:  # nobody's audit trail to count in: count in the cache
        return cache.get(f"password-reset:{user.pk}", 0)
    return AuditEntry.objects.filter(
        agency_id=membership.agency_id,
        verb=RESET_SENT,
        object_type=User._meta.label_lower,
        object_id=str(user.pk),
        at__gte=since,
    ).count()


class ThrottledPasswordResetForm(PasswordResetForm):
    """At most ``PASSWORD_RESET_EMAILS_PER_HOUR`` e-mails per account per hour; the page that
    follows is the same whether an e-mail went out, was held back or the account does not exist."""

    request: HttpRequest | None = None

    def get_users(self, email):
        for user in super().get_users(email):
            if reset_emails_this_hour(user) >= settings.PASSWORD_RESET_EMAILS_PER_HOUR:
                record(user, "password_reset_throttled", self.request)
                continue
            record(user, RESET_SENT, self.request)
            if not Membership.objects.filter(user=user).exists():
                key = f"password-reset:{user.pk}"
                cache.set(key, cache.get(key, 0) + 1, timeout=3600)
            yield user


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ThrottledPasswordResetForm

    def form_valid(self, form):
        form.request = self.request
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A new password set from the e-mailed link is the way back from a lock-out."""

    def form_valid(self, form):
        response = super().form_valid(form)
        reset_attempts(username=form.user.get_username())
        record(form.user, "password_reset_done", self.request, actor=form.user)
        return response
