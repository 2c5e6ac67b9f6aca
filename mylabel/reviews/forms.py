"""Forms for writing a review, replying to one and reporting one. They parse input only: who may
do what, and what is saved, is decided by ``reviews.services``."""

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mylabel.reviews.models import MAX_RATING, MIN_RATING, Criterion, Report
from mylabel.reviews.services import (
    REPLY_MAX_LENGTH,
    REPORT_DETAILS_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    criterion_field,
)

if TYPE_CHECKING:  # a development dependency: types only
    from django_stubs_ext import StrOrPromise

# Lowest first: radios in reading order, so arrow keys move the score the way the stars show it.
STAR_CHOICES = [(stars, str(stars)) for stars in range(MIN_RATING, MAX_RATING + 1)]


def star_field(label: "StrOrPromise") -> forms.TypedChoiceField:
    """A required rating from 1 to 5 as five radio buttons; anything else is a clear field error."""
    message = _("Choose from 1 to 5 stars.")
    return forms.TypedChoiceField(
        label=label,
        choices=STAR_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


class ReviewForm(forms.Form):
    """An overall rating, one rating per criterion of ``criteria`` and a text.

    The criterion fields are built from data (``eligibility.criteria``), named
    ``criterion_<slug>``, so a criterion added in admin appears here without a code change.
    """

    rating = star_field(_("Overall rating"))
    text = forms.CharField(
        label=_("Your review"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What went well, what could be better. Shown as plain text."),
        error_messages={"required": _("Write a few words about how it went.")},
    )

    def __init__(self, *args: Any, criteria: Sequence[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        text = self.fields.pop("text")
        for criterion in self.criteria:
            self.fields[criterion_field(criterion.slug)] = star_field(criterion.name)
        # The text comes after every rating, whatever the number of criteria.
        self.fields["text"] = text

    def star_fields(self) -> Iterator[forms.BoundField]:
        """The rating fields, overall first, for the star fieldsets of the template."""
        for name in self.fields:
            if name != "text":
                yield self[name]

    def criterion_ratings(self) -> dict[str, int]:
        """``{slug: stars}`` of a valid form, as ``services.submit_review`` takes them."""
        return {
            criterion.slug: self.cleaned_data[criterion_field(criterion.slug)]
            for criterion in self.criteria
        }


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Your public reply"),
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("You can reply once; the reply is shown under the review."),
        error_messages={"required": _("Write your reply.")},
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this review?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a reason."),
            "invalid_choice": _("Choose one of the reasons listed."),
        },
    )
    details = forms.CharField(
        label=_("Details (optional)"),
        required=False,
        max_length=REPORT_DETAILS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the label's moderators read this."),
    )
