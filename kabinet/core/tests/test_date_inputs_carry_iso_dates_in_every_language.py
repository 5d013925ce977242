"""`<input type="date">` accepts only an ISO value (2026-12-02). Django formats a date for the
active language, so in Russian a start date given as the form's initial value arrived as
"02.12.2026": the browser showed an empty field and the person had to pick the date again."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import time_machine
from django import forms
from django.utils import translation

import kabinet
from kabinet.core.forms import DateInput


def _form_classes():
    for module_info in pkgutil.walk_packages(kabinet.__path__, "kabinet."):
        if not module_info.name.endswith(".forms"):
            continue
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


def test_every_date_field_of_every_form_renders_an_iso_value():
    offenders = []
    for cls in _form_classes():
        for name, field in cls.base_fields.items():
            widget = field.widget
            if getattr(widget, "input_type", None) == "date" and widget.format != "%Y-%m-%d":
                offenders.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert offenders == []


def test_the_shared_widget_renders_iso_in_russian():
    from datetime import date

    with translation.override("ru"):
        html = DateInput().render("start", date(2026, 12, 2))

    assert 'value="2026-12-02"' in html and 'type="date"' in html


@time_machine.travel("2026-12-02 12:00 +03:00", tick=False)
def test_the_playbook_start_date_on_the_task_list_is_filled_in_russian(project, sergey, login):
    client = login(sergey)
    client.post("/language/", {"language": "ru"})

    html = client.get(f"/projects/{project.pk}/tasks/").content.decode()

    [start] = re.findall(r'<input type="date" name="start"[^>]*>', html)
    assert 'value="2026-12-02"' in start
