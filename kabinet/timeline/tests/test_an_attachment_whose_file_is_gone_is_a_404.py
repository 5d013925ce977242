from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kabinet.timeline.models import Attachment
from kabinet.timeline.services import record_event

pytestmark = pytest.mark.django_db


def test_downloading_an_attachment_whose_file_is_missing_answers_404_not_500(
    login, project, sergey
):
    event = record_event(project=project, kind="report", title="Отчёт", author=sergey)
    attachment = Attachment.objects.create(
        agency=project.agency, event=event, file="gone/otchet.pdf", name="otchet.pdf", size=8
    )
    client: Client = login(sergey)
    client.raise_request_exception = False
    response = client.get(reverse("attachment", args=[attachment.pk]))
    assert response.status_code == 404
