"""Fault injection: a worker sending a batch of e-mails is SIGKILLed at random moments, again
and again (up to 20 times, until the batch is done), each time while it is sending.

Every notification ends SENT and reaches its person in exactly one e-mail (one Message-ID). A kill
after the mail server accepted an e-mail and before the SENT mark committed makes the e-mail go
out a second time — with the same Message-ID, which mail clients take for the same message: that
window is bounded (at most one copy per kill) and counted here.
"""

from __future__ import annotations

import random
import re
import time
from collections import defaultdict

import pytest

from kabinet.jobs.testing import Forkserver, child_env, mails_in, own_redis_keys

PEOPLE, EACH, KILLS = 20, 2, 20
TICK_SECONDS = 1.5  # the scheduler's tick, shortened (it is a minute); past the 1 s sending lease

SETUP = f"""
from datetime import timedelta
from django.utils import timezone
from kabinet.core.models import Agency, Membership, Notification, Role, User
agency = Agency.objects.create(slug="faults", name="Faults")
long_ago = timezone.now() - timedelta(hours=1)
for i in range({PEOPLE}):
    user = User.objects.create_user(email=f"p{{i}}@faults.test", full_name=f"Person {{i}}")
    Membership.objects.create(agency=agency, user=user, role=Role.ACCOUNT_MANAGER)
    for k in range({EACH}):
        Notification.objects.create(
            agency=agency, user=user, kind="fault", title=f"note-{{i}}-{{k}}",
            email_state="pending", created_at=long_ago,
        )
"""
ENQUEUE = "from kabinet.core.tasks import send_notification_emails as t; t.enqueue()"


@pytest.mark.parametrize(
    "backend",
    ["database", pytest.param("rq", marks=pytest.mark.redis)],
)
def test_emails_sent_while_the_worker_is_killed_again_and_again_arrive_once_each(
    backend, tmp_path, fault_db
):
    extra = {}
    if backend == "rq":
        from kabinet.jobs.testing import redis_url_for_tests

        extra["REDIS_URL"] = redis_url_for_tests()
    outbox = tmp_path / "mail"
    env = child_env(
        tmp_path,
        DATABASE_URL=fault_db.url,
        TASKS_BACKEND=backend,
        TEST_EMAIL_BACKEND="kabinet.jobs.testing.SlowFileEmailBackend",
        TEST_EMAIL_FILE_PATH=str(outbox),
        EMAIL_SENDING_LEASE_SECONDS="1",
        WORK_WORKER_STALE_SECONDS="5",
        **extra,
    )
    with own_redis_keys(extra["REDIS_URL"]) if extra else _nothing():
        forks = Forkserver(env, tmp_path)
        try:
            forks.exec(SETUP)
            forks.exec(ENQUEUE)
            unsent = "select count(*) from core_notification where email_state <> 'sent'"
            seed = random.randrange(10**6)
            rng = random.Random(seed)
            kills, jobs = 0, 1
            while kills < KILLS and fault_db.scalar(unsent):
                before = len(list(outbox.glob("*.eml")))
                worker = forks.start(["worker", "--interval", "0.1"])
                # Let it get to sending, then kill it anywhere in the next 0.3 s.
                jobs += _wait_for_a_send(forks, outbox, before, lambda: fault_db.scalar(unsent))
                time.sleep(rng.uniform(0, 0.3))
                forks.kill(worker)
                forks.wait(worker)
                kills += 1
                # The scheduler's next tick: the periodic job again (abandoned e-mails wait for
                # it; the killed job itself is put back in the queue by the next worker).
                forks.exec(ENQUEUE)
                jobs += 1
            # The outage is over: the scheduler keeps ticking, a worker runs what waits.
            for _ in range(10):
                if not fault_db.scalar(unsent):
                    break
                time.sleep(1.1)  # past the sending lease
                forks.exec(ENQUEUE)
                jobs += 1
                assert forks.run(["worker", "--batch"]) == 0
        finally:
            forks.close()

    assert fault_db.scalar(unsent) == 0
    mails = mails_in(outbox)
    by_id: dict[str, set[str]] = {}
    copies: dict[str, int] = defaultdict(int)
    for mail in mails:
        body = mail.get_body(("plain",)).get_content()
        notes = set(re.findall(r"note-\d+-\d+", body))
        copies[mail["Message-ID"]] += 1
        assert by_id.setdefault(mail["Message-ID"], notes) == notes  # a re-send is the same e-mail
    received = [note for notes in by_id.values() for note in notes]
    # Every notification in exactly one e-mail, as the person's mail client shows them.
    assert sorted(received) == sorted(f"note-{i}-{k}" for i in range(PEOPLE) for k in range(EACH))
    duplicates = len(mails) - len(by_id)
    assert duplicates <= kills
    print(
        f"\n{backend}/{fault_db.vendor} seed={seed}: {kills} kills, {jobs} jobs enqueued, "
        f"{len(by_id)} e-mails, {len(mails)} copies received ({duplicates} re-sent copies)"
    )


def _wait_for_a_send(forks, outbox, before: int, unsent_count) -> int:
    """Wait until the running worker has sent another e-mail (or nothing is left), ticking the
    scheduler meanwhile as `kabinet run` does; returns how many jobs the ticks enqueued.

    The ticks matter: the e-mails the killed worker was sending stay leased for
    EMAIL_SENDING_LEASE_SECONDS. When they are the last ones, the jobs that run at once in the
    fresh worker find nothing to send and end; only a later tick, past the lease, sends them
    again. Waiting without ticks would wait for a tick that never comes."""
    deadline = time.monotonic() + 90  # a fresh worker on a busy 2-core machine, recovering first
    next_tick = time.monotonic() + TICK_SECONDS
    ticks = 0
    while len(list(outbox.glob("*.eml"))) <= before and unsent_count():
        assert time.monotonic() < deadline, "timed out waiting for the worker to send"
        if time.monotonic() >= next_tick:
            forks.exec(ENQUEUE)
            ticks += 1
            next_tick = time.monotonic() + TICK_SECONDS
        time.sleep(0.1)
    return ticks


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False
