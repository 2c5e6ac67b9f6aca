from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "mylabel.portfolio"
    label = "portfolio"
