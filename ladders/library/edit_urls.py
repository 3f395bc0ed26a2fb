"""Installing, editing and publishing frameworks (framework editors and organisation admins).

Each part of a draft has one URL; a POST there saves it (or, with `action`, removes or moves it).
A GET on an address that only saves goes back to the page with its form.
"""

from django.urls import path

from . import edit_track_views, install_views
from . import edit_views as views

_EDIT = "frameworks/<slug:key>/edit/"

urlpatterns = [
    path("frameworks/install/", install_views.framework_install, name="framework-install"),
    path(
        "frameworks/install/save/",
        install_views.framework_install_save,
        name="framework-install-save",
    ),
    path("frameworks/drafts/", install_views.draft_list, name="framework-draft-list"),
    path(_EDIT, views.framework_edit, name="framework-edit"),
    path(_EDIT + "about/", views.about_edit, name="framework-edit-about"),
    path(_EDIT + "scoring/", views.scoring_edit, name="framework-edit-scoring"),
    path(_EDIT + "discard/", install_views.draft_discard, name="framework-draft-discard"),
    path(_EDIT + "categories/", views.category_add, name="framework-edit-category-add"),
    path(
        _EDIT + "categories/<slug:category>/",
        views.category_edit,
        name="framework-edit-category",
    ),
    path(_EDIT + "skills/", views.skill_add, name="framework-edit-skill-add"),
    path(_EDIT + "skills/<slug:skill>/", views.skill_edit, name="framework-edit-skill"),
    path(
        _EDIT + "skills/<slug:skill>/milestones/",
        views.milestone_add,
        name="framework-edit-milestone-add",
    ),
    path(
        _EDIT + "skills/<slug:skill>/milestones/<int:number>/",
        views.milestone_edit,
        name="framework-edit-milestone",
    ),
    path(_EDIT + "tracks/", edit_track_views.track_add, name="framework-edit-track-add"),
    path(_EDIT + "tracks/<slug:track>/", edit_track_views.track_edit, name="framework-edit-track"),
    path(
        _EDIT + "tracks/<slug:track>/levels/",
        edit_track_views.level_add,
        name="framework-edit-level-add",
    ),
    # Level codes are free text (L3, IC 3, 2.1); the code comes last so any text fits.
    path(
        _EDIT + "tracks/<slug:track>/levels/<path:code>/",
        edit_track_views.level_edit,
        name="framework-edit-level",
    ),
    path(
        "frameworks/<slug:key>/publish/",
        install_views.framework_publish,
        name="framework-publish",
    ),
]
