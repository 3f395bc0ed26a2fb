from django.urls import path

from . import views

urlpatterns = [
    path("people/", views.person_list, name="person-list"),
    path("people/new/", views.person_create, name="person-create"),
    path("people/import/", views.people_import, name="people-import"),
    path("people/<uuid:uuid>/", views.person_detail, name="person-detail"),
    path("people/<uuid:uuid>/edit/", views.person_edit, name="person-edit"),
    path("people/<uuid:uuid>/manager/", views.person_set_manager, name="person-manager"),
    path("people/<uuid:uuid>/role/", views.person_set_role, name="person-role"),
    path("people/<uuid:uuid>/position/", views.person_set_position, name="person-position"),
    path("teams/", views.team_list, name="team-list"),
    path("teams/new/", views.team_create, name="team-create"),
    path("teams/<slug:slug>/", views.team_detail, name="team-detail"),
]
