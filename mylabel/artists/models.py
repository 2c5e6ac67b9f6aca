from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, OrderBy, Prefetch
from django.db.models.fields.files import ImageFieldFile
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from mylabel.core.models import Genre
from mylabel.core.search import search_queryset
from mylabel.core.validators import HostURLValidator

instagram_validator = HostURLValidator(["instagram.com"], "Instagram")
youtube_validator = HostURLValidator(["youtube.com", "youtu.be"], "YouTube")
soundcloud_validator = HostURLValidator(["soundcloud.com"], "SoundCloud")
spotify_validator = HostURLValidator(["open.spotify.com"], "Spotify")
apple_music_validator = HostURLValidator(["music.apple.com"], "Apple Music")
bandcamp_validator = HostURLValidator(["bandcamp.com"], "Bandcamp")

# Link fields in display order, with the names people know them by (not translated: brands).
LINK_LABELS = [
    ("website_url", "Website"),
    ("instagram_url", "Instagram"),
    ("youtube_url", "YouTube"),
    ("soundcloud_url", "SoundCloud"),
    ("spotify_url", "Spotify"),
]
RELEASE_LINK_LABELS = [
    ("spotify_url", "Spotify"),
    ("apple_music_url", "Apple Music"),
    ("youtube_url", "YouTube"),
    ("bandcamp_url", "Bandcamp"),
]


# Directory sort keys and their orderings, each ending in a unique column so pages never overlap.
# A new sort (rating, price) is one entry here plus its annotation and a choice in the form.
ARTIST_DIRECTORY_ORDERINGS: dict[str, tuple[str | OrderBy, ...]] = {
    "relevance": ("-search_rank", "stage_name", "pk"),
    "newest": ("-created_at", "-pk"),
    "name": ("stage_name", "pk"),
    # Unrated profiles last; among equal averages, more reviews weigh more.
    "rating": (F("rating_average").desc(nulls_last=True), "-rating_count", "stage_name", "pk"),
}


class ArtistQuerySet(models.QuerySet["Artist"]):
    def listed(self) -> "ArtistQuerySet":
        """Profiles a visitor may see: their account is active."""
        return self.filter(user__is_active=True)

    def for_cards(self) -> "ArtistQuerySet":
        """What a directory card shows, in a fixed number of queries whatever the page size."""
        return self.select_related("user").prefetch_related(
            Prefetch("genres", queryset=Genre.objects.only("name", "slug"))
        )

    def for_profile(self) -> "ArtistQuerySet":
        # "spotify": the Spotify section's data (mylabel.spotify), joined rather than queried.
        return self.for_cards().select_related("spotify").prefetch_related("releases")

    def search(self, query: str) -> "ArtistQuerySet":
        """Profiles matching ``query``, annotated with ``search_rank``."""
        return search_queryset(self, query)

    def filter_directory(
        self,
        *,
        genre: Genre | None = None,
        city: str = "",
        on_roster: bool = False,
        min_rating: Decimal | None = None,
    ) -> "ArtistQuerySet":
        """The directory's filters; an empty argument leaves its filter off."""
        artists = self
        if genre is not None:
            artists = artists.filter(genres=genre)
        if city:
            artists = artists.filter(city__iexact=city)
        if on_roster:
            artists = artists.filter(is_on_roster=True)
        if min_rating is not None:
            # Unrated profiles (NULL average) drop out: no reviews is not "3 stars or more".
            artists = artists.filter(rating_average__gte=min_rating)
        return artists

    def for_directory(self) -> "ArtistQuerySet":
        """``for_cards()`` without the long columns a card never shows: less to sort and send."""
        return self.for_cards().defer("bio", "search_text", "search_vector")

    def directory_order(self, sort: str) -> "ArtistQuerySet":
        """Order by a key of ``ARTIST_DIRECTORY_ORDERINGS``; "relevance" needs ``search()``."""
        return self.order_by(*ARTIST_DIRECTORY_ORDERINGS[sort])


class Artist(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="artist_profile"
    )
    stage_name = models.CharField(_("stage name"), max_length=120)
    slug = models.SlugField(_("profile address"), max_length=140, unique=True)
    bio = models.TextField(_("bio"), max_length=4000, blank=True)
    genres = models.ManyToManyField(
        Genre, blank=True, related_name="artists", verbose_name=_("genres")
    )
    city = models.CharField(_("city"), max_length=80, blank=True)
    country = CountryField(_("country"), blank=True)
    website_url = models.URLField(_("website"), blank=True)
    instagram_url = models.URLField(_("Instagram"), blank=True, validators=[instagram_validator])
    youtube_url = models.URLField(_("YouTube"), blank=True, validators=[youtube_validator])
    soundcloud_url = models.URLField(_("SoundCloud"), blank=True, validators=[soundcloud_validator])
    spotify_url = models.URLField(_("Spotify artist"), blank=True, validators=[spotify_validator])
    is_on_roster = models.BooleanField(
        _("on the label's roster"),
        default=False,
        help_text=_("Signed to the label. Only label admins can change it."),
    )
    # Derived from the fields above by services.refresh_artist_search; never edited directly.
    search_text = models.TextField(blank=True, editable=False)
    # Kept by reviews.services from the published, visible reviews about this profile, so the
    # directory can sort and filter by rating without aggregating reviews on every request.
    rating_average = models.DecimalField(
        max_digits=3, decimal_places=2, null=True, blank=True, editable=False
    )
    rating_count = models.PositiveIntegerField(default=0, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[ArtistQuerySet] = ArtistQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["stage_name"]
        verbose_name = _("artist")
        verbose_name_plural = _("artists")
        permissions = [("manage_roster", _("Can sign artists to the roster"))]
        indexes = [
            models.Index(fields=["-created_at"]),
            # The directory's city filter is case-insensitive (city__iexact: UPPER(city) = ...).
            models.Index(Upper("city"), name="artist_city_upper"),
        ]

    def __str__(self) -> str:
        return self.stage_name

    def get_absolute_url(self) -> str:
        return reverse("artists:detail", kwargs={"slug": self.slug})

    @property
    def name(self) -> str:
        return self.stage_name

    @property
    def avatar(self) -> ImageFieldFile:
        """The account's picture, so the avatar component can take a profile."""
        return self.user.avatar

    @property
    def links(self) -> list[tuple[str, str]]:
        """(label, url) of every link the artist filled in, in display order."""
        return [
            (label, getattr(self, field)) for field, label in LINK_LABELS if getattr(self, field)
        ]


class Release(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single")
        EP = "ep", _("EP")
        ALBUM = "album", _("Album")

    artist = models.ForeignKey(Artist, on_delete=models.CASCADE, related_name="releases")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    release_date = models.DateField(_("release date"))
    cover = models.ImageField(_("cover"), upload_to="releases/%Y/%m/", blank=True)
    spotify_url = models.URLField(_("Spotify"), blank=True, validators=[spotify_validator])
    apple_music_url = models.URLField(
        _("Apple Music"), blank=True, validators=[apple_music_validator]
    )
    youtube_url = models.URLField(_("YouTube"), blank=True, validators=[youtube_validator])
    bandcamp_url = models.URLField(_("Bandcamp"), blank=True, validators=[bandcamp_validator])

    class Meta:
        ordering = ["-release_date", "-pk"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")

    def __str__(self) -> str:
        return self.title

    @property
    def links(self) -> list[tuple[str, str]]:
        return [
            (label, getattr(self, field))
            for field, label in RELEASE_LINK_LABELS
            if getattr(self, field)
        ]
