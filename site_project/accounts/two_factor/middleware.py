"""Enforces the second step for users who enrolled: a password alone opens nothing beyond the public site.

Sits right after django_otp's OTPMiddleware (which sets `request.user.is_verified()`). For a signed-in user
with a confirmed device whose session has not yet been verified with a code:

- admin URLs redirect to the verify page (except the verify page itself, sign-out and the assets the verify
  page loads);
- everywhere else the user is treated as anonymous, so private pages and documents stay closed too.

Users without a device are never touched.
"""

from urllib.parse import urlencode

from asgiref.sync import sync_to_async
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from site_project.accounts.two_factor.devices import has_two_factor
from site_project.security import is_admin_path

EXEMPT_URL_NAMES = {
    "two_factor_verify",
    "wagtailadmin_logout",
    "wagtailadmin_login",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
}


def awaiting_second_factor(user) -> bool:
    return user.is_authenticated and not user.is_verified() and has_two_factor(user)


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_admin_path(request.path_info):
            self._treat_unverified_as_anonymous(request)
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if not is_admin_path(request.path_info):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in EXEMPT_URL_NAMES:
            return None
        if awaiting_second_factor(request.user):
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('two_factor_verify')}?{query}")
        return None

    @staticmethod
    def _treat_unverified_as_anonymous(request: HttpRequest) -> None:
        user = request.user
        request.user = SimpleLazyObject(lambda: AnonymousUser() if awaiting_second_factor(user) else user)
        auser = getattr(request, "auser", None)
        if auser is not None:

            async def verified_auser():
                resolved = await auser()
                pending = await sync_to_async(awaiting_second_factor)(resolved)
                return AnonymousUser() if pending else resolved

            request.auser = verified_auser
