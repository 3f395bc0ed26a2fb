"""The site's URLs plus a stand-in invitation action, to test the Invite button appears."""

from django.http import HttpResponse
from django.urls import path

from ladders.urls import urlpatterns as site_patterns

urlpatterns = [
    path(
        "people/<uuid:uuid>/invite/", lambda request, uuid: HttpResponse("ok"), name="person-invite"
    ),
    *site_patterns,
]
