from django.urls import path

from . import views

urlpatterns = [
    path("check-ins/", views.checkin_dashboard, name="checkin-dashboard"),
    path("check-ins/<uuid:uuid>/", views.checkin_detail, name="checkin-detail"),
    path("people/<uuid:uuid>/check-ins/", views.checkin_list, name="checkin-list"),
    path("people/<uuid:uuid>/check-ins/new/", views.checkin_new, name="checkin-new"),
]
