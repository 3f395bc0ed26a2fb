"""Forms only parse what was typed; the services decide whether it is acceptable."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.core.exceptions import ValidationError


class InvitationAcceptForm(forms.Form):
    username = forms.CharField(
        max_length=150,
        help_text="You sign in with it. Letters, digits and @ . + - _ only.",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        strip=False,
        help_text=password_validators_help_text_html(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first, again = data.get("password"), data.get("password_again")
        if first and again and first != again:
            self.add_error("password_again", "The two passwords differ; type the same one twice.")
        return data

    def add_service_error(self, error: ValidationError) -> None:
        """Show a service's field errors beside the fields, and any others above the form."""
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


EXPIRY_CHOICES = [("", "Never"), ("30", "In 30 days"), ("90", "In 90 days"), ("365", "In a year")]


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        help_text="What it is for, so you know which one to revoke later: “compensation sync”.",
    )
    read_only = forms.BooleanField(
        required=False, label="Read-only", help_text="It may read but never change anything."
    )
    expires_in_days = forms.TypedChoiceField(
        label="Expires",
        choices=EXPIRY_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
