"""The visitor's IP address, believing X-Forwarded-For only from a proxy listed in TRUSTED_PROXIES.

Used by the contact form's rate limit and by the admin's login lockout. Anyone can send an X-Forwarded-For
header, so it counts only when the connection itself comes from our own proxy (nginx, a load balancer).
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(entry, strict=False) for entry in settings.TRUSTED_PROXIES]


def _is_trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the right-most untrusted address of X-Forwarded-For when the peer is a trusted proxy."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks()
    if not networks or not _is_trusted(remote, networks):
        return remote
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    for address in reversed(forwarded):
        if not _is_trusted(address, networks):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote
    return remote


def axes_client_ip(request: HttpRequest) -> str:
    """django-axes calls this (AXES_CLIENT_IP_CALLABLE) to decide whose failed logins to count."""
    return client_ip(request)
