from __future__ import annotations

from datetime import datetime

import time_machine
from django.urls import reverse

from kabinet.core.scoping import viewer_for
from kabinet.lib.business_calendar import DEFAULT_TZ as MSK
from kabinet.questions.services import ask


@time_machine.travel(datetime(2026, 12, 2, 10, 0, tzinfo=MSK), tick=False)
def test_after_answering_the_manager_sees_the_found_promise_on_the_thread(
    login, sergey, marina, project, django_capture_on_commit_callbacks
):
    thread = ask(
        viewer=viewer_for(marina), project=project, subject="План", body="Когда будет план?"
    )
    client = login(sergey)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("questions:reply", args=[thread.pk]),
            {"body": "Пришлю обновлённый план завтра до обеда."},
        )
    html = client.get(reverse("questions:thread", args=[thread.pk])).content.decode()
    assert 'data-testid="proposal"' in html
    assert "03.12 13:00" in html
    marinas = login(marina).get(reverse("questions:thread", args=[thread.pk])).content.decode()
    assert 'data-testid="proposal"' not in marinas
