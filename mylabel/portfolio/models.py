from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ProfileKind(models.TextChoices):
    ARTIST = "artist", _("Artist")
    ASSOCIATE = "associate", _("Professional")


class PortfolioQuerySet(models.QuerySet["PortfolioItem"]):
    def for_profile(self, owner_id: int, profile_kind: str) -> "PortfolioQuerySet":
        return self.filter(owner_id=owner_id, profile_kind=profile_kind).order_by("position", "pk")

    def for_owner(self, owner_id: int) -> "PortfolioQuerySet":
        """Every item of the account, both profiles' portfolios, each in its display order."""
        return self.filter(owner_id=owner_id).order_by("profile_kind", "position", "pk")


def portfolio_upload_to(item: "PortfolioItem", filename: str) -> str:
    return f"portfolio/{item.owner_id}/{item.kind}/{filename}"


class PortfolioItem(models.Model):
    """One piece of work on a profile. It belongs to an account and to one of its profiles by
    kind, so portfolio depends only on accounts and both profile apps can show it."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        AUDIO = "audio", _("Audio")
        VIDEO = "video", _("Video")
        LINK = "link", _("Link (YouTube, SoundCloud, Spotify)")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portfolio_items"
    )
    profile_kind = models.CharField(max_length=10, choices=ProfileKind.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.CharField(_("description"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to=portfolio_upload_to, blank=True)
    url = models.URLField(_("link"), blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[PortfolioQuerySet] = PortfolioQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("portfolio item")
        verbose_name_plural = _("portfolio items")
        indexes = [models.Index(fields=["owner", "profile_kind", "position"])]
        constraints = [
            # A link item has a URL and no file; an uploaded item has a file and no URL.
            models.CheckConstraint(
                condition=(Q(kind="link") & ~Q(url="") & Q(file=""))
                | (~Q(kind="link") & ~Q(file="") & Q(url="")),
                name="portfolio_item_file_xor_link",
            ),
        ]

    def __str__(self) -> str:
        return self.title
