from django.urls import path

from . import person_views as views

urlpatterns = [
    path("people/<uuid:uuid>/progress/", views.person_progress, name="person-progress"),
    path("people/<uuid:uuid>/progress/certify/", views.person_certify, name="person-certify"),
    path(
        "people/<uuid:uuid>/progress/attainments/<uuid:attainment>/revoke/",
        views.attainment_revoke_view,
        name="attainment-revoke",
    ),
    path("people/<uuid:uuid>/progress/what-if/", views.person_what_if, name="person-what-if"),
]
