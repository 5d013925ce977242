from __future__ import annotations

from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "kabinet.questions"
    label = "questions"
