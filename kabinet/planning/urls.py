from __future__ import annotations

from django.urls import path

from kabinet.planning import views

app_name = "planning"

urlpatterns = [
    path("planning/queue/", views.queue, name="queue"),
    path("planning/at-risk/", views.at_risk, name="at_risk"),
    path("planning/at-risk/bulk-accept/", views.bulk_accept, name="bulk_accept"),
    path("planning/at-risk/close-calls/", views.close_calls, name="close_calls"),
    path("planning/reassignments/<int:pk>/accept/", views.reassign_accept, name="reassign_accept"),
    path("planning/reassignments/<int:pk>/reject/", views.reassign_reject, name="reassign_reject"),
    path("planning/availability/", views.availability, name="availability"),
    path(
        "planning/availability/absences/<int:pk>/remove/",
        views.absence_remove,
        name="absence_remove",
    ),
    path("planning/skills/", views.skills, name="skills"),
    path("planning/weights/", views.weights, name="weights"),
    path("planning/recompute/", views.recompute, name="recompute"),
    path("planning/proposals/<int:pk>/", views.proposal_card, name="proposal"),
    path("planning/proposals/<int:pk>/accept/", views.accept, name="accept"),
    path("planning/proposals/<int:pk>/reject/", views.reject, name="reject"),
    path("planning/tasks/<int:pk>/pin/", views.pin, name="pin"),
    path("planning/tasks/<int:pk>/ask-move/", views.ask_move, name="ask_move"),
    path("planning/tasks/<int:pk>/boost/", views.boost, name="boost"),
]
