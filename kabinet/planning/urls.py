from __future__ import annotations

from django.urls import path

from kabinet.planning import views

app_name = "planning"

urlpatterns = [
    path("planning/queue/", views.queue, name="queue"),
    path("planning/at-risk/", views.at_risk, name="at_risk"),
    path("planning/weights/", views.weights, name="weights"),
    path("planning/recompute/", views.recompute, name="recompute"),
    path("planning/proposals/<int:pk>/accept/", views.accept, name="accept"),
    path("planning/proposals/<int:pk>/reject/", views.reject, name="reject"),
    path("planning/tasks/<int:pk>/pin/", views.pin, name="pin"),
    path("planning/tasks/<int:pk>/ask-move/", views.ask_move, name="ask_move"),
    path("planning/tasks/<int:pk>/boost/", views.boost, name="boost"),
]
