from __future__ import annotations

from django.urls import path

from kabinet.promises import views

urlpatterns = [
    path("projects/<int:project_id>/promises/", views.project_promises, name="project_promises"),
    path("projects/<int:project_id>/promises/new/", views.promise_new, name="promise_new"),
    path(
        "projects/<int:project_id>/promise-proposals/",
        views.project_proposals,
        name="project_promise_proposals",
    ),
    path("promises/", views.my_promises, name="my_promises"),
    path("promises/numbers/", views.numbers, name="promise_numbers"),
    path("promises/<int:pk>/", views.promise_detail, name="promise"),
    path("promises/<int:pk>/keep/", views.promise_keep, name="promise_keep"),
    path("promises/<int:pk>/renegotiate/", views.promise_renegotiate, name="promise_renegotiate"),
    path("promises/tasks/<int:task_id>/done/", views.task_done, name="promise_task_done"),
    path("promise-proposals/<int:pk>/", views.proposal_detail, name="promise_proposal"),
    path(
        "promise-proposals/<int:pk>/confirm/",
        views.proposal_confirm,
        name="promise_proposal_confirm",
    ),
    path(
        "promise-proposals/<int:pk>/dismiss/",
        views.proposal_dismiss,
        name="promise_proposal_dismiss",
    ),
]
