from datetime import timedelta
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.postgres.search import SearchRank, SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import (
    Count,
    Exists,
    F,
    OrderBy,
    OuterRef,
    Prefetch,
    Q,
    RowRange,
    Subquery,
    Window,
)
from django.db.models.fields.files import ImageFieldFile
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from mylabel.core.models import Genre
from mylabel.core.search import search_queryset, search_tsquery, uses_postgres

# Languages a professional can work in; ISO 639-1 codes, names translated for display.
LANGUAGE_CHOICES = [
    ("en", _("English")),
    ("it", _("Italian")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("de", _("German")),
    ("pt", _("Portuguese")),
    ("nl", _("Dutch")),
    ("sv", _("Swedish")),
    ("pl", _("Polish")),
    ("el", _("Greek")),
    ("ro", _("Romanian")),
    ("ar", _("Arabic")),
    ("zh", _("Chinese")),
    ("ja", _("Japanese")),
    ("ko", _("Korean")),
    ("hi", _("Hindi")),
    ("ru", _("Russian")),
    ("uk", _("Ukrainian")),
    ("tr", _("Turkish")),
]
LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)


class Profession(models.Model):
    """Reference data (producer, mixing engineer, …): seeded by a migration, edited in admin."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("profession")
        verbose_name_plural = _("professions")

    def __str__(self) -> str:
        return self.name


# Directory sort keys and their orderings, each ending in a unique column so pages never overlap.
# A new sort (rating, price) is one entry here plus its annotation and a choice in the form.
# The price sorts read ``lowest_price`` (``with_lowest_price``); profiles without an active
# service come last either way.
ASSOCIATE_DIRECTORY_ORDERINGS: dict[str, tuple[str | OrderBy, ...]] = {
    "relevance": ("-search_rank", "display_name", "pk"),
    "newest": ("-created_at", "-pk"),
    "name": ("display_name", "pk"),
    "price_asc": (F("lowest_price").asc(nulls_last=True), "display_name", "pk"),
    "price_desc": (F("lowest_price").desc(nulls_last=True), "display_name", "pk"),
    # Unrated profiles last; among equal averages, more reviews weigh more.
    "rating": (F("rating_average").desc(nulls_last=True), "-rating_count", "display_name", "pk"),
}
PRICE_SORTS = {"price_asc", "price_desc"}


class NoticeUnit(models.TextChoices):
    HOURS = "hours", _("hours")
    # Calendar days: with 1 day, a request made at 23:00 can book from the day after next.
    DAYS = "days", _("calendar days")


class AssociateQuerySet(models.QuerySet["Associate"]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # What search() and filter_directory() were given, for ranked_page(): it ranks on the
        # narrow search table instead of re-deriving the search from the compiled query.
        self._search_query = ""
        self._directory_filters: dict[str, Any] = {}

    def _clone(self) -> "AssociateQuerySet":
        # Django copies a queryset on every call; its own state is copied the same way.
        clone = super()._clone()  # type: ignore[misc]
        clone._search_query = self._search_query
        clone._directory_filters = self._directory_filters
        return clone

    def listed(self) -> "AssociateQuerySet":
        return self.filter(user__is_active=True)

    def for_cards(self) -> "AssociateQuerySet":
        """What a directory card shows, in a fixed number of queries whatever the page size."""
        return self.select_related("user").prefetch_related(
            Prefetch("genres", queryset=Genre.objects.only("name", "slug")),
            Prefetch("professions", queryset=Profession.objects.only("name", "slug")),
        )

    def for_profile(self) -> "AssociateQuerySet":
        return self.for_cards()

    def search(self, query: str) -> "AssociateQuerySet":
        """Profiles matching ``query``, annotated with ``search_rank``."""
        associates = search_queryset(
            self, query, vector_field="search_entry__vector", text_field="search_text"
        )
        associates._search_query = query
        return associates

    def ranked_page(self, start: int, size: int) -> tuple[list["Associate"], int] | None:
        """Rows ``start`` to ``start + size`` of a relevance-ordered search and the number of
        matches, in two short queries; ``None`` when this queryset is not one (the caller then
        slices it as usual).

        Ranking a broad search has to visit every match. Joined to the profiles and their users,
        as the queryset itself would be, that is thousands of wide rows for 20 cards, so the
        ranking and the count run on the narrow ``AssociateSearchEntry`` table alone (its GIN
        index, ``listed`` flag and name copy) and only the page's profiles are then fetched,
        with everything this queryset selects, prefetches and annotates.

        Only for querysets built as the directory builds them: ``listed()``, ``search()``,
        ``filter_directory()``, the "relevance" order. Other filters are not re-applied to the
        ranking (a row they exclude would be missing from its page).
        """
        relevance = tuple(ASSOCIATE_DIRECTORY_ORDERINGS["relevance"])
        if not (self._search_query and uses_postgres()) or self.query.order_by != relevance:
            return None
        tsquery = search_tsquery(self._search_query)
        if tsquery is None:
            return None
        entries = AssociateSearchEntry.objects.filter(listed=True, vector=tsquery)
        if self._directory_filters:
            matching = Associate.objects.filter_directory(**self._directory_filters)
            entries = entries.filter(associate__in=matching.values("pk"))
        order = (F("rank").desc(), F("display_name").asc(), F("pk").asc())
        # The count runs over the whole ranked set (an unbounded frame), and ordering the
        # window like the page makes PostgreSQL rank each match as it reads it, so the
        # window buffers (id, rank, name) rows, not the vectors themselves.
        total = Window(Count("*"), order_by=order, frame=RowRange(start=None, end=None))
        ranked = list(
            entries.annotate(rank=SearchRank(F("vector"), tsquery))
            .annotate(total=total)
            .order_by(*order)
            .values_list("pk", "total")[start : start + size]
        )
        if not ranked:
            return [], 0
        by_pk = {
            associate.pk: associate for associate in self.filter(pk__in=[pk for pk, _ in ranked])
        }
        return [by_pk[pk] for pk, _ in ranked if pk in by_pk], ranked[0][1]

    def filter_directory(
        self,
        *,
        genre: Genre | None = None,
        profession: Profession | None = None,
        city: str = "",
        remote: bool = False,
        min_price: Decimal | None = None,
        max_price: Decimal | None = None,
        min_rating: Decimal | None = None,
    ) -> "AssociateQuerySet":
        """The directory's filters; an empty argument leaves its filter off.

        The price range keeps the profiles with at least one active service priced within it
        (either end inclusive), in one ``EXISTS`` per profile: no join, so no duplicates.
        """
        # Every argument, however many there are, for ranked_page() to apply to its ranking.
        given = {name: value for name, value in locals().items() if name != "self"}
        associates = self
        if min_price is not None or max_price is not None:
            in_range = Service.objects.active().filter(associate=OuterRef("pk"))
            if min_price is not None:
                in_range = in_range.filter(price__gte=min_price)
            if max_price is not None:
                in_range = in_range.filter(price__lte=max_price)
            associates = associates.filter(Exists(in_range))
        if genre is not None:
            associates = associates.filter(genres=genre)
        if profession is not None:
            associates = associates.filter(professions=profession)
        if city:
            associates = associates.filter(city__iexact=city)
        if remote:
            associates = associates.filter(works_remotely=True)
        if min_rating is not None:
            # Unrated profiles (NULL average) drop out: no reviews is not "3 stars or more".
            associates = associates.filter(rating_average__gte=min_rating)
        if associates is not self:
            associates._directory_filters = {**self._directory_filters, **given}
        return associates

    def for_directory(self) -> "AssociateQuerySet":
        """``for_cards()`` without the long columns a card never shows: less to sort and send,
        with the ``lowest_price`` a card shows as "from €X"."""
        return self.for_cards().with_lowest_price().defer("bio", "search_text")

    def with_lowest_price(self) -> "AssociateQuerySet":
        """Annotate ``lowest_price`` and ``lowest_price_currency``: the cheapest active service's
        price and currency, ``None`` without one. Correlated subqueries in the rows query, so
        they cost no query of their own whatever the page size. Calling it twice is harmless."""
        if "lowest_price" in self.query.annotations:
            return self
        cheapest = Service.objects.active().filter(associate=OuterRef("pk")).order_by("price", "pk")
        return self.annotate(
            lowest_price=Subquery(cheapest.values("price")[:1]),
            lowest_price_currency=Subquery(cheapest.values("currency")[:1]),
        )

    def directory_order(self, sort: str) -> "AssociateQuerySet":
        """Order by a key of ``ASSOCIATE_DIRECTORY_ORDERINGS``; "relevance" needs ``search()``."""
        associates = self.with_lowest_price() if sort in PRICE_SORTS else self
        return associates.order_by(*ASSOCIATE_DIRECTORY_ORDERINGS[sort])


class Associate(models.Model):
    """A professional an artist works with. Services and ratings hang off it (next issues)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="associate_profile"
    )
    display_name = models.CharField(_("professional name"), max_length=120)
    slug = models.SlugField(_("profile address"), max_length=140, unique=True)
    headline = models.CharField(
        _("headline"),
        max_length=160,
        help_text=_("One line about what you do, e.g. “Mixing engineer for indie and soul”."),
    )
    professions = models.ManyToManyField(
        Profession, related_name="associates", verbose_name=_("professions")
    )
    genres = models.ManyToManyField(
        Genre, blank=True, related_name="associates", verbose_name=_("genres")
    )
    bio = models.TextField(_("bio"), max_length=4000, blank=True)
    city = models.CharField(_("city"), max_length=80, blank=True)
    country = CountryField(_("country"), blank=True)
    works_remotely = models.BooleanField(_("works remotely"), default=False)
    years_experience = models.PositiveSmallIntegerField(_("years of experience"), default=0)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    website_url = models.URLField(_("website"), blank=True)
    # Booking rules (DESIGN.md §2.4), read in the associate's own time zone (user.time_zone).
    buffer_minutes = models.PositiveSmallIntegerField(
        _("buffer between bookings (minutes)"), default=15, validators=[MaxValueValidator(240)]
    )
    notice_amount = models.PositiveSmallIntegerField(
        _("minimum notice"), default=24, validators=[MaxValueValidator(720)]
    )
    notice_unit = models.CharField(
        _("minimum notice unit"), max_length=5, choices=NoticeUnit.choices, default=NoticeUnit.HOURS
    )
    horizon_days = models.PositiveSmallIntegerField(
        _("bookable up to (days ahead)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    external_calendar_url = models.URLField(
        _("external calendar (iCal URL)"),
        blank=True,
        max_length=1000,
        help_text=_("Your calendar's secret iCal address; its events block your availability."),
    )
    calendar_synced_at = models.DateTimeField(null=True, blank=True, editable=False)
    calendar_sync_error = models.CharField(max_length=300, blank=True, editable=False)
    # Derived by services.refresh_associate_search; never edited directly.
    search_text = models.TextField(blank=True, editable=False)
    # Kept by reviews.services from the published, visible reviews about this profile, so the
    # directory can sort and filter by rating without aggregating reviews on every request.
    rating_average = models.DecimalField(
        max_digits=3, decimal_places=2, null=True, blank=True, editable=False
    )
    rating_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[AssociateQuerySet] = AssociateQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("associate")
        verbose_name_plural = _("associates")
        indexes = [
            models.Index(fields=["-created_at"]),
            # The directory's city filter is case-insensitive (city__iexact: UPPER(city) = ...).
            models.Index(Upper("city"), name="associate_city_upper"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("associates:detail", kwargs={"slug": self.slug})

    @property
    def name(self) -> str:
        return self.display_name

    @property
    def avatar(self) -> ImageFieldFile:
        """The account's picture, so the avatar component can take a profile."""
        return self.user.avatar

    @property
    def language_names(self) -> list[str]:
        return [str(LANGUAGE_NAMES[code]) for code in self.languages if code in LANGUAGE_NAMES]


class AssociateSearchEntry(models.Model):
    """A profile's row in the directory's search table: only what ranking a search reads.

    Broad searches rank thousands of matches. Reading them from this narrow table (a tenth of
    the profile table's size) instead of the profile rows is what keeps them fast; the page's
    own rows are fetched afterwards by primary key (``AssociateQuerySet.ranked_page``).

    ``vector`` and ``display_name`` are written by ``services.refresh_associate_search``.
    ``listed`` mirrors the owner's ``User.is_active``: set when the row is written and kept
    by a PostgreSQL trigger on ``accounts_user`` (migration 0006), so every way of
    deactivating an account, the admin included, updates it in the same transaction. Only
    the PostgreSQL ranking reads it; ``AssociateQuerySet.listed()`` still reads the user.
    """

    associate = models.OneToOneField(
        Associate, on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    listed = models.BooleanField(default=True)
    # The profile's name, so ties in rank are broken as the directory breaks them, here.
    display_name = models.CharField(max_length=120)
    # Weighted: A name and headline, B crafts and genres, C place, D bio. PostgreSQL only;
    # its GIN index (associates_search_entry_gin) is created by migration 0006.
    vector = SearchVectorField(null=True)

    def __str__(self) -> str:
        return self.display_name


class ServiceQuerySet(models.QuerySet["Service"]):
    def active(self) -> "ServiceQuerySet":
        return self.filter(is_active=True)

    def for_profile(self, associate: "Associate", *, include_inactive: bool) -> "ServiceQuerySet":
        """The services a profile page lists, in the owner's order: only the bookable ones for
        visitors, all of them for the owner (``include_inactive``). One query, however many."""
        services = self.filter(associate=associate)
        return services if include_inactive else services.active()


class Service(models.Model):
    """Something an associate sells: a mixing session, an hour of vocal coaching, a master."""

    class PricingUnit(models.TextChoices):
        SESSION = "session", _("per session")
        HOUR = "hour", _("per hour")
        TRACK = "track", _("per track")

    associate = models.ForeignKey(Associate, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    price = models.DecimalField(
        _("price"), max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    pricing_unit = models.CharField(
        _("pricing unit"), max_length=10, choices=PricingUnit.choices, default=PricingUnit.SESSION
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=60,
        validators=[MinValueValidator(15), MaxValueValidator(12 * 60)],
    )
    deposit_percent = models.PositiveSmallIntegerField(
        _("deposit (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    free_cancellation_hours = models.PositiveSmallIntegerField(
        _("free cancellation until (hours before)"),
        default=48,
        validators=[MaxValueValidator(24 * 30)],
    )
    late_cancellation_refund_percent = models.PositiveSmallIntegerField(
        _("refund after that (%)"), default=50, validators=[MaxValueValidator(100)]
    )
    is_active = models.BooleanField(_("bookable"), default=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[ServiceQuerySet] = ServiceQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="service_price_not_negative"),
            models.CheckConstraint(
                condition=Q(deposit_percent__lte=100), name="service_deposit_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)


class WeeklyRule(models.Model):
    """An open range on one weekday, in the associate's time zone; a day may have several."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    associate = models.ForeignKey(Associate, on_delete=models.CASCADE, related_name="weekly_rules")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("to"))

    class Meta:
        ordering = ["weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="weekly_rule_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"  # noqa: RUF001


class DateException(models.Model):
    """A date that differs from the weekly rules: blocked (whole day or a range) or an extra
    open range. Times are in the associate's time zone."""

    class Kind(models.TextChoices):
        BLOCKED = "blocked", _("Not available")
        OPEN = "open", _("Extra opening")

    associate = models.ForeignKey(
        Associate, on_delete=models.CASCADE, related_name="date_exceptions"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.BLOCKED)
    # Both empty on a blocked exception: the whole day.
    start_time = models.TimeField(_("from"), null=True, blank=True)
    end_time = models.TimeField(_("to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=120, blank=True)

    class Meta:
        ordering = ["date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(start_time__isnull=True) & Q(end_time__isnull=True) & Q(kind="blocked")
                )
                | Q(end_time__gt=F("start_time")),
                name="date_exception_range_is_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class BusyTime(models.Model):
    """A busy period imported from the associate's external calendar (UTC). Replaced wholesale
    at each sync."""

    associate = models.ForeignKey(Associate, on_delete=models.CASCADE, related_name="busy_times")
    start = models.DateTimeField()
    end = models.DateTimeField()
    summary = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["start"]
        indexes = [models.Index(fields=["associate", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="busy_time_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M}"  # noqa: RUF001
