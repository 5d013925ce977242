"""Every e-mail names the client and project, what happened, what is needed and by when, with an absolute link,
in the recipient's language."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from kabinet.core.scoping import viewer_for
from kabinet.core.services import notify
from kabinet.core.testing import flush_emails

DUE = datetime(2026, 12, 8, 18, 0, tzinfo=ZoneInfo("Europe/Moscow"))


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://kabinet.agency.test/"


def tell(user, agency, project):
    notify(
        user=user,
        agency=agency,
        kind="decision_requested",
        title="Recommendation: chat on the site",
        body="We suggest adding an online chat.",
        url="/projects/7/events/42/",
        project=project,
        action="Approve, decline or comment",
        due_at=DUE,
    )


@pytest.mark.parametrize(
    ("language", "hello", "needed", "due"),
    [
        ("en", "Hello, Марина!", "What is needed:", "8 December 2026, 18:00"),
        ("ru", "Здравствуйте, Марина!", "Что нужно:", "8 декабря 2026, 18:00"),
    ],
)
def test_the_email_says_who_what_by_when_and_links_absolutely(
    marina, agency, project, language, hello, needed, due
):
    marina.language = language
    marina.save()
    tell(marina, agency, project)
    flush_emails()
    (message,) = mail.outbox
    text = message.body
    assert hello in text
    assert "ТехноДом — SEO technodom" in text
    assert (
        "Recommendation: chat on the site" in text and "We suggest adding an online chat." in text
    )
    assert needed in text and "Approve, decline or comment" in text and due in text
    assert "https://kabinet.agency.test/projects/7/events/42/" in text
    assert "https://kabinet.agency.test/settings/#notifications" in text
    html, mime = message.alternatives[0]
    assert (
        mime == "text/html" and 'href="https://kabinet.agency.test/projects/7/events/42/"' in html
    )
    assert "ТехноДом" in message.subject


def test_a_digest_subject_is_in_the_readers_language(marina, agency, project):
    from datetime import timedelta

    from django.utils import timezone

    from kabinet.core.models import Notification
    from kabinet.core.services import send_digests, set_preferences

    marina.language = "en"
    marina.save()
    set_preferences(viewer=viewer_for(marina), choices={"decisions": "daily"})
    tell(marina, agency, project)
    Notification.objects.update(created_at=timezone.now() - timedelta(days=1, hours=1))
    assert send_digests(now=timezone.now()) == 1
    assert mail.outbox[0].subject.startswith("Kabinet: your daily digest")


def test_kabinet_run_points_e_mail_links_at_the_server_it_starts():
    from kabinet.jobs.management.commands.run import site_url_for

    assert site_url_for("127.0.0.1:8000") == "http://127.0.0.1:8000"
    assert site_url_for("0.0.0.0:8106") == "http://127.0.0.1:8106"
    assert site_url_for("8000") == "http://127.0.0.1:8000"
