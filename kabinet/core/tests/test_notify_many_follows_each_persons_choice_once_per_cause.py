"""`notify_many`, the periodic jobs' way to notify, follows the same rules as `notify`: each
person's delivery choice (off, daily, immediately), no e-mail for who wants none, nothing for an
inactive person, and once per cause however often it runs."""

from __future__ import annotations

from kabinet.core.models import Notification, NotificationPreference
from kabinet.core.notifications import topic_for
from kabinet.core.services import Notice, notify, notify_many


def notice(user, agency, key, kind="sla_warning"):
    return Notice(user=user, agency=agency, kind=kind, title="Срок ответа", dedupe_key=key)


def test_each_persons_choice_is_followed_and_each_cause_notified_once(
    agency, sergey, irina, viktoria, head
):
    topic = topic_for("sla_warning").code
    NotificationPreference.objects.create(agency=agency, user=irina, topic=topic, delivery="off")
    NotificationPreference.objects.create(
        agency=agency, user=viktoria, topic=topic, delivery="daily"
    )
    head.is_active = False
    head.save()
    notify(user=sergey, agency=agency, kind="sla_warning", title="Раньше", dedupe_key="k:1")

    created = notify_many(
        notices=[
            notice(sergey, agency, "k:1"),  # already notified by notify()
            notice(sergey, agency, "k:2"),
            notice(sergey, agency, "k:2"),  # the same cause twice in one run
            notice(irina, agency, "k:2"),  # chose "off"
            notice(viktoria, agency, "k:2"),  # chose the daily digest
            notice(head, agency, "k:2"),  # inactive
        ]
    )
    again = notify_many(notices=[notice(sergey, agency, "k:2"), notice(viktoria, agency, "k:2")])

    assert (created, again) == (2, 0)
    states = dict(
        Notification.objects.filter(dedupe_key="k:2").values_list("user__email", "email_state")
    )
    assert states == {sergey.email: "pending", viktoria.email: "daily"}


def test_who_wants_no_e_mail_gets_the_notification_without_one(agency, sergey):
    sergey.notify_by_email = False
    sergey.save()

    assert notify_many(notices=[notice(sergey, agency, "k:3")]) == 1
    assert Notification.objects.get(user=sergey).email_state == "not_wanted"
