from django.urls import path

from . import team_views as views

urlpatterns = [
    path("manager/", views.manager_dashboard, name="manager-dashboard"),
    path("teams/<slug:slug>/heatmap/", views.team_heatmap_view, name="team-heatmap"),
]
