from __future__ import annotations

from django.urls import path

from kabinet.work import views

app_name = "work"

urlpatterns = [
    path("work/", views.board, name="board"),
    path("projects/<int:project_id>/tasks/", views.project_tasks, name="project_tasks"),
    path("projects/<int:project_id>/tasks/new/", views.task_create, name="task_create"),
    path("projects/<int:project_id>/start-playbook/", views.start_playbook, name="start_playbook"),
    path("projects/<int:project_id>/recurring/", views.recurrence_list, name="recurrences"),
    path("projects/<int:project_id>/recurring/<int:pk>/", views.recurrence_list, name="recurrence"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/move/", views.task_move, name="task_move"),
    path("tasks/<int:pk>/complete/", views.task_complete, name="task_complete"),
    path("work/playbooks/", views.playbook_list, name="playbooks"),
    path("work/playbooks/new/", views.playbook_edit, name="playbook_new"),
    path("work/playbooks/<int:pk>/", views.playbook_edit, name="playbook"),
    path("work/rules/", views.rule_list, name="rules"),
]
