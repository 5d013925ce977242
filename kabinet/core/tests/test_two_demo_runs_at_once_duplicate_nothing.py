from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.db import connections

from kabinet.core.tests.test_demo_is_idempotent import row_counts

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_demo_runs_started_together_build_each_row_once():
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def one_run():
        try:
            start.wait()
            call_command("demo", "--no-serve", verbosity=0)
        except BaseException as exc:  # reported below, with the thread's failure
            errors.append(exc)
        finally:
            connections.close_all()

    runs = [threading.Thread(target=one_run) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    assert errors == []
    together = row_counts()
    call_command("demo", "--no-serve", verbosity=0)
    assert row_counts() == together
    assert together["clients.ClientCompany"] == 12 + 1
