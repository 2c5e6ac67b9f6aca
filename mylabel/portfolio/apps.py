from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "mylabel.portfolio"
    label = "portfolio"

    def ready(self) -> None:
        from mylabel.core.page_cache import forget_public_pages_on_change
        from mylabel.portfolio.models import PortfolioItem

        forget_public_pages_on_change(PortfolioItem)
