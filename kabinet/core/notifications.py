"""What people are told about, grouped into topics each person sets to: immediately, daily, or off.

A notification's `kind` (``"sla_breach"``, ``"decision_requested"``…) belongs to one topic; the
person's choice for that topic decides whether the notification is created at all and how its
e-mail goes out:

- immediately — shown in Kabinet and e-mailed within minutes; several notifications to one person
  within a few minutes go out as one e-mail (``services.send_due_emails``);
- daily — shown in Kabinet and collected into one digest e-mail each morning
  (``services.send_digests``);
- off — not created.

The topics are the settings page's rows; clients see the client topics, staff the staff ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import models
from django.utils.functional import Promise as LazyText
from django.utils.translation import gettext_lazy as _


class Delivery(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("In a daily digest")
    OFF = "off", _("Not at all")


# Notifications to one person closer together than this go out as one e-mail: the e-mail is sent
# once nothing new has come for QUIET, and never later than MAX_WAIT after the first one.
QUIET = timedelta(minutes=2)
MAX_WAIT = timedelta(minutes=10)
# The daily digest goes out at this hour of the agency's local time.
DIGEST_HOUR = 9


@dataclass(frozen=True)
class Topic:
    code: str
    label: LazyText
    audience: str  # "client" or "staff"
    kinds: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    default: str = Delivery.IMMEDIATELY


TOPICS: tuple[Topic, ...] = (
    # What a client is told.
    Topic("documents", _("A report or a plan is published"), "client", ("document_published",)),
    Topic(
        "decisions",
        _("A recommendation waits for my decision, and reminders while it waits"),
        "client",
        ("decision_requested", "decision_reminder"),
    ),
    Topic("deadlines", _("A deadline is moved"), "client", ("deadline_moved",)),
    Topic(
        "promise_news",
        _("A promise to me is kept or gets a new date"),
        "client",
        ("promise_kept", "promise_renegotiated"),
    ),
    Topic("answers", _("My question is answered"), "client", ("question_answered",)),
    Topic("weekly_digest", _("The weekly digest of my project"), "client", ("weekly_digest",)),
    # What the agency's people are told.
    Topic(
        "client_decisions",
        _("A client decides on a recommendation, or has not decided for long"),
        "staff",
        ("client_decided", "decision_waiting"),
    ),
    Topic(
        "promise_tasks", _("A task linked to a promise is done"), "staff", ("promise_keep_offer",)
    ),
    Topic(
        "promises", _("Promises: reminders, risks and breaches"), "staff", prefixes=("promise_",)
    ),
    Topic(
        "questions",
        _("Client questions: new, follow-ups, reopened, rated"),
        "staff",
        prefixes=("question_",),
    ),
    Topic("sla", _("SLA warnings and breaches"), "staff", prefixes=("sla_",)),
    Topic(
        "results",
        _("Results: expectations and trends against forecasts, KPI sources needing a token"),
        "staff",
        prefixes=("kpi_",),
    ),
    Topic(
        "tasks",
        _("Tasks given to me"),
        "staff",
        ("task_assigned", "playbook_started"),
        prefixes=("task_",),
    ),
)
BY_CODE = {topic.code: topic for topic in TOPICS}
# Notifications whose text is the message itself (a letter): their e-mail carries it whole.
WHOLE_TEXT_KINDS = frozenset({"weekly_digest"})


def topic_for(kind: str) -> Topic | None:
    """The topic of a notification kind: an exact kind first, then the longest matching prefix."""
    for topic in TOPICS:
        if kind in topic.kinds:
            return topic
    matches = [(len(p), t) for t in TOPICS for p in t.prefixes if kind.startswith(p)]
    return max(matches, key=lambda m: m[0])[1] if matches else None


def topics_for(is_client: bool) -> list[Topic]:
    audience = "client" if is_client else "staff"
    return [topic for topic in TOPICS if topic.audience == audience]


def delivery_for(user, agency, kind: str) -> str:
    """How this person (in `agency`) wants notifications of this kind (kinds outside every topic:
    immediately)."""
    topic = topic_for(kind)
    if topic is None:
        return Delivery.IMMEDIATELY
    from kabinet.core.models import NotificationPreference

    chosen = (
        NotificationPreference.objects.filter(agency=agency, user=user, topic=topic.code)
        .values_list("delivery", flat=True)
        .first()
    )
    return chosen or topic.default
