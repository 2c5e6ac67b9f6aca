from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from mylabel.api.filters import StrictBooleanFilter
from mylabel.reviews.forms_listing import DEFAULT_SORT, ReviewFilterForm
from mylabel.reviews.models import MAX_RATING, MIN_RATING, Direction, ReviewQuerySet


class IntegerFilter(filters.NumberFilter):
    field_class = forms.IntegerField


class ReviewFilter(filters.FilterSet):
    """The public list's filters; the subject filters take a profile's slug, like its page."""

    artist = filters.CharFilter(
        method="about_artist", help_text=_("Reviews about the artist with this slug.")
    )
    associate = filters.CharFilter(
        method="about_associate", help_text=_("Reviews about the professional with this slug.")
    )
    rating = IntegerFilter(
        method="with_rating",
        min_value=MIN_RATING,
        max_value=MAX_RATING,
        help_text=_("Overall rating: 1 to 5 stars."),
    )
    verified = StrictBooleanFilter(
        method="with_verified", help_text=_("Only reviews of bookings paid on the platform.")
    )
    ordering = filters.ChoiceFilter(
        method="ordered",
        choices=ReviewFilterForm.SORT_CHOICES,
        empty_label=None,
        help_text=_("Newest first unless told otherwise; ties by id."),
    )

    def about_artist(self, reviews: ReviewQuerySet, name: str, slug: str) -> ReviewQuerySet:
        return reviews.filter(direction=Direction.OF_ARTIST, artist__slug=slug)

    def about_associate(self, reviews: ReviewQuerySet, name: str, slug: str) -> ReviewQuerySet:
        return reviews.filter(direction=Direction.OF_ASSOCIATE, associate__slug=slug)

    def with_rating(self, reviews: ReviewQuerySet, name: str, stars: int) -> ReviewQuerySet:
        return reviews.filter_listing(stars=stars)

    def with_verified(self, reviews: ReviewQuerySet, name: str, verified: bool) -> ReviewQuerySet:
        return reviews.filter(verified=verified)

    def ordered(self, reviews: ReviewQuerySet, name: str, sort: str) -> ReviewQuerySet:
        return reviews  # applied last, in filter_queryset, whether given or not

    def filter_queryset(self, queryset: ReviewQuerySet) -> ReviewQuerySet:
        reviews: ReviewQuerySet = super().filter_queryset(queryset)
        return reviews.listing_order(self.form.cleaned_data.get("ordering") or DEFAULT_SORT)
