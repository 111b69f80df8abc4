"""Mounted under the admin's own prefix (settings.ADMIN_URL_PATH), before Wagtail's admin URLs."""

from django.urls import path

from site_project.accounts.two_factor import views

urlpatterns = [
    path("setup/", views.SetupView.as_view(), name="two_factor_setup"),
    path("verify/", views.VerifyView.as_view(), name="two_factor_verify"),
    path("disable/", views.DisableView.as_view(), name="two_factor_disable"),
]
