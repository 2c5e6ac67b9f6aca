import django_filters
from django.utils.translation import gettext_lazy as _

from mylabel.recommendations.models import Kind, Recommendation


class RecommendationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=Kind.choices,
        help_text=_("Only professionals to book next (associate) or similar artists (artist)."),
    )

    class Meta:
        model = Recommendation
        fields = ["kind"]
