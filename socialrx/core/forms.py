from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.template import loader

from socialrx.core.api_tokens.models import RevocationReason
from socialrx.core.api_tokens.services import api_tokens_revoke_for_user
from socialrx.core.models import User
from socialrx.core.services import notification_queue


def add_service_errors(
    form: forms.Form, error: ValidationError, field_for: dict[str, str] | None = None
) -> None:
    """Show a service's ValidationError on the form that called it: by field where it
    names one the form has (``field_for`` maps a service's names to the form's, for a
    form that asks for a date where the service takes a time), otherwise at the top.

    The one way every view turns a rule the service enforces into an error the person
    can act on, where a form's own checks could not see it (a changed status, a lock).
    """
    field_for = field_for or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        target = field_for.get(name, name)
        form.add_error(target if target in form.fields else None, errors)


class SignInForm(auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Sign in"))


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Sends the reset email through the notification queue (and so the worker)."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="We will email a link to reset your password if this address has an account.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Send reset link"))

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        notification_queue(
            to_email=to_email,
            kind="password_reset",
            subject=subject,
            body_text=body,
            recipient=context.get("user"),
        )


def _revoke_api_tokens_after_password_change(user: User) -> None:
    # A new password ends the old credentials: tokens issued under the old one go too.
    # (Tokens also check the password's change time when used, for any other path.)
    api_tokens_revoke_for_user(user=user, reason=RevocationReason.PASSWORD_CHANGED)


class SetPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Save new password"))

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit)
        if commit:
            _revoke_api_tokens_after_password_change(user)
        return user


class AdminPasswordChangeForm(auth_forms.AdminPasswordChangeForm):
    """The admin's "change password" form, ending the user's API tokens as it saves."""

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit)
        if commit:
            _revoke_api_tokens_after_password_change(user)
        return user
