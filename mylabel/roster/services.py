"""Signing artists to the label and releasing them (issue 8 point 3). Every change keeps
``Artist.is_on_roster`` in step with the open signing, through ``artists.services``."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from mylabel.accounts.models import User
from mylabel.artists.models import Artist
from mylabel.artists.services import set_roster_status

from .models import Signing

MAX_NOTES = 4000


def can_manage_roster(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm("artists.manage_roster")


def _check(by: User) -> None:
    if not can_manage_roster(by):
        raise PermissionDenied(_("Only label admins can change the roster."))


def get_signing_for(user: User, pk: int) -> Signing:
    """Signing ``pk`` for someone who manages the roster; a 404 for anyone else."""
    if not can_manage_roster(user):
        raise Http404(_("No such signing."))
    signing = Signing.objects.select_related("artist").filter(pk=pk).first()
    if signing is None:
        raise Http404(_("No such signing."))
    return signing


def _clean_notes(notes: str) -> str:
    notes = notes.strip()
    if len(notes) > MAX_NOTES:
        raise ValidationError(
            {"notes": _("Keep the notes under %(max)d characters.") % {"max": MAX_NOTES}}
        )
    return notes


@transaction.atomic
def sign_artist(*, artist: Artist, by: User, start_date: date, notes: str = "") -> Signing:
    _check(by)
    # Locked, so two admins signing the same artist at once cannot both succeed.
    artist = Artist.objects.select_for_update().get(pk=artist.pk)
    if Signing.objects.current().filter(artist=artist).exists():
        raise ValidationError(
            {"artist": _("%(name)s is already on the roster.") % {"name": artist.stage_name}},
            code="already_signed",
        )
    signing = Signing.objects.create(
        artist=artist, start_date=start_date, notes=_clean_notes(notes), signed_by=by
    )
    set_roster_status(artist=artist, by=by, on_roster=True)
    return signing


@transaction.atomic
def update_signing(*, signing: Signing, by: User, start_date: date, notes: str) -> Signing:
    _check(by)
    # Read afresh: the caller's copy may predate a release.
    signing = Signing.objects.select_for_update().select_related("artist").get(pk=signing.pk)
    if signing.end_date is not None and start_date > signing.end_date:
        raise ValidationError(
            {"start_date": _("The signing date cannot be after the day they left.")}
        )
    signing.start_date = start_date
    signing.notes = _clean_notes(notes)
    signing.save(update_fields=["start_date", "notes", "updated_at"])
    return signing


@transaction.atomic
def release_artist(*, signing: Signing, by: User, end_date: date) -> Signing:
    """End a current signing on ``end_date``; the artist leaves the roster."""
    _check(by)
    signing = Signing.objects.select_for_update().select_related("artist").get(pk=signing.pk)
    if signing.end_date is not None:
        raise ValidationError(_("This signing has already ended."), code="already_ended")
    if end_date < signing.start_date:
        raise ValidationError(
            {"end_date": _("The day they leave cannot be before the day they were signed.")}
        )
    signing.end_date = end_date
    signing.ended_by = by
    signing.save(update_fields=["end_date", "ended_by", "updated_at"])
    set_roster_status(artist=signing.artist, by=by, on_roster=False)
    return signing
