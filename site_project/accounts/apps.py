from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "site_project.accounts"
    label = "accounts"
    verbose_name = "Staff accounts"
