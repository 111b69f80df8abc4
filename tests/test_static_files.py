"""Static files in production: hashed names, compressed copies, far-future caching, served by WhiteNoise."""

from io import StringIO

from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_collected_static_files_get_hashed_names_gzip_copies_and_immutable_caching(tmp_path):
    with override_settings(
        STATIC_ROOT=tmp_path,
        STORAGES=PRODUCTION_STORAGES,
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        DEBUG=False,
    ):
        call_command("collectstatic", "--no-input", stdout=StringIO())
        url = staticfiles_storage.url("css/site.css")
        middleware = WhiteNoiseMiddleware(lambda request: None)
        response = middleware(RequestFactory().get(url, HTTP_ACCEPT_ENCODING="gzip"))

    assert url != "/static/css/site.css" and url.startswith("/static/css/site.") and url.endswith(".css")
    assert (tmp_path / url.removeprefix("/static/")).with_suffix(".css.gz").exists()
    assert response.status_code == 200
    assert "max-age=315360000" in response["Cache-Control"] and "immutable" in response["Cache-Control"]
    assert response["Content-Encoding"] == "gzip"
