from django.contrib import admin
from django.urls import include, path, re_path

from ladders.api.api import api, unknown_path

urlpatterns = [
    # install/ and drafts/ come before frameworks/<key>/ (those two keys are reserved)
    path("", include("ladders.library.edit_urls")),  # frameworks: install, drafts, publish
    path("", include("ladders.library.urls")),  # frameworks: reading pages
    path("", include("ladders.progress.urls")),  # observations, feedback requests, inbox
    path("", include("ladders.progress.person_urls")),  # progress pages, attainments
    path("", include("ladders.progress.team_urls")),  # manager dashboard, team heatmap
    path("", include("ladders.checkins.urls")),  # check-ins
    path("", include("ladders.org.urls")),  # people/, teams/
    path("", include("ladders.accounts.urls")),  # invitations/, account/
    path("", include("django.contrib.auth.urls")),  # login, logout, password change and reset
    path("", include("ladders.audit.urls")),  # audit log for admins
    path("", include("ladders.reports.urls")),  # reports, promotion packets
    path("api/v1/", api.urls),  # REST API, its OpenAPI document and docs
    re_path(r"^api/(?P<rest>.*)$", unknown_path),
    path("admin/", admin.site.urls),
]
