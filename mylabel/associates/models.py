from typing import ClassVar

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Prefetch
from django.db.models.fields.files import ImageFieldFile
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from mylabel.core.models import Genre
from mylabel.core.search import search_queryset

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
ASSOCIATE_DIRECTORY_ORDERINGS: dict[str, tuple[str, ...]] = {
    "relevance": ("-search_rank", "display_name", "pk"),
    "newest": ("-created_at", "-pk"),
    "name": ("display_name", "pk"),
}


class AssociateQuerySet(models.QuerySet["Associate"]):
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
        return search_queryset(self, query)

    def filter_directory(
        self,
        *,
        genre: Genre | None = None,
        profession: Profession | None = None,
        city: str = "",
        remote: bool = False,
    ) -> "AssociateQuerySet":
        """The directory's filters; an empty argument leaves its filter off."""
        associates = self
        if genre is not None:
            associates = associates.filter(genres=genre)
        if profession is not None:
            associates = associates.filter(professions=profession)
        if city:
            associates = associates.filter(city__iexact=city)
        if remote:
            associates = associates.filter(works_remotely=True)
        return associates

    def for_directory(self) -> "AssociateQuerySet":
        """``for_cards()`` without the long columns a card never shows: less to sort and send."""
        return self.for_cards().defer("bio", "search_text", "search_vector")

    def directory_order(self, sort: str) -> "AssociateQuerySet":
        """Order by a key of ``ASSOCIATE_DIRECTORY_ORDERINGS``; "relevance" needs ``search()``."""
        return self.order_by(*ASSOCIATE_DIRECTORY_ORDERINGS[sort])


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
    # Derived by services.refresh_associate_search; never edited directly.
    search_text = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[AssociateQuerySet] = AssociateQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("associate")
        verbose_name_plural = _("associates")
        indexes = [models.Index(fields=["-created_at"]), models.Index(fields=["city"])]

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
