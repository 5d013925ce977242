from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from kabinet.api.main import api, unversioned
from kabinet.clients import views as clients
from kabinet.core import signin
from kabinet.core import views as core
from kabinet.core.forms import EmailLoginForm
from kabinet.timeline import views as timeline

handler500 = "kabinet.core.errors.server_error"

urlpatterns = [
    path("", core.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=EmailLoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", signin.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        signin.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("health/", core.health_check, name="health_check"),
    path("language/", core.set_language, name="set_language"),
    path("settings/", core.user_settings, name="settings"),
    path("agency/calendar/", core.calendar, name="calendar"),
    path("notifications/", core.notifications, name="notifications"),
    path("drafts/<str:kind>/<int:pk>/", core.draft, name="draft"),
    path("", include("kabinet.api.urls")),
    path("projects/", clients.project_list, name="projects"),
    path("projects/<int:pk>/", clients.project_detail, name="project"),
    path("projects/<int:project_id>/publish/", timeline.publish, name="publish"),
    path("events/<int:pk>/", timeline.event_detail, name="event"),
    path("events/<int:pk>/decide/", timeline.decide, name="decide"),
    path("attachments/<int:pk>/", timeline.download, name="attachment"),
    path("", include("kabinet.work.urls")),
    path("", include("kabinet.questions.urls")),
    path("", include("kabinet.promises.urls")),
    path("", include("kabinet.planning.urls")),
    path("", include("kabinet.health.urls")),
    path("api/v1/", api.urls),
    # The unversioned API of before: 308 to /api/v1/.
    re_path(r"^api/((?!v1(?:/|$)).*)$", unversioned),
    path("admin/", admin.site.urls),
]
