"""Reviews of one side of a completed booking by the other (DESIGN.md §2.5).

A review is written once per side per booking and stays blind (``published_at`` empty) until the
other side has reviewed too or the review window has closed; then both publish. Moderation is
separate from publication: a published review is public unless a label admin hides it, and every
moderation step leaves a ``ModerationEvent``. Ratings per criterion are rows, not columns, so the
criteria are data (``Criterion``), editable in admin.
"""

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OrderBy, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mylabel.artists.models import Artist
from mylabel.associates.models import Associate, Profession
from mylabel.bookings.models import Booking

MIN_RATING, MAX_RATING = 1, 5
RATING_VALIDATORS = [MinValueValidator(MIN_RATING), MaxValueValidator(MAX_RATING)]
RATING_RANGE = Q(rating__gte=MIN_RATING) & Q(rating__lte=MAX_RATING)


class Direction(models.TextChoices):
    """Who reviews whom: the artist reviews the professional, or the professional the artist."""

    OF_ASSOCIATE = "of_associate", _("Artist about the professional")
    OF_ARTIST = "of_artist", _("Professional about the artist")


class CriterionQuerySet(models.QuerySet["Criterion"]):
    def active(self) -> "CriterionQuerySet":
        return self.filter(is_active=True)

    def for_direction(self, direction: str) -> "CriterionQuerySet":
        return self.active().filter(applies_to__in=[direction, Criterion.BOTH])


class Criterion(models.Model):
    """One thing a review rates, 1 to 5 (quality of work, communication, …). Seeded by a migration.

    ``professions`` narrows a criterion about professionals to those professions (e.g. "sound
    quality" only for engineers); empty means every professional.
    """

    BOTH = "both"
    APPLIES_TO_CHOICES: ClassVar = [*Direction.choices, (BOTH, _("Both"))]

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    applies_to = models.CharField(
        _("applies to"), max_length=20, choices=APPLIES_TO_CHOICES, default=BOTH
    )
    professions = models.ManyToManyField(
        Profession,
        blank=True,
        related_name="review_criteria",
        verbose_name=_("only for these professions"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CriterionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("review criterion")
        verbose_name_plural = _("review criteria")

    def __str__(self) -> str:
        return self.name


class Moderation(models.TextChoices):
    NEW = "new", _("Not yet moderated")
    APPROVED = "approved", _("Approved")
    HIDDEN = "hidden", _("Hidden")


class Sentiment(models.TextChoices):
    PENDING = "pending", _("Not scored yet")
    SCORED = "scored", _("Scored")
    NOT_SCORED = "not_scored", _("Not scored")


class ReviewQuerySet(models.QuerySet["Review"]):
    def published(self) -> "ReviewQuerySet":
        """Public reviews: out of the blind period and not hidden by moderation."""
        return self.filter(published_at__isnull=False).exclude(moderation=Moderation.HIDDEN)

    def about_listed_profiles(self) -> "ReviewQuerySet":
        """Reviews whose subject's profile is listed (its account is active): a deactivated
        profile's page is gone, and so are the reviews about it from lists across profiles."""
        return self.filter(
            Q(direction=Direction.OF_ASSOCIATE, associate__user__is_active=True)
            | Q(direction=Direction.OF_ARTIST, artist__user__is_active=True)
        )

    def of_associate(self, associate: Associate) -> "ReviewQuerySet":
        return self.filter(direction=Direction.OF_ASSOCIATE, associate=associate)

    def of_artist(self, artist: Artist) -> "ReviewQuerySet":
        return self.filter(direction=Direction.OF_ARTIST, artist=artist)

    def blind_window_closed(self, now: object = None) -> "ReviewQuerySet":
        """Unpublished reviews whose window has closed: the publishing task takes them."""
        return self.filter(published_at__isnull=True, window_closes_at__lte=now or timezone.now())

    def for_listing(self) -> "ReviewQuerySet":
        """What a review in a list shows (author's profile, the reviewee's owner for the reply
        check, each criterion's score and name), in two queries whatever the number of rows."""
        return self.select_related("artist", "associate").prefetch_related(
            Prefetch(
                "criterion_ratings",
                queryset=CriterionRating.objects.select_related("criterion"),
            )
        )

    def filter_listing(
        self,
        *,
        criterion: "Criterion | None" = None,
        stars: int | None = None,
        verified: bool = False,
    ) -> "ReviewQuerySet":
        """The review list's filters; an empty argument leaves its filter off.

        With a ``criterion`` the list keeps the reviews that rated it, and ``stars`` applies to
        that criterion's score; without one, ``stars`` is the overall rating. One ``EXISTS``
        per review, so no join and no duplicates.
        """
        reviews = self
        if verified:
            reviews = reviews.filter(verified=True)
        if criterion is not None:
            rated = CriterionRating.objects.filter(review=OuterRef("pk"), criterion=criterion)
            if stars is not None:
                rated = rated.filter(rating=stars)
            reviews = reviews.filter(Exists(rated))
        elif stars is not None:
            reviews = reviews.filter(rating=stars)
        return reviews

    def listing_order(self, sort: str, *, criterion: "Criterion | None" = None) -> "ReviewQuerySet":
        """Order by ``sort``: "newest", "oldest", "highest" or "lowest"; the last two rank by the
        chosen criterion's score when there is one, else by the overall rating; every ordering
        ends in the primary key so pages never overlap."""
        by_criterion = criterion is not None and sort in {"highest", "lowest"}
        score = F("criterion_score" if by_criterion else "rating")
        orderings: dict[str, tuple[str | OrderBy, ...]] = {
            "newest": ("-published_at", "-pk"),
            "oldest": ("published_at", "pk"),
            "highest": (score.desc(nulls_last=True), "-published_at", "-pk"),
            "lowest": (score.asc(nulls_last=True), "-published_at", "-pk"),
        }
        if not by_criterion:
            return self.order_by(*orderings[sort])
        criterion_score = CriterionRating.objects.filter(review=OuterRef("pk"), criterion=criterion)
        return self.annotate(
            criterion_score=Subquery(criterion_score.values("rating")[:1])
        ).order_by(*orderings[sort])


class Review(models.Model):
    """One side's review of the other for one completed booking.

    ``artist`` and ``associate`` are copied from the booking so profile pages query one table;
    ``direction`` says which of them is the subject. ``verified`` is decided when the review is
    written: the booking was completed and paid through the platform.
    """

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="reviews")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews_written"
    )
    direction = models.CharField(max_length=20, choices=Direction.choices)
    artist = models.ForeignKey(Artist, on_delete=models.PROTECT, related_name="reviews")
    associate = models.ForeignKey(Associate, on_delete=models.PROTECT, related_name="reviews")
    rating = models.PositiveSmallIntegerField(_("overall rating"), validators=RATING_VALIDATORS)
    text = models.TextField(_("review"), max_length=5000)
    verified = models.BooleanField(_("verified booking"), default=False)
    window_closes_at = models.DateTimeField(
        help_text=_("Published by then even if the other side has not reviewed.")
    )
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)

    reply = models.TextField(_("reply"), max_length=2000, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)

    moderation = models.CharField(
        max_length=10, choices=Moderation.choices, default=Moderation.NEW, db_index=True
    )
    hidden_reason = models.TextField(_("reason for hiding"), max_length=1000, blank=True)

    sentiment = models.CharField(
        max_length=12, choices=Sentiment.choices, default=Sentiment.PENDING
    )
    sentiment_score = models.FloatField(
        null=True, blank=True, help_text=_("From -1 (negative) to +1 (positive).")
    )
    sentiment_language = models.CharField(max_length=8, blank=True)
    contradicts_rating = models.BooleanField(
        default=False, help_text=_("The stars and the text's sentiment disagree strongly.")
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["booking", "direction"], name="review_one_per_side"),
            models.CheckConstraint(condition=RATING_RANGE, name="review_rating_1_to_5"),
            models.CheckConstraint(
                condition=Q(reply="") | Q(replied_at__isnull=False),
                name="review_reply_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["associate", "direction", "published_at"]),
            models.Index(fields=["artist", "direction", "published_at"]),
        ]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.get_direction_display()} #{self.booking_id} ({self.rating}/5)"

    @property
    def subject(self) -> Artist | Associate:
        return self.associate if self.direction == Direction.OF_ASSOCIATE else self.artist

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.moderation != Moderation.HIDDEN


class CriterionRating(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="criterion_ratings")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="ratings")
    rating = models.PositiveSmallIntegerField(validators=RATING_VALIDATORS)

    class Meta:
        ordering = ["criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"], name="criterion_rating_once_per_review"
            ),
            models.CheckConstraint(condition=RATING_RANGE, name="criterion_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.rating}/5"


class Report(models.Model):
    """A signed-in user's report of a review; open until a moderator acts on the review."""

    class Reason(models.TextChoices):
        FAKE = "fake", _("Not a real booking or a conflict of interest")
        ABUSIVE = "abusive", _("Abusive, hateful or harassing")
        PRIVATE = "private", _("Shares private information")
        SPAM = "spam", _("Spam or advertising")
        OFF_TOPIC = "off_topic", _("Not about the booking")
        OTHER = "other", _("Something else")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_reports"
    )
    reason = models.CharField(_("reason"), max_length=12, choices=Reason.choices)
    details = models.TextField(_("details"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "reporter"], name="report_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} on review {self.review_id}"


class ModerationEvent(models.Model):
    """Who approved, hid or restored a review, when and why: the moderation audit trail."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("Approved")
        HIDE = "hide", _("Hidden")
        RESTORE = "restore", _("Restored")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="moderation_events")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    reason = models.TextField(_("reason"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} review {self.review_id}"
