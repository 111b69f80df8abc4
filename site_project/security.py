"""Security headers beyond Django's own: Permissions-Policy and a Content-Security-Policy per area.

The public site gets the strict policy in settings.CONTENT_SECURITY_POLICY (no inline script or style, nothing
from other hosts). The Wagtail admin, which needs inline scripts and styles, gets
settings.ADMIN_CONTENT_SECURITY_POLICY instead, so the public pages never pay for the admin's needs.

A preview is the one public page that is served under the admin: Wagtail renders it through the whole middleware
chain with a dummy request for the page's public address (`request.is_preview`), so it would get the public
`frame-ancestors 'none'` and the editor's preview panel could not show it. A preview keeps the public policy, so
the editor sees what visitors will get, except that the admin itself ('self') may frame it.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse

PREVIEW_FRAME_ANCESTORS = ["'self'"]


def is_admin_path(path: str) -> bool:
    return path.startswith(f"/{settings.ADMIN_URL_PATH}")


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponse, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        if getattr(request, "is_preview", False):
            parts.replace = {**(parts.replace or {}), "frame-ancestors": PREVIEW_FRAME_ANCESTORS}
        elif parts.config is None and is_admin_path(request.path_info):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY
        return parts
