"""Thin views: parse, call a selector or service, render. Scoping lives in selectors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kabinet.core import concurrency, errors
from kabinet.core.decorators import once_per_form, viewer_required
from kabinet.core.scoping import project_or_404, require_head, staff_project_or_404
from kabinet.promises import selectors as promises
from kabinet.work import selectors, services
from kabinet.work.forms import (
    MoveDueForm,
    PlaybookForm,
    PlaybookItemFormSet,
    RecurrenceForm,
    RuleForm,
    StartPlaybookForm,
    TaskForm,
)
from kabinet.work.models import Recurrence, Task


@viewer_required
def board(request: HttpRequest) -> HttpResponse:
    viewer = request.viewer
    if viewer.is_client:
        return redirect("projects")
    if not viewer.is_manager:
        return redirect("planning:queue")
    person = None
    if request.GET.get("person", "").isdigit():
        person = selectors.person_or_404(viewer, int(request.GET["person"]))
    group = "person" if request.GET.get("group") == "person" else "project"
    sections = selectors.board(viewer, person=person, query=request.GET)
    return render(
        request,
        "work/board.html",
        {
            "sections": sections,
            "group": group,
            "person": person,
            "people": selectors.colleagues(viewer),
        },
    )


@viewer_required
def project_tasks(request: HttpRequest, project_id: int) -> HttpResponse:
    viewer = request.viewer
    project = project_or_404(viewer, project_id)
    start_form = None
    if viewer.is_manager:
        start_form = StartPlaybookForm(
            playbooks=selectors.playbook_choices(viewer), initial={"start": timezone.localdate()}
        )
    return render(
        request,
        "work/project_tasks.html",
        {
            "project": project,
            "tasks": selectors.project_tasks(viewer, project),
            "now": timezone.now(),
            "start_form": start_form,
        },
    )


def _task_form(request: HttpRequest, project, task: Task | None = None, data=None) -> TaskForm:
    viewer = request.viewer
    others = selectors.tasks(viewer).filter(project=project, status__in=Task.OPEN_STATUSES)
    if task is not None:
        others = others.exclude(pk=task.pk)
    initial = None
    if task is not None:
        initial = {
            "title": task.title,
            "description": task.description,
            "assignee": task.assignee_id,
            "estimate_hours": task.estimate_hours,
            "due_at": task.due_at and timezone.localtime(task.due_at),
            "visibility": task.visibility,
            "status": task.status,
            "priority_boost": task.priority_boost,
            "blocked_by": selectors.blocker_ids(viewer, task),
            "skill": task.skill_id,
            "version": task.version,
        }
    from kabinet.planning.selectors import skills

    return TaskForm(
        data if data is not None else (request.POST or None),
        initial=initial,
        people=selectors.colleagues(viewer),
        project_tasks=others,
        skills=skills(viewer),
        editing=task is not None,
    )


@viewer_required
@once_per_form
def task_create(request: HttpRequest, project_id: int) -> HttpResponse:
    viewer = request.viewer
    project = staff_project_or_404(viewer, project_id)
    form = _task_form(request, project)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.create_task(
                viewer=viewer.user,
                project=project,
                title=data["title"],
                description=data["description"],
                assignee=data["assignee"],
                estimate_hours=data["estimate_hours"],
                due_at=data["due_at"],
                visibility=data["visibility"],
                blocked_by=data["blocked_by"],
                status=data["status"],
                skill=data["skill"],
            )
            if data["priority_boost"]:
                services.change_task(
                    viewer=viewer.user, task=task, priority_boost=data["priority_boost"]
                )
        except ValidationError as exc:
            errors.onto_form(form, exc)
        else:
            messages.success(request, _("Task created."))
            return redirect("work:task", task.pk)
    return render(
        request,
        "work/task_form.html",
        {"form": form, "project": project, "task": None},
        status=400 if form.errors else 200,
    )


@viewer_required
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.viewer
    task = selectors.task_detail(viewer, pk)
    context = {
        "task": task,
        "project": task.project,
        "history": selectors.task_history(viewer, task),
        "blockers": selectors.blockers(viewer, task),
        "now": timezone.now(),
        "task_promises": list(promises.task_promises(viewer, task)),
    }
    if viewer.is_staff:
        from kabinet.planning import selectors as planning

        context["move_form"] = MoveDueForm(initial=_move_initial(task))
        context["forecast"] = planning.task_forecast(viewer, task)
    return render(request, "work/task_detail.html", context)


@viewer_required
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.viewer
    task = selectors.staff_task_or_404(viewer, pk)
    form = _task_form(request, task.project, task)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason", "")
        version = data.pop("version", None)
        try:
            services.change_task(
                viewer=viewer.user, task=task, reason=reason, version=version, **data
            )
        except concurrency.EditConflict as exc:
            # Nothing was saved: her values stay in the form next to the stored ones.
            task.refresh_from_db()
            data = request.POST.copy()
            data["version"] = str(exc.version)
            form = _task_form(request, task.project, task, data=data)
            form.is_valid()
            return render(
                request,
                "work/task_form.html",
                {
                    "form": form,
                    "project": task.project,
                    "task": task,
                    "conflict": concurrency.conflict_context(exc, form),
                },
                status=errors.CONFLICT,
            )
        except ValidationError as exc:
            errors.onto_form(form, exc)
        else:
            messages.success(request, _("Task saved."))
            return redirect("work:task", task.pk)
    return render(
        request,
        "work/task_form.html",
        {"form": form, "project": task.project, "task": task},
        status=400 if form.errors else 200,
    )


def _move_initial(task: Task) -> dict:
    return {"due_at": task.due_at and timezone.localtime(task.due_at), "version": task.version}


@viewer_required
def task_move(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = request.viewer
    task = selectors.staff_task_or_404(viewer, pk)
    form = MoveDueForm(request.POST or None, initial=_move_initial(task))
    if request.method == "POST" and form.is_valid():
        try:
            services.change_task(
                viewer=viewer.user,
                task=task,
                due_at=form.cleaned_data["due_at"],
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except concurrency.EditConflict as exc:
            # Someone changed the task since the page was loaded (moved the date, say): nothing
            # was written and the client was told nothing. Her date and reason stay in the form
            # (its hidden version moved on) next to the deadline saved now, the one field of the
            # task this form changes.
            task.refresh_from_db()
            form = concurrency.rebound(MoveDueForm, request.POST, exc)
            conflict = concurrency.conflict_context(exc, form)
            conflict["rows"] = [r for r in conflict["rows"] if r["name"] == "due_at"]
            return render(
                request,
                "work/task_move.html",
                {"form": form, "task": task, "project": task.project, "conflict": conflict},
                status=errors.CONFLICT,
            )
        except ValidationError as exc:
            errors.onto_form(form, exc)
        else:
            messages.success(request, _("The due date is moved."))
            return redirect("work:task", task.pk)
    return render(
        request,
        "work/task_move.html",
        {"form": form, "task": task, "project": task.project},
        status=400 if form.errors else 200,
    )


@viewer_required
def task_complete(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.staff_task_or_404(request.viewer, pk)  # scope first: a hidden task is a 404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.complete_task(viewer=request.viewer.user, task=task)
    messages.success(request, _("Task done."))
    return redirect("work:task", task.pk)


# --------------------------------------------------------------------------- playbooks


@viewer_required
def playbook_list(request: HttpRequest) -> HttpResponse:
    require_head(request.viewer)
    return render(
        request, "work/playbook_list.html", {"playbooks": selectors.playbooks(request.viewer)}
    )


def _items_from(formset) -> list[dict]:
    items = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE") or not (data.get("title") or "").strip():
            continue
        items.append(
            {
                "title": data["title"],
                "offset_business_days": data.get("offset_business_days") or 0,
                "estimate_hours": data.get("estimate_hours"),
                "role": data["role"],
                "visibility": data["visibility"],
                "depends_on": data.get("depends_on") or [],
            }
        )
    return items


@viewer_required
def playbook_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    viewer = request.viewer
    require_head(viewer)
    playbook = selectors.playbook_or_404(viewer, pk) if pk else None
    if request.method == "POST":
        form = PlaybookForm(request.POST)
        formset = PlaybookItemFormSet(request.POST, prefix="items")
        if form.is_valid() and formset.is_valid():
            try:
                playbook = services.save_playbook(
                    viewer=viewer,
                    playbook=playbook,
                    items=_items_from(formset),
                    **form.cleaned_data,
                )
            except concurrency.EditConflict as exc:
                # Nothing was saved: every row she typed stays in the form, the saved playbook
                # (its tasks as one row, in the same words as hers) in the panel above it.
                playbook = selectors.playbook_or_404(viewer, pk)
                form = concurrency.rebound(PlaybookForm, request.POST, exc)
                conflict = concurrency.conflict_context(exc, form)
                entered = services.describe_playbook_items(items=_items_from(formset))
                for row in conflict["rows"]:
                    if row["name"] == "items":
                        row.update(entered=entered, differs=entered != row["saved"])
                return render(
                    request,
                    "work/playbook_form.html",
                    {"form": form, "formset": formset, "playbook": playbook, "conflict": conflict},
                    status=errors.CONFLICT,
                )
            except ValidationError as exc:
                errors.onto_form(form, exc)
            else:
                messages.success(request, _("Playbook saved."))
                return redirect("work:playbooks")
    else:
        form = PlaybookForm(
            initial=playbook
            and {
                "name": playbook.name,
                "language": playbook.language,
                "service": playbook.service,
                "description": playbook.description,
                "version": playbook.version,
            }
        )
        initial = []
        if playbook:
            items = list(playbook.items.all())  # prefetched in order, with their dependencies
            index = {item.pk: n for n, item in enumerate(items, start=1)}
            initial = [
                {
                    "title": i.title,
                    "offset_business_days": i.offset_business_days,
                    "estimate_hours": i.estimate_hours,
                    "role": i.role,
                    "visibility": i.visibility,
                    "depends_on": ", ".join(
                        str(index[d.pk]) for d in i.depends_on.all() if d.pk in index
                    ),
                }
                for i in items
            ]
        formset = PlaybookItemFormSet(initial=initial, prefix="items")
    return render(
        request,
        "work/playbook_form.html",
        {"form": form, "formset": formset, "playbook": playbook},
        status=400 if request.method == "POST" else 200,
    )


@viewer_required
def start_playbook(request: HttpRequest, project_id: int) -> HttpResponse:
    viewer = request.viewer
    project = staff_project_or_404(viewer, project_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not viewer.is_manager:
        return redirect("work:project_tasks", project.pk)
    form = StartPlaybookForm(request.POST, playbooks=selectors.playbook_choices(viewer))
    if form.is_valid():
        try:
            created = services.start_from_playbook(
                viewer=viewer,
                project=project,
                playbook=form.cleaned_data["playbook"],
                start=form.cleaned_data["start"],
            )
        except ValidationError as exc:
            errors.onto_form(form, exc)
        else:
            messages.success(
                request, _("%(n)s tasks created from the playbook.") % {"n": len(created)}
            )
            return redirect("work:project_tasks", project.pk)
    return render(
        request,
        "work/project_tasks.html",
        {
            "project": project,
            "tasks": selectors.project_tasks(viewer, project),
            "now": timezone.now(),
            "start_form": form,
        },
        status=400,
    )


# --------------------------------------------------------------------------- recurring work


@viewer_required
def recurrence_list(request: HttpRequest, project_id: int, pk: int | None = None) -> HttpResponse:
    viewer = request.viewer
    project = staff_project_or_404(viewer, project_id)
    recurrence: Recurrence | None = None
    if pk is not None:
        recurrence = selectors.recurrence_or_404(viewer, pk)
        if recurrence.project_id != project.pk:
            return redirect("work:recurrence", recurrence.project_id, recurrence.pk)
    initial = {
        "starts_on": timezone.localdate(),
        "mode": Recurrence.Mode.BUSINESS_DAY,
        "business_day": 3,
    }
    if recurrence is not None:
        initial = {
            f: getattr(recurrence, f)
            for f in (
                "title",
                "description",
                "mode",
                "business_day",
                "rrule",
                "due_time",
                "assignee_role",
                "estimate_hours",
                "visibility",
                "lead_days",
                "starts_on",
                "active",
            )
        }
        initial["assignee"] = recurrence.assignee_id
    form = RecurrenceForm(
        request.POST or None, initial=initial, people=selectors.colleagues(viewer)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_recurrence(
                viewer=viewer, project=project, recurrence=recurrence, **form.cleaned_data
            )
        except ValidationError as exc:
            errors.onto_form(form, exc)
        else:
            messages.success(request, _("Recurring task saved."))
            return redirect("work:recurrences", project.pk)
    return render(
        request,
        "work/recurrences.html",
        {
            "project": project,
            "recurrences": selectors.recurrences(viewer, project),
            "form": form,
            "recurrence": recurrence,
        },
    )


# --------------------------------------------------------------------------- rules


@viewer_required
def rule_list(request: HttpRequest) -> HttpResponse:
    viewer = request.viewer
    require_head(viewer)
    forms_ = []
    status = 400 if request.method == "POST" else 200
    for rule in selectors.rules(viewer):
        bound = request.method == "POST" and request.POST.get("rule") == rule.kind
        prefix = f"rule-{rule.kind}"
        form = RuleForm(request.POST if bound else None, rule=rule, prefix=prefix)
        if bound and form.is_valid():
            try:
                services.update_rule(
                    viewer=viewer,
                    kind=rule.kind,
                    enabled=form.cleaned_data["enabled"],
                    params=form.params(),
                    version=form.cleaned_data.get("version"),
                )
            except concurrency.EditConflict as exc:
                # Nothing was saved: what she typed stays in this rule's form, next to the
                # values saved meanwhile (the panel sits in the same card).
                form = concurrency.rebound(RuleForm, request.POST, exc, rule=rule, prefix=prefix)
                form.conflict = concurrency.conflict_context(exc, form)
                status = errors.CONFLICT
            except ValidationError as exc:
                errors.onto_form(form, exc)
            else:
                messages.success(request, _("Rule saved."))
                return redirect("work:rules")
        forms_.append(form)
    return render(request, "work/rules.html", {"forms": forms_}, status=status)
