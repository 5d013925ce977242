from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kabinet.jobs import periodic
from kabinet.jobs.models import PeriodicRun, WorkerHeartbeat

pytestmark = pytest.mark.django_db

DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def claim_every_current_slot(now):
    for job in periodic.registered():
        PeriodicRun.objects.create(name=job.name, slot=periodic.slot_of(now, job.every))


def test_health_needs_no_login_and_answers_200_when_everything_runs(settings):
    settings.TASKS = DATABASE_BACKEND
    now = timezone.now()
    claim_every_current_slot(now)
    WorkerHeartbeat.objects.create(worker_id="w1", hostname="box", pid=1, seen_at=now)
    response = Client().get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "queue", "worker", "scheduler"}
    assert body["checks"]["queue"]["backend"] == "database"
    assert body["checks"]["worker"]["ok"] is True


def test_health_is_503_when_no_worker_heartbeat_is_fresh(settings):
    settings.TASKS = DATABASE_BACKEND
    now = timezone.now()
    claim_every_current_slot(now)
    WorkerHeartbeat.objects.create(
        worker_id="w1", hostname="box", pid=1, seen_at=now - timedelta(hours=1)
    )
    response = Client().get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["ok"] is False


def test_health_is_503_when_the_scheduler_lags_behind_its_slots(settings, monkeypatch):
    settings.TASKS = DATABASE_BACKEND
    monkeypatch.setenv("HEALTH_SCHEDULER_MAX_LAG_SECONDS", "0")
    WorkerHeartbeat.objects.create(worker_id="w1", hostname="box", pid=1)
    response = Client().get("/health/")
    scheduler = response.json()["checks"]["scheduler"]
    assert response.status_code == 503
    assert scheduler["ok"] is False
    assert scheduler["lag_seconds"] >= 0


def test_health_is_503_when_the_redis_queue_is_unreachable(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}
    response = Client().get("/health/")
    body = response.json()
    assert response.status_code == 503
    assert body["checks"]["queue"] == {"ok": False, "backend": "rq"}
    assert "127.0.0.1" not in response.content.decode()


def test_health_is_503_and_says_only_ok_false_when_the_database_is_away(monkeypatch):
    from kabinet.jobs import status

    def unreachable():
        return {"ok": False}

    monkeypatch.setattr(status, "database", unreachable)
    response = Client().get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"ok": False}
