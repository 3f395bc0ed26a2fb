from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("frameworks/<slug:key>/", views.framework_detail, name="framework-detail"),
    path("frameworks/<slug:key>/skills/<slug:skill_key>/", views.skill_detail, name="skill-detail"),
    path("frameworks/<slug:key>/tracks/<slug:track_key>/", views.track_detail, name="track-detail"),
    path(
        "frameworks/<slug:key>/tracks/<slug:track_key>/compare/",
        views.track_compare,
        name="track-compare",
    ),
    path("frameworks/<slug:key>/search/", views.framework_search, name="framework-search"),
    path("frameworks/<slug:key>/versions/", views.framework_versions, name="framework-versions"),
    path("frameworks/<slug:key>/diff/", views.framework_diff_view, name="framework-diff"),
]
