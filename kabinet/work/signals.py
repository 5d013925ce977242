"""Signals other apps listen to."""

from __future__ import annotations

from django.dispatch import Signal

# Sent after the transaction that completed a task commits: sender=Task, task=..., actor=... (None = system).
task_completed = Signal()
