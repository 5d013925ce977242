"""Generated titles become a key plus parameters; the agency's silence counts only the agency's items.

Existing rows: a title Kabinet wrote (in Russian or English) is recognised by its frame, for the
event kinds that frame is used on, and stored as key + parameters, so it is rendered in each
reader's language from now on. Titles people typed are left as they are.

`Project.last_client_update_at` is recomputed from the client-visible events written by the
agency's people: the client's own questions, ratings and decisions no longer end a silence.

The frames are copied here (not imported) so this migration means the same thing forever.
"""

from __future__ import annotations

import re

from django.db import migrations, models
from django.db.models import Max

# key: (event kinds, source_type or None for any, [frames in English and Russian])
FRAMES: dict[str, tuple[tuple[str, ...], str | None, list[str]]] = {
    "promise_made": (
        ("promise",),
        None,
        ["Promise: %(what)s by %(due)s", "Обещание: %(what)s до %(due)s"],
    ),
    "promise_kept": (
        ("promise",),
        None,
        ["Promise kept: %(what)s", "Обещание выполнено: %(what)s"],
    ),
    "promise_moved": (
        ("promise",),
        None,
        [
            "Promise moved: %(what)s — now by %(due)s",
            "Срок обещания перенесён: %(what)s — теперь до %(due)s",
        ],
    ),
    "promise_broken": (
        ("promise",),
        None,
        [
            "Promise not kept on time: %(what)s (was due %(due)s)",
            "Обещание не выполнено в срок: %(what)s (срок был %(due)s)",
        ],
    ),
    "answer_rated": (
        ("message",),
        "questions.message",
        [
            "Answer rated %(rating)s/5: %(subject)s",
            "Ответ оценён на %(rating)s/5: %(subject)s",
        ],
    ),
    "answer": (("answer",), None, ["Answer: %(subject)s", "Ответ: %(subject)s"]),
    "follow_up": (
        ("question",),
        None,
        ["Follow-up: %(subject)s", "Дополнение к вопросу: %(subject)s"],
    ),
    "still_questions": (
        ("question",),
        None,
        ["Still have questions: %(subject)s", "Остались вопросы: %(subject)s"],
    ),
    "question_resolved": (
        ("message",),
        "questions.message",
        [
            "Question resolved: %(subject)s",
            "Вопрос решён: %(subject)s",
        ],
    ),
    "internal_note": (
        ("message",),
        "questions.message",
        [
            "Internal note on: %(subject)s",
            "Внутренняя заметка к вопросу: %(subject)s",
        ],
    ),
    "deadline_moved": (
        ("deadline",),
        None,
        ["Deadline moved: %(title)s", "Срок перенесён: %(title)s"],
    ),
    "task_done": (("task",), None, ["Done: %(title)s", "Сделано: %(title)s"]),
    "new_deadline": (
        ("message",),
        "planning.deadlineproposal",
        ["New deadline: %(title)s", "Новый срок: %(title)s"],
    ),
    "approved": (("decision",), None, ["Approved: %(title)s", "Согласовано: %(title)s"]),
    "declined": (("decision",), None, ["Declined: %(title)s", "Отклонено: %(title)s"]),
    "commented": (("decision",), None, ["Comment on: %(title)s", "Комментарий: %(title)s"]),
}


def pattern(frame: str) -> re.Pattern[str]:
    parts = re.split(r"%\((\w+)\)s", frame)
    out = ""
    for i, part in enumerate(parts):
        out += re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)"
    return re.compile(f"^{out}$", re.DOTALL)


def match(kind: str, source_type: str, title: str) -> tuple[str, dict[str, str]] | None:
    for key, (kinds, source, frames) in FRAMES.items():
        if kind not in kinds or (source is not None and source_type != source):
            continue
        for frame in frames:
            found = pattern(frame).match(title)
            if found:
                return key, found.groupdict()
    return None


def forwards(apps, schema_editor):
    Event = apps.get_model("timeline", "Event")
    kinds = sorted({k for kinds, _s, _f in FRAMES.values() for k in kinds})
    changed = []
    for event in (
        Event.objects.filter(kind__in=kinds, title_key="")
        .only("pk", "kind", "source_type", "title")
        .iterator()
    ):
        found = match(event.kind, event.source_type, event.title)
        if found:
            event.title_key, event.title_params = found
            changed.append(event)
        if len(changed) >= 500:
            Event.objects.bulk_update(changed, ["title_key", "title_params"])
            changed = []
    if changed:
        Event.objects.bulk_update(changed, ["title_key", "title_params"])

    Project = apps.get_model("clients", "Project")
    Membership = apps.get_model("core", "Membership")
    for project in Project.objects.all().only("pk", "agency_id"):
        clients = Membership.objects.filter(agency_id=project.agency_id, role="client").values(
            "user_id"
        )
        latest = (
            Event.objects.filter(project_id=project.pk, visibility="client", author__isnull=False)
            .exclude(author_id__in=clients)
            .aggregate(at=Max("occurred_at"))["at"]
        )
        Project.objects.filter(pk=project.pk).update(last_client_update_at=latest)


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0002_search_index"),
        ("clients", "0002_initial"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="event", name="title_key", field=models.CharField(blank=True, max_length=32)
        ),
        migrations.AddField(
            model_name="event",
            name="title_params",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
