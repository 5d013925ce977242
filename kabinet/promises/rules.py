"""The "promise at risk" automation rule: a promise due within N hours whose task is not done."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from kabinet.core.formatting import format_due
from kabinet.core.models import Role, User
from kabinet.core.services import Notice, notify_many
from kabinet.promises.models import PENDING_STATES, Promise
from kabinet.work.models import AutomationRule, Task
from kabinet.work.rules import evaluator, fire_many, not_yet_fired


@evaluator(AutomationRule.Kind.PROMISE_AT_RISK)
def promise_at_risk(rule: AutomationRule, now: datetime) -> int:
    """Escalate to the promiser and the heads, once per promise and due date (a new date may fire again).

    "Not done" means: no linked task, or the linked task is still open.
    """
    hours = float(rule.param("hours"))
    at_risk = (
        Promise.objects.filter(
            agency_id=rule.agency_id,
            state__in=PENDING_STATES,
            due_at__gt=now,
            due_at__lte=now + timedelta(hours=hours),
        )
        .exclude(task__status__in=Task.CLOSED_STATUSES)
        .select_related("promised_by", "project__agency", "project__company")
    )
    heads = list(
        User.objects.filter(
            memberships__agency_id=rule.agency_id, memberships__role=Role.HEAD, is_active=True
        )
    )
    at_risk = list(at_risk)
    cause = {p.pk: f"promise:{p.pk}:{p.due_at.isoformat()}" for p in at_risk}
    new = not_yet_fired(rule, cause.values())
    at_risk = [p for p in at_risk if cause[p.pk] in new]
    if not at_risk:
        return 0
    with transaction.atomic():  # a failure to tell undoes the firings: they fire next run
        fired = fire_many(rule, [(cause[p.pk], None) for p in at_risk])
        now_fired = {c for c, _task in fired}
        notices = []
        for promise in at_risk:
            if cause[promise.pk] not in now_fired:
                continue
            people = {promise.promised_by_id: promise.promised_by, **{h.pk: h for h in heads}}
            for person in people.values():
                with translation.override(person.language):
                    notices.append(
                        Notice(
                            user=person,
                            agency=promise.project.agency,
                            kind="promise_at_risk",
                            title=_("Promise at risk: %(what)s (%(client)s)")
                            % {"what": promise.what, "client": promise.project.company.name},
                            body=_("Due %(due)s, promised by %(who)s, and its task is not done.")
                            % {
                                "due": format_due(promise.project.agency, promise.due_at, now=now),
                                "who": promise.promised_by.full_name,
                            },
                            url=reverse("promise", args=[promise.pk]),
                            dedupe_key=f"promise:{promise.pk}:at-risk:{promise.due_at.isoformat()}",
                        )
                    )
        notify_many(notices=notices)
    return len(fired)
