"""GET filters of a profile's review list, and the directories' minimum-rating field.

Like the directories (``mylabel.core.directory``), the review list never answers a bad filter
value with an error page: ``ReviewFilterForm.from_query`` drops the value, the list shows what
it would without it, and ``problems`` says what was ignored.
"""

from decimal import Decimal
from typing import Any, Self

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mylabel.reviews.models import MAX_RATING, MIN_RATING, Criterion

DEFAULT_SORT = "newest"


class MinimumRatingField(forms.TypedChoiceField):
    """The directories' "minimum rating" filter: ``None`` (any) or a ``Decimal`` like 4.5."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label=gettext_lazy("Rating"),
            required=False,
            coerce=Decimal,
            empty_value=None,
            choices=[
                ("", gettext_lazy("Any rating")),
                ("3", gettext_lazy("3 stars and up")),
                ("4", gettext_lazy("4 stars and up")),
                ("4.5", gettext_lazy("4.5 stars and up")),
            ],
            error_messages={
                "invalid_choice": gettext_lazy(
                    "“%(value)s” is not a minimum rating to choose, so the results are not "
                    "filtered by rating."
                )
            },
            **kwargs,
        )


class ReviewFilterForm(forms.Form):
    """Filters and sort of the review list. Build it with ``from_query(request.GET, criteria=…)``:
    that form is always valid (bad values are dropped and described in ``problems``)."""

    SORT_CHOICES = [
        ("newest", gettext_lazy("Newest first")),
        ("oldest", gettext_lazy("Oldest first")),
        ("highest", gettext_lazy("Highest rated")),
        ("lowest", gettext_lazy("Lowest rated")),
    ]

    criterion = forms.ChoiceField(
        label=gettext_lazy("Criterion"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy(
                "There is no criterion “%(value)s” here, so the reviews are not filtered by it."
            )
        },
    )
    stars = forms.TypedChoiceField(
        label=gettext_lazy("Stars"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", gettext_lazy("Any")),
            *((str(n), str(n)) for n in range(MAX_RATING, MIN_RATING - 1, -1)),
        ],
        error_messages={
            "invalid_choice": gettext_lazy(
                "Stars go from 1 to 5, so the reviews are not filtered by “%(value)s” stars."
            )
        },
    )
    verified = forms.BooleanField(label=gettext_lazy("Verified bookings only"), required=False)
    sort = forms.ChoiceField(
        label=gettext_lazy("Sort by"),
        required=False,
        choices=SORT_CHOICES,
        error_messages={
            "invalid_choice": gettext_lazy(
                "“%(value)s” is not a way to sort reviews, so they are newest first."
            )
        },
    )

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.problems: list[str] = []
        self.criteria = criteria
        self.fields["criterion"].choices = [  # type: ignore[attr-defined]
            ("", _("Overall rating")),
            *((criterion.slug, criterion.name) for criterion in criteria),
        ]
        for name in ("criterion", "stars"):
            self.fields[name].widget.attrs["aria-describedby"] = "review-filters-hint"

    @classmethod
    def from_query(cls, query: QueryDict, *, criteria: list[Criterion]) -> Self:
        """A valid form for ``query``: bad values are dropped and explained in ``problems``."""
        form = cls(query, criteria=criteria)
        if form.is_valid():
            return form
        problems = [str(message) for messages in form.errors.values() for message in messages]
        cleaned = query.copy()
        for name in form.errors:
            cleaned.pop(name, None)
        rebuilt = cls(cleaned, criteria=criteria)
        rebuilt.is_valid()  # only fields that passed before are left, so this cannot fail
        rebuilt.problems = problems
        return rebuilt

    def clean_criterion(self) -> Criterion | None:
        slug = self.cleaned_data["criterion"]
        return next((item for item in self.criteria if item.slug == slug), None)

    @property
    def effective_sort(self) -> str:
        return self.cleaned_data.get("sort") or DEFAULT_SORT

    @property
    def is_filtered(self) -> bool:
        return any(self.cleaned_data.get(name) for name in ("criterion", "stars", "verified"))

    def queryset_filters(self) -> dict[str, Any]:
        """Keyword arguments for ``ReviewQuerySet.filter_listing``."""
        return {
            "criterion": self.cleaned_data.get("criterion"),
            "stars": self.cleaned_data.get("stars"),
            "verified": self.cleaned_data.get("verified", False),
        }

    def query_string(self) -> str:
        """The valid, non-default filters as a query string: what links and the pushed URL
        carry, so a shared address shows the same list."""
        query = QueryDict(mutable=True)
        for name in self.fields:
            value = self.cleaned_data.get(name)
            if value in (None, "", False) or (name == "sort" and value == DEFAULT_SORT):
                continue
            if value is True:
                query[name] = "on"  # what a checked checkbox submits
            else:
                query[name] = str(getattr(value, "slug", value))
        return query.urlencode()
