"""The "question_waiting" automation rule: a question waiting longer than N business hours
becomes a follow-up task for its assignee (once per waiting period)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _

from kabinet.questions.models import Message, SlaPolicy, Status, Thread
from kabinet.questions.services import policy_for, sla_state
from kabinet.work.models import AutomationRule
from kabinet.work.rules import evaluator, fire_many, not_yet_fired


@evaluator(AutomationRule.Kind.QUESTION_WAITING)
def question_waiting(rule: AutomationRule, now: datetime) -> int:
    """The cause is one waiting period (first response, or the n-th next response), so the same
    wait fires once and a new client message that is left waiting fires again."""
    from kabinet.work.services import TaskSpec

    limit = timedelta(hours=float(rule.param("business_hours")))
    calendar = rule.agency.calendar()
    policies = {p.tier: p for p in SlaPolicy.objects.filter(agency=rule.agency)}
    waiting_threads: list[tuple[Thread, object, str]] = []
    threads = (
        Thread.objects.filter(agency=rule.agency, status=Status.WAITING_AGENCY)
        .select_related("project", "project__company", "project__agency", "assignee")
        .prefetch_related(Prefetch("messages", queryset=Message.objects.filter(agency=rule.agency)))
    )
    for thread in threads:
        result = sla_state(
            thread=thread,
            now=now,
            calendar=calendar,
            policy=policy_for(project=thread.project, policies=policies),
            messages=list(thread.messages.all()),
        )
        waiting = next(
            (c for c in reversed(result.clocks) if c.running and c.target.value != "resolution"),
            None,
        )
        if waiting is None or waiting.elapsed < limit:
            continue
        cause = f"question:{thread.pk}:{waiting.target.value}:{waiting.cycle}"
        waiting_threads.append((thread, waiting, cause))
    new = not_yet_fired(rule, [cause for _t, _w, cause in waiting_threads])
    items: list[tuple[str, TaskSpec | None]] = []
    for thread, waiting, cause in waiting_threads:
        if cause not in new:
            continue
        person = thread.assignee
        with translation.override(person.language if person else "ru"):
            title = _("Answer the client's question: %(subject)s") % {"subject": thread.subject}
            body = _("The question has been waiting for %(hours)s business hours.") % {
                "hours": f"{waiting.elapsed.total_seconds() / 3600:.1f}"
            }
        spec = TaskSpec(
            project=thread.project,
            title=title,
            description=body,
            assignee=person,
            due_at=waiting.due_at
            if waiting.due_at and waiting.due_at > now
            else calendar.end_of_business_day(now),
            source=thread,
            dedupe_key=f"rule:{rule.pk}:{cause}",
        )
        items.append((cause, spec))
    return len(fire_many(rule, items))
