from django.urls import path

from . import views

urlpatterns = [
    path("people/<uuid:uuid>/observations/", views.observation_list, name="observation-list"),
    path(
        "people/<uuid:uuid>/observations/new/",
        views.observation_create,
        name="observation-create",
    ),
    path("observations/<uuid:uuid>/edit/", views.observation_edit, name="observation-edit"),
    path("observations/<uuid:uuid>/delete/", views.observation_delete, name="observation-delete"),
    path("inbox/", views.inbox, name="inbox"),
    path(
        "people/<uuid:uuid>/feedback/request/",
        views.feedback_request_create,
        name="feedback-request-create",
    ),
    path(
        "feedback/<uuid:uuid>/decline/",
        views.feedback_request_decline,
        name="feedback-request-decline",
    ),
]
