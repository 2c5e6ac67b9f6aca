import django_filters
from django.utils.translation import gettext_lazy

from mylabel.portfolio.models import PortfolioItem, ProfileKind


class PortfolioFilter(django_filters.FilterSet):
    profile_kind = django_filters.ChoiceFilter(
        choices=ProfileKind.choices, help_text=gettext_lazy("Only the portfolio of this profile.")
    )

    class Meta:
        model = PortfolioItem
        fields: list[str] = []
