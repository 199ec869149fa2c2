from typing import Any

from allauth.account import forms as allauth_forms
from allauth.account.forms import LoginForm
from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from allauth.usersessions.adapter import get_adapter as get_usersessions_adapter
from allauth.usersessions.forms import ManageUserSessionsForm
from allauth.usersessions.models import UserSession
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.template import loader

from socialrx.core.api_tokens.models import RevocationReason
from socialrx.core.api_tokens.services import api_tokens_revoke_for_user
from socialrx.core.audit import audit_record
from socialrx.core.models import AuditAction, User
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


class SignInForm(LoginForm):
    """allauth's sign-in form (throttling, second-factor stage) in the NHS.UK pattern."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"] = forms.EmailField(
            label="Email address",
            widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        )
        self.fields["password"].label = "Password"
        self.fields["password"].help_text = ""
        self.fields["password"].widget.attrs.pop("placeholder", None)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Sign in"))


class SecondFactorForm(AuthenticateForm):
    """The code step of signing in; a lockout is audited like a password lockout."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].label = "Security code"
        self.fields[
            "code"
        ].help_text = (
            "The 6-digit code your authenticator app shows now, or one of your recovery codes."
        )
        self.fields["code"].widget.attrs.pop("placeholder", None)
        self.fields["code"].widget.attrs.update({"inputmode": "numeric", "autofocus": True})
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Continue"))

    def clean_code(self) -> str:
        try:
            return super().clean_code()
        except forms.ValidationError as error:
            if error.code == "too_many_login_attempts":
                audit_record(
                    actor=self.user,
                    action=AuditAction.LOCKOUT,
                    request=context.request,
                    detail={"step": "mfa"},
                )
            raise


class ActivateAuthenticatorAppForm(ActivateTOTPForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].label = "Security code from the app"
        self.fields["code"].help_text = "Enter the 6-digit code the app shows for this service."
        self.fields["code"].widget.attrs.pop("placeholder", None)
        self.fields["code"].widget.attrs.update({"inputmode": "numeric"})
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Turn on the authenticator app"))


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


class AdminUserAddForm(forms.ModelForm):
    """The admin's "add user" form: who they are, and no password. The account has none
    that works until its owner chooses one from the emailed link (ASVS V6.4.1)."""

    class Meta:
        model = User
        fields = ("email", "full_name")

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


class AdminPasswordChangeForm(auth_forms.AdminPasswordChangeForm):
    """The admin's "change password" form, ending the user's API tokens as it saves."""

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit)
        if commit:
            _revoke_api_tokens_after_password_change(user)
        return user


class ChangePasswordForm(allauth_forms.ChangePasswordForm):
    """allauth's change of one's own password (which signs out the other sessions), ending
    the user's API tokens as well."""

    def save(self) -> None:
        super().save()
        _revoke_api_tokens_after_password_change(self.user)


class EndSessionsForm(ManageUserSessionsForm):
    """allauth's "sign out the other sessions", or one of them on its own (``session``:
    the id of one of this person's other sessions)."""

    session = forms.IntegerField(required=False)

    def clean_session(self) -> UserSession | None:
        pk = self.cleaned_data.get("session")
        if pk is None:
            return None
        session = (
            UserSession.objects.filter(pk=pk, user=self.request.user)
            .exclude(session_key=self.request.session.session_key)
            .first()
        )
        if session is None:
            raise ValidationError("That session has already ended.")
        return session

    def save(self, request: HttpRequest) -> None:
        session = self.cleaned_data.get("session")
        if session is None:
            super().save(request)
        else:
            get_usersessions_adapter().end_sessions([session])
