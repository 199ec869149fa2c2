from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import forms as auth_forms
from django.template import loader

from socialrx.core.api_tokens.models import RevocationReason
from socialrx.core.api_tokens.services import api_tokens_revoke_for_user
from socialrx.core.models import User
from socialrx.core.services import notification_queue


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
