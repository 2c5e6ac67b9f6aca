from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mylabel.artists.models import Artist, Release
from mylabel.bookings.models import ACTIVE_STATUSES


class SigningQuerySet(models.QuerySet["Signing"]):
    def current(self) -> "SigningQuerySet":
        return self.filter(end_date__isnull=True)

    def for_roster(self) -> "SigningQuerySet":
        """What the roster page shows, in a fixed number of queries whatever the roster's size:
        the artist, who signed them, their bookings (all, and the active ones still to come)
        and their releases, newest first."""
        now = timezone.now()
        return (
            self.select_related("artist__user", "signed_by")
            .annotate(
                bookings_total=Count("artist__bookings", distinct=True),
                bookings_upcoming=Count(
                    "artist__bookings",
                    distinct=True,
                    filter=Q(
                        artist__bookings__start__gte=now,
                        artist__bookings__status__in=ACTIVE_STATUSES,
                    ),
                ),
            )
            .prefetch_related(
                Prefetch("artist__releases", queryset=Release.objects.order_by("-release_date"))
            )
            .order_by("artist__stage_name", "pk")
        )


class Signing(models.Model):
    """An artist's time on the label's roster: from ``start_date`` until ``end_date`` (open
    while they are signed). ``Artist.is_on_roster`` mirrors "has an open signing"; both change
    together in ``roster.services`` only."""

    artist = models.ForeignKey(Artist, on_delete=models.CASCADE, related_name="signings")
    start_date = models.DateField(_("signed on"))
    notes = models.TextField(_("notes"), max_length=4000, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    end_date = models.DateField(_("left on"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[SigningQuerySet] = SigningQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("signing")
        verbose_name_plural = _("signings")
        constraints = [
            models.UniqueConstraint(
                fields=["artist"],
                condition=Q(end_date__isnull=True),
                name="roster_one_open_signing_per_artist",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="roster_signing_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.artist} ({self.start_date})"

    @property
    def is_current(self) -> bool:
        return self.end_date is None
