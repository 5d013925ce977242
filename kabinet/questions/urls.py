from __future__ import annotations

from django.urls import path

from kabinet.questions import views

app_name = "questions"

urlpatterns = [
    path("projects/<int:project_id>/questions/", views.project_questions, name="project"),
    path("projects/<int:project_id>/questions/ask/", views.ask, name="ask"),
    path("questions/", views.desk, name="desk"),
    path("questions/numbers/", views.numbers, name="numbers"),
    path("questions/sla/", views.sla_policies, name="sla"),
    path("questions/<int:pk>/", views.thread_detail, name="thread"),
    path("questions/<int:pk>/reply/", views.reply, name="reply"),
    path("questions/<int:pk>/resolve/", views.resolve, name="resolve"),
    path("questions/<int:pk>/reopen/", views.reopen, name="reopen"),
    path("questions/<int:pk>/rate/", views.rate, name="rate"),
    path("questions/<int:pk>/status/", views.set_status, name="status"),
    path("questions/<int:pk>/related/", views.related, name="related"),
    path("questions/<int:pk>/assign/", views.assign, name="assign"),
]
