"""Precomputed recommendations (DESIGN.md §2.10): one row per (artist, kind, rank), written by
``services.refresh_recommendations`` and read by the home page, the directory and the API."""

from typing import Any, ClassVar

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.associates.models import Associate, Service


class Kind(models.TextChoices):
    ASSOCIATE = "associate", gettext_lazy("Professional to book next")
    ARTIST = "artist", gettext_lazy("Similar artist")


class RecommendationQuerySet(models.QuerySet["Recommendation"]):
    def visible_to(self, user: User) -> "RecommendationQuerySet":
        """``user``'s recommendations (none unless they have an artist profile), best first,
        with their targets, in one query.

        The rows were computed earlier, so what may have changed since is checked again here:
        a target whose account was deactivated, a professional who stopped offering services,
        a profile of ``user``'s own created since."""
        bookable = Service.objects.active().filter(associate=OuterRef("target_associate"))
        return (
            self.filter(artist__user=user)
            .filter(
                (Exists(bookable) & Q(kind=Kind.ASSOCIATE, target_associate__user__is_active=True))
                | Q(kind=Kind.ARTIST, target_artist__user__is_active=True)
            )
            .exclude(target_associate__user=user)
            .exclude(target_artist__user=user)
            .select_related("target_associate__user", "target_artist__user")
            .order_by("kind", "rank", "pk")
        )


class Recommendation(models.Model):
    """``target_associate`` for ``Kind.ASSOCIATE`` rows, ``target_artist`` for ``Kind.ARTIST``.

    ``reason`` holds the facts behind the suggestion, not a sentence, so it is worded in the
    reader's language when shown (``reason_text``): ``genres`` (names), ``similar_artists`` and
    ``shared_professionals`` (counts), ``popular`` (artists who booked them, for a cold start),
    ``city``, ``remote``."""

    artist = models.ForeignKey(Artist, on_delete=models.CASCADE, related_name="recommendations")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    target_associate = models.ForeignKey(
        Associate, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_artist = models.ForeignKey(
        Artist, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    score = models.FloatField()
    rank = models.PositiveSmallIntegerField()
    reason = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField()

    objects: ClassVar[RecommendationQuerySet] = RecommendationQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["artist", "kind", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["artist", "kind", "rank"], name="recommendation_unique_rank"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=Kind.ASSOCIATE, target_associate__isnull=False, target_artist=None)
                    | Q(kind=Kind.ARTIST, target_artist__isnull=False, target_associate=None)
                ),
                name="recommendation_target_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.artist_id} {self.kind} #{self.rank}"

    @property
    def target(self) -> Associate | Artist:
        target = self.target_associate if self.kind == Kind.ASSOCIATE else self.target_artist
        assert target is not None  # the check constraint
        return target

    @property
    def reason_text(self) -> str:
        return reason_text(self.kind, self.reason)


def reason_text(kind: str, reason: dict[str, Any]) -> str:
    """One short sentence from a row's ``reason``, in the active language."""
    parts: list[str] = []
    genres = reason.get("genres") or []
    if genres:
        listed = get_text_list(genres, _("and"))
        if kind == Kind.ASSOCIATE:
            parts.append(_("works in %(genres)s") % {"genres": listed})
        else:
            parts.append(_("also makes %(genres)s") % {"genres": listed})
    if similar := reason.get("similar_artists"):
        parts.append(
            ngettext(
                "booked by %(count)d artist like you",
                "booked by %(count)d artists like you",
                similar,
            )
            % {"count": similar}
        )
    if shared := reason.get("shared_professionals"):
        parts.append(
            ngettext(
                "booked %(count)d of the professionals you booked",
                "booked %(count)d of the professionals you booked",
                shared,
            )
            % {"count": shared}
        )
    if "popular" in reason:
        booked = reason["popular"]
        parts.append(
            ngettext(
                "popular: booked by %(count)d artist (you have no bookings yet)",
                "popular: booked by %(count)d artists (you have no bookings yet)",
                booked,
            )
            % {"count": booked}
            if booked
            else _("new on MyLabel (you have no bookings yet)")
        )
    if reason.get("city"):
        parts.append(_("based in %(city)s, like you") % {"city": reason["city"]})
    elif reason.get("remote"):
        parts.append(_("works remotely"))
    if not parts:
        # What is left of the score is the TF-IDF likeness of the two profiles' words.
        return str(_("Describes their music in words close to yours"))
    sentence = "; ".join(parts)
    return sentence[0].upper() + sentence[1:]
