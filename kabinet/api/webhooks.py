"""Webhooks: the agency's endpoints are sent what happens, signed the Standard Webhooks way.

Flow:

1. A domain event happens (a chronology event is written, a task is completed, a promise falls
   due). ``on_event_saved`` / ``on_task_completed`` / ``promise_due`` call ``emit``, which writes
   one outbox row (``WebhookDelivery``) per active endpoint of **that event's agency** that asked
   for the kind — inside the transaction of the event, so a rolled-back event sends nothing — and
   enqueues ``kabinet.api.tasks.deliver_webhook`` once it commits. No HTTP inside a request.
2. A background worker POSTs the JSON body with httpx (``TIMEOUT``), signed with the endpoint's
   secret: ``webhook-id`` (the same on every try: the receiver's idempotency key),
   ``webhook-timestamp`` (Unix seconds of this try) and
   ``webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`` (the
   ``standardwebhooks`` package signs). A 2xx is delivered; anything else is retried after
   ``BACKOFF`` (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h), then given up. Every try is a row of
   the delivery log (status, response code, duration, error, next try).
3. ``DISABLE_AFTER`` failed tries in a row (across deliveries) disable the endpoint; the agency's
   heads are told in Kabinet and by e-mail (core notifications). A success resets the count.

What goes where: endpoints belong to the agency (only its head registers them), so they get the
agency's events, internal ones included (an internal task done, a promise broken), but never
anything of another agency: ``emit`` only ever looks at endpoints of the event's own agency.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from datetime import UTC, datetime, timedelta

import httpx
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from standardwebhooks import Webhook

from kabinet.api.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from kabinet.core.models import Role, User
from kabinet.core.scoping import Viewer, require_head

# The event kinds an endpoint can ask for: code (the payload's "type") and label.
KINDS: dict[str, object] = {
    "report.published": gettext_lazy("A report is published"),
    "question.asked": gettext_lazy("A client asks a question"),
    "question.answered": gettext_lazy("A question is answered"),
    "promise.due": gettext_lazy("A promise falls due"),
    "promise.broken": gettext_lazy("A promise is broken"),
    "promise.kept": gettext_lazy("A promise is kept"),
    "task.done": gettext_lazy("A task is done"),
    "deadline.moved": gettext_lazy("A deadline is moved"),
    # Registered; sent once the understanding index raises its drop alarm through `emit`.
    "index.dropped": gettext_lazy("A client's understanding index drops"),
}

# Standard Webhooks' recommended schedule: the first try at once, then these waits.
BACKOFF = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
)
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
DISABLE_AFTER = 15  # failed tries in a row
ROTATION_OVERLAP = timedelta(hours=24)  # the old secret still signs alongside the new one
LEASE = timedelta(minutes=2)  # a claimed try is not picked up again before this
SWEEP_BATCH = 200


# --------------------------------------------------------------------------- secrets, signing


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def sign(*, secret: str, msg_id: str, timestamp: datetime, body: str) -> str:
    """`v1,<base64 HMAC-SHA256>` of "{msg_id}.{unix seconds}.{body}" (Standard Webhooks)."""
    return Webhook(secret).sign(msg_id=msg_id, timestamp=timestamp.astimezone(UTC), data=body)


def _headers(endpoint: WebhookEndpoint, delivery: WebhookDelivery, now: datetime) -> dict:
    signatures = [
        sign(secret=endpoint.secret, msg_id=delivery.msg_id, timestamp=now, body=delivery.body)
    ]
    if (
        endpoint.previous_secret
        and endpoint.previous_secret_until
        and now < endpoint.previous_secret_until
    ):
        signatures.append(
            sign(
                secret=endpoint.previous_secret,
                msg_id=delivery.msg_id,
                timestamp=now,
                body=delivery.body,
            )
        )
    return {
        "content-type": "application/json",
        "user-agent": "Kabinet-Webhooks/1",
        "webhook-id": delivery.msg_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": " ".join(signatures),
    }


# --------------------------------------------------------------------------- endpoint services


def _clean(url: str, description: str, kinds) -> tuple[str, str, list[str]]:
    errors: dict[str, str] = {}
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        errors["url"] = _("Enter the full address the events go to, starting with https://.")
    if len(url) > 500:
        errors["url"] = _("The address is longer than 500 characters.")
    kinds = [k for k in dict.fromkeys(kinds or []) if k]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        errors["event_kinds"] = _("Unknown event kinds: %(kinds)s.") % {"kinds": ", ".join(unknown)}
    elif not kinds:
        errors["event_kinds"] = _("Choose at least one event to send.")
    description = (description or "").strip()
    if len(description) > 200:
        errors["description"] = _("The description is longer than 200 characters.")
    if errors:
        raise ValidationError(errors)
    return url, description, kinds


@transaction.atomic
def create_endpoint(
    *, viewer: Viewer, url: str, event_kinds, description: str = ""
) -> tuple[WebhookEndpoint, str]:
    """The head registers an endpoint; returns it and its secret (shown this once)."""
    require_head(viewer)
    url, description, kinds = _clean(url, description, event_kinds)
    endpoint = WebhookEndpoint.objects.create(
        agency=viewer.agency,
        owner=viewer.user,
        url=url,
        description=description,
        event_kinds=kinds,
        secret=new_secret(),
    )
    from kabinet.core.services import audit

    audit(agency=viewer.agency, actor=viewer.user, verb="webhook_created", obj=endpoint, url=url)
    return endpoint, endpoint.secret


@transaction.atomic
def change_endpoint(
    *,
    viewer: Viewer,
    endpoint: WebhookEndpoint,
    url: str,
    event_kinds,
    description: str = "",
    is_active: bool = True,
) -> WebhookEndpoint:
    """Edit an endpoint; turning it on again starts its failure count afresh."""
    endpoint = endpoint_of(viewer=viewer, pk=endpoint.pk)
    endpoint.url, endpoint.description, endpoint.event_kinds = _clean(url, description, event_kinds)
    if is_active and not endpoint.is_active:
        endpoint.consecutive_failures = 0
        endpoint.disabled_at = None
    endpoint.is_active = is_active
    endpoint.save()
    from kabinet.core.services import audit

    audit(agency=viewer.agency, actor=viewer.user, verb="webhook_changed", obj=endpoint)
    return endpoint


@transaction.atomic
def rotate_secret(*, viewer: Viewer, endpoint: WebhookEndpoint) -> str:
    """A new secret (returned, shown once); the old one also signs for ROTATION_OVERLAP."""
    endpoint = endpoint_of(viewer=viewer, pk=endpoint.pk)
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_until = timezone.now() + ROTATION_OVERLAP
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
    from kabinet.core.services import audit

    audit(agency=viewer.agency, actor=viewer.user, verb="webhook_secret_rotated", obj=endpoint)
    return endpoint.secret


@transaction.atomic
def delete_endpoint(*, viewer: Viewer, endpoint: WebhookEndpoint) -> None:
    endpoint = endpoint_of(viewer=viewer, pk=endpoint.pk)
    from kabinet.core.services import audit

    audit(
        agency=viewer.agency,
        actor=viewer.user,
        verb="webhook_deleted",
        obj=endpoint,
        url=endpoint.url,
    )
    endpoint.delete()


# --------------------------------------------------------------------------- selectors


def endpoints(*, viewer: Viewer):
    """The agency's endpoints: the head's only (anyone else: PermissionDenied → 404)."""
    require_head(viewer)
    return WebhookEndpoint.objects.filter(agency=viewer.agency)


def endpoint_of(*, viewer: Viewer, pk: int) -> WebhookEndpoint:
    return endpoints(viewer=viewer).get(pk=pk)


def delivery_log(*, viewer: Viewer, endpoint: WebhookEndpoint, limit: int = 50):
    """The endpoint's latest deliveries, each with its tries."""
    endpoint = endpoint_of(viewer=viewer, pk=endpoint.pk)
    return list(endpoint.deliveries.prefetch_related("tries")[:limit])


# --------------------------------------------------------------------------- emitting


def _msg_id() -> str:
    return "msg_" + secrets.token_urlsafe(18)


def emit(
    *, agency_id: int, kind: str, data: dict, at: datetime | None = None, dedupe_key: str = ""
) -> list[int]:
    """Write one outbox row per active endpoint of this agency that asked for `kind`.

    Call it inside the transaction of the domain event (or after it committed); the rows are sent
    by the background workers once the transaction commits.
    """
    if kind not in KINDS:
        raise ValueError(kind)
    targets = [
        e
        for e in WebhookEndpoint.objects.filter(agency_id=agency_id, is_active=True)
        if kind in e.event_kinds
    ]
    if targets and dedupe_key:
        done = set(
            WebhookDelivery.objects.filter(
                agency_id=agency_id, endpoint__in=targets, dedupe_key=dedupe_key
            ).values_list("endpoint_id", flat=True)
        )
        targets = [e for e in targets if e.pk not in done]
    if not targets:
        return []
    at = at or timezone.now()
    body = json.dumps(
        {"type": kind, "timestamp": at.isoformat(), "data": data},
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    rows = [
        WebhookDelivery.objects.create(
            agency_id=agency_id,
            endpoint=e,
            msg_id=_msg_id(),
            kind=kind,
            dedupe_key=dedupe_key,
            body=body,
            next_attempt_at=at,
        )
        for e in targets
    ]
    ids = [r.pk for r in rows]

    def enqueue() -> None:
        from kabinet.api.tasks import deliver_webhook
        from kabinet.jobs.outbox import enqueue_or_leave

        # A queue that is away leaves the delivery PENDING: api.webhooks sends it a minute later.
        for pk in ids:
            if not enqueue_or_leave(deliver_webhook, delivery_id=pk, agency_id=agency_id):
                break

    transaction.on_commit(enqueue)
    return ids


def _project(project) -> dict:
    return {"id": project.pk, "name": project.name, "company": project.company.name}


def _event(event) -> dict:
    from kabinet.api.views import event_out

    return event_out(event)


EVENT_KINDS = {
    # (chronology kind, title key or None for any) → webhook kind
    ("report", None): "report.published",
    ("question", None): "question.asked",
    ("answer", None): "question.answered",
    ("promise", "promise_kept"): "promise.kept",
    ("promise", "promise_delivered"): "promise.kept",
    ("promise", "promise_broken"): "promise.broken",
    ("deadline", None): "deadline.moved",
}


def kind_of_event(*, event) -> str | None:
    return EVENT_KINDS.get((event.kind, event.title_key)) or EVENT_KINDS.get((event.kind, None))


def on_event_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """post_save of a chronology event: the webhook kinds that are chronology events."""
    if not created or raw:
        return
    kind = kind_of_event(event=instance)
    if kind is None:
        return
    emit(
        agency_id=instance.agency_id,
        kind=kind,
        data={"project": _project(instance.project), "event": _event(instance)},
        at=instance.occurred_at,
    )


def _task_data(task) -> dict:
    return {
        "id": task.pk,
        "project_id": task.project_id,
        "title": task.title,
        "status": task.status,
        "visibility": task.visibility,
        "assignee": task.assignee.full_name if task.assignee_id else None,
        "due_at": task.due_at,
        "completed_at": task.completed_at,
    }


def _promise_data(promise) -> dict:
    return {
        "id": promise.pk,
        "project_id": promise.project_id,
        "what": promise.what,
        "state": promise.state,
        "due_at": promise.due_at,
        "promised_by": promise.promised_by.full_name,
    }


def on_task_completed(*, sender, task, actor=None, **kwargs) -> None:
    """task_completed (sent after the commit): "task.done", internal tasks too (see the module doc)."""
    with transaction.atomic():
        emit(
            agency_id=task.agency_id,
            kind="task.done",
            data={"project": _project(task.project), "task": _task_data(task)},
            at=task.completed_at,
        )


def promise_due(*, promise, now: datetime) -> None:
    """Called by the promise clock while a promise is due; sent once per endpoint and due time."""
    emit(
        agency_id=promise.agency_id,
        kind="promise.due",
        data={"project": _project(promise.project), "promise": _promise_data(promise)},
        at=now,
        dedupe_key=f"promise:{promise.pk}:due:{promise.due_at.isoformat()}",
    )


def index_dropped(*, agency_id: int, company, alarm, dedupe_key: str, now: datetime) -> None:
    """Called by the understanding alarms, once per cause (the same key as the task it creates)."""
    emit(
        agency_id=agency_id,
        kind="index.dropped",
        data={
            "company": {"id": company.pk, "name": company.name},
            "index": alarm.index,
            "since": alarm.since.isoformat(),
            "cause": alarm.kind,
            "component": alarm.component,
            "moved": alarm.moved,
        },
        at=now,
        dedupe_key=dedupe_key,
    )


# --------------------------------------------------------------------------- sending


def attempt(
    *, delivery_id: int, agency_id: int | None = None, now: datetime | None = None
) -> str | None:
    """One try of a delivery that is due; returns its new state (None: not due, or taken).

    Given its agency (the sweep and every job enqueued since it was added pass it), every
    statement of the try names it; a job enqueued without it reads the agency from the row."""
    now = now or timezone.now()
    mine = WebhookDelivery.objects.filter(pk=delivery_id)
    if agency_id is not None:
        mine = mine.filter(agency_id=agency_id)
    delivery = (
        mine.select_related("endpoint")
        .filter(state=WebhookDelivery.State.PENDING, next_attempt_at__lte=now)
        .first()
    )
    if delivery is None:
        return None
    agency_id = delivery.agency_id
    deliveries = WebhookDelivery.objects.filter(agency_id=agency_id)
    endpoints = WebhookEndpoint.objects.filter(agency_id=agency_id)
    # Claim it: whoever moves next_attempt_at first sends this try.
    if not deliveries.filter(
        pk=delivery.pk,
        state=WebhookDelivery.State.PENDING,
        next_attempt_at=delivery.next_attempt_at,
    ).update(next_attempt_at=now + LEASE):
        return None
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        deliveries.filter(pk=delivery.pk).update(
            state=WebhookDelivery.State.FAILED, next_attempt_at=None
        )
        return WebhookDelivery.State.FAILED
    status_code, error = None, ""
    started = time.monotonic()
    try:
        # Streamed and closed unread: only the status matters, whatever size the answer has.
        with httpx.stream(
            "POST",
            endpoint.url,
            content=delivery.body.encode(),
            headers=_headers(endpoint, delivery, now),
            timeout=TIMEOUT,
            follow_redirects=False,
        ) as response:
            status_code = response.status_code
        if not 200 <= status_code < 300:
            error = _("The receiver answered %(code)s.") % {"code": status_code}
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
    duration_ms = int((time.monotonic() - started) * 1000)
    number = delivery.attempts + 1
    succeeded = not error
    next_at = None if succeeded or number > len(BACKOFF) else now + BACKOFF[number - 1]
    state = (
        WebhookDelivery.State.DELIVERED
        if succeeded
        else WebhookDelivery.State.PENDING
        if next_at
        else WebhookDelivery.State.FAILED
    )
    with transaction.atomic():
        WebhookAttempt.objects.create(
            agency_id=delivery.agency_id,
            delivery=delivery,
            number=number,
            at=now,
            succeeded=succeeded,
            status_code=status_code,
            duration_ms=duration_ms,
            error=error,
            next_attempt_at=next_at,
        )
        deliveries.filter(pk=delivery.pk).update(
            state=state,
            attempts=number,
            next_attempt_at=next_at,
            delivered_at=now if succeeded else None,
        )
        if succeeded:
            endpoints.filter(pk=endpoint.pk).update(consecutive_failures=0)
        else:
            endpoints.filter(pk=endpoint.pk).update(
                consecutive_failures=F("consecutive_failures") + 1
            )
            endpoint.consecutive_failures, endpoint.is_active = endpoints.values_list(
                "consecutive_failures", "is_active"
            ).get(pk=endpoint.pk)
            if endpoint.is_active and endpoint.consecutive_failures >= DISABLE_AFTER:
                _disable(endpoint, now)
    if next_at is not None:
        _schedule(delivery.pk, agency_id, next_at)
    return state


def _schedule(delivery_id: int, agency_id: int, at: datetime) -> None:
    """Enqueue the next try for its time where the queue can defer; the sweep catches the rest."""
    from kabinet.api.tasks import deliver_webhook

    if deliver_webhook.get_backend().supports_defer:
        from kabinet.jobs.outbox import on_commit_enqueue

        on_commit_enqueue(
            deliver_webhook, run_after=at, delivery_id=delivery_id, agency_id=agency_id
        )


def _disable(endpoint: WebhookEndpoint, now: datetime) -> None:
    WebhookEndpoint.objects.filter(agency_id=endpoint.agency_id, pk=endpoint.pk).update(
        is_active=False, disabled_at=now
    )
    WebhookDelivery.objects.filter(
        agency_id=endpoint.agency_id, endpoint=endpoint, state=WebhookDelivery.State.PENDING
    ).update(state=WebhookDelivery.State.FAILED, next_attempt_at=None)
    from kabinet.core.services import audit, notify

    audit(
        agency=endpoint.agency,
        actor=None,
        verb="webhook_disabled",
        obj=endpoint,
        failures=endpoint.consecutive_failures,
    )
    heads = User.objects.filter(
        memberships__agency_id=endpoint.agency_id, memberships__role=Role.HEAD, is_active=True
    )
    for head in heads:
        with translation.override(head.language):
            notify(
                user=head,
                agency=endpoint.agency,
                kind="webhook_disabled",
                title=_("Webhook endpoint turned off: %(url)s") % {"url": endpoint.url},
                body=_(
                    "Its last %(count)s tries failed, so Kabinet stopped sending to it. "
                    "Fix the receiver, then turn the endpoint on again."
                )
                % {"count": endpoint.consecutive_failures},
                url=reverse("hooks:webhook", args=[endpoint.pk]),
                action=_("Check the delivery log and turn the endpoint on again"),
                dedupe_key=f"webhook:{endpoint.pk}:disabled:{now.isoformat()}",
            )


def send_due(*, now: datetime | None = None) -> int:
    """Every try that is due (retries, and first tries whose job was lost); returns how many.

    One agency at a time (the agencies are a reference table): one query takes the agency's
    due tries, oldest first, at most SWEEP_BATCH of them (found through the index on the state),
    then each is tried in its agency (`attempt`: claimed under a lease, so a try that another
    worker is sending is not sent again). One agency's backlog does not hold back another's."""
    from kabinet.core.models import Agency

    now = now or timezone.now()
    sent = 0
    for agency_id in Agency.objects.order_by("pk").values_list("pk", flat=True):
        due = list(
            WebhookDelivery.objects.filter(
                agency_id=agency_id, state=WebhookDelivery.State.PENDING, next_attempt_at__lte=now
            )
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:SWEEP_BATCH]
        )
        sent += sum(
            1 for pk in due if attempt(delivery_id=pk, agency_id=agency_id, now=now) is not None
        )
    return sent
