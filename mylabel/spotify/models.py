from datetime import datetime
from typing import Any, ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mylabel.artists.models import Artist


class SpotifyArtistQuerySet(models.QuerySet["SpotifyArtist"]):
    def due(self, now: datetime) -> "SpotifyArtistQuerySet":
        """Links whose next fetch is due, oldest first (a link no longer on Spotify is never
        due: ``next_attempt_at`` is cleared until the artist changes the link)."""
        return self.filter(next_attempt_at__lte=now).order_by("next_attempt_at", "pk")


class SpotifyArtist(models.Model):
    """What Spotify says about an artist profile's linked Spotify artist, and when to ask again.

    Written only by ``spotify.services``. Created when the profile's ``spotify_url`` is set,
    deleted when it is cleared; the data of the last successful fetch stays while later
    attempts fail, so the profile keeps showing it.
    """

    class Error(models.TextChoices):
        # Stored as codes, shown in the viewer's language.
        RATE_LIMITED = "rate_limited", _("Spotify asked us to slow down.")
        UNREACHABLE = "unreachable", _("Spotify could not be reached.")
        NOT_FOUND = "not_found", _("Spotify has no artist at this link.")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the first fetch")
        FRESH = "fresh", _("Up to date")
        RETRYING = "retrying", _("Last fetch failed; will retry")
        NOT_FOUND = "not_found", _("Not found on Spotify")

    artist = models.OneToOneField(
        Artist, on_delete=models.CASCADE, primary_key=True, related_name="spotify"
    )
    spotify_id = models.CharField(max_length=22)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    name = models.CharField(max_length=200, blank=True)
    followers = models.PositiveBigIntegerField(null=True, blank=True)
    popularity = models.PositiveSmallIntegerField(null=True, blank=True)
    # Every genre Spotify lists, as Spotify spells it (most have no MyLabel Genre).
    genres = models.JSONField(default=list, blank=True)
    # Slugs of the MyLabel genres this link has added to the profile: never added twice, so a
    # genre the artist removes stays removed.
    genres_added = models.JSONField(default=list, blank=True)
    images = models.JSONField(default=list, blank=True)
    top_tracks = models.JSONField(default=list, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=20, choices=Error.choices, blank=True)
    # Consecutive failed attempts (not counting rate limits): the exponent of the backoff.
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[SpotifyArtistQuerySet] = SpotifyArtistQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("Spotify artist")
        verbose_name_plural = _("Spotify artists")
        indexes = [models.Index(fields=["next_attempt_at"])]

    def __str__(self) -> str:
        return self.name or self.spotify_id

    @property
    def has_data(self) -> bool:
        """Whether visitors see a Spotify section: fetched once, and still on Spotify."""
        return self.fetched_at is not None and self.state != self.State.NOT_FOUND

    @property
    def retry_is_ahead(self) -> bool:
        return self.next_attempt_at is not None and self.next_attempt_at > timezone.now()

    @property
    def image(self) -> dict[str, Any] | None:
        """The smallest picture sharp on a 2x screen at 160 px (Spotify sends 640, 320 and 160
        px, largest first), else the largest there is."""
        sharp = [image for image in self.images if (image.get("width") or 0) >= 320]
        if sharp:
            return sharp[-1]
        return self.images[0] if self.images else None

    @property
    def embed_tracks(self) -> list[dict[str, str]]:
        return [
            {**track, "embed_url": f"https://open.spotify.com/embed/track/{track['id']}"}
            for track in self.top_tracks
        ]
