from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("frameworks/<slug:key>/", views.framework_detail, name="framework-detail"),
]
