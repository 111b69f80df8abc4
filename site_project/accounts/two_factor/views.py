"""Enrol, verify and disable two-factor sign-in from the Wagtail admin.

Setup and disable are admin pages (Wagtail's furniture and `require_admin_access`); verify is a bare page
like the sign-in page, shown between the password and the admin to users who enrolled.
"""

import logging

import django_otp
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.generic import FormView
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from site_project.accounts.two_factor import devices
from site_project.accounts.two_factor.forms import CodeForm, SetupCodeForm

logger = logging.getLogger(__name__)


class TwoFactorAdminView(WagtailAdminTemplateMixin, FormView):
    page_title = "Two-factor authentication"
    header_icon = "key"

    def get_breadcrumbs_items(self) -> list[dict]:
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wagtailadmin_account"), "label": "Account"},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "user": self.request.user}


@method_decorator([never_cache, require_admin_access], name="dispatch")
class SetupView(TwoFactorAdminView):
    """Shows the new secret (text and otpauth:// link); a code from the app confirms it and issues backup codes."""

    template_name = "two_factor/setup.html"
    form_class = SetupCodeForm

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if devices.has_two_factor(request.user):
            return self.render_status()
        self.pending_device = devices.pending_app_device(request.user)
        return super().dispatch(request, *args, **kwargs)

    def render_status(self) -> HttpResponse:
        context = self.get_context_data(
            form=None, backup_codes_left=devices.remaining_backup_codes(self.request.user)
        )
        return TemplateResponse(self.request, "two_factor/status.html", context)

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "pending_device": self.pending_device}

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        if hasattr(self, "pending_device"):
            context["secret"] = devices.readable_secret(self.pending_device)
            context["otpauth_uri"] = devices.otpauth_uri(self.pending_device)
        return context

    def form_valid(self, form: SetupCodeForm) -> HttpResponse:
        codes = devices.confirm_app_device(self.pending_device)
        django_otp.login(self.request, self.pending_device)
        logger.info("Two-factor sign-in enabled", extra={"user_id": self.request.user.pk})
        messages.success(self.request, "Two-factor authentication is on.")
        context = self.get_context_data(form=None, backup_codes=codes)
        return TemplateResponse(self.request, "two_factor/backup_codes.html", context)


@method_decorator([never_cache, require_admin_access], name="dispatch")
class DisableView(TwoFactorAdminView):
    """Turning two-factor sign-in off takes a valid code, so a borrowed unlocked session cannot do it."""

    template_name = "two_factor/disable.html"
    form_class = CodeForm
    page_title = "Turn off two-factor authentication"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not devices.has_two_factor(request.user):
            return redirect("two_factor_setup")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: CodeForm) -> HttpResponse:
        devices.remove_all_devices(self.request.user)
        logger.info("Two-factor sign-in disabled", extra={"user_id": self.request.user.pk})
        messages.success(self.request, "Two-factor authentication is off.")
        return redirect("wagtailadmin_account")


@method_decorator(never_cache, name="dispatch")
class VerifyView(FormView):
    """The second step of signing in: a code from the app or a backup code marks the session verified."""

    template_name = "two_factor/verify.html"
    form_class = CodeForm

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), login_url=reverse("wagtailadmin_login"))
        if user.is_verified() or not devices.has_two_factor(user):
            return HttpResponseRedirect(self.next_url())
        return super().dispatch(request, *args, **kwargs)

    def next_url(self) -> str:
        candidate = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return candidate
        return reverse("wagtailadmin_home")

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), "next": self.next_url()}

    def form_valid(self, form: CodeForm) -> HttpResponse:
        django_otp.login(self.request, form.device)
        return HttpResponseRedirect(self.next_url())

    def form_invalid(self, form: CodeForm) -> HttpResponse:
        logger.warning("Two-factor code refused", extra={"user_id": self.request.user.pk})
        return super().form_invalid(form)
