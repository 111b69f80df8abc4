"""X-Forwarded-For is believed only from a configured proxy."""

from django.test import RequestFactory

from site_project.client_ip import client_ip

factory = RequestFactory()


def test_forwarded_header_from_an_untrusted_peer_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = factory.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_ip(request) == "203.0.113.9"


def test_forwarded_header_from_a_trusted_proxy_gives_the_visitor_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7, 10.0.0.5")
    assert client_ip(request) == "198.51.100.7"


def test_no_trusted_proxies_means_remote_addr_only(settings):
    settings.TRUSTED_PROXIES = []
    request = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_ip(request) == "10.0.0.2"


def test_garbage_in_the_forwarded_header_falls_back_to_the_peer(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-ip\r\nX: y")
    assert client_ip(request) == "10.0.0.2"
