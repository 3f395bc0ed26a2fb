"""The site without invitations, to test that the Invite button is left out when it cannot work."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("ladders.library.urls")),
    path("", include("ladders.org.urls")),
    path("", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
