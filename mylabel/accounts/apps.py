from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mylabel.accounts"
    label = "accounts"
