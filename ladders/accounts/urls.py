from django.urls import path

from . import token_views, views

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/tokens/", token_views.token_page, name="account-tokens"),
    path(
        "account/tokens/<str:prefix>/revoke/",
        token_views.token_revoke,
        name="account-token-revoke",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("people/<uuid:uuid>/invite/", views.person_invite, name="person-invite"),
    # Same path and name as in django.contrib.auth.urls, which ladders/urls.py includes after
    # this module, so this one answers: it also clears the sign-in lockout.
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
]
