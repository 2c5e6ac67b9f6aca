"""Every change to artist profiles and releases goes through here (CONVENTIONS.md "Layers")."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries

from mylabel.accounts.models import User
from mylabel.artists.models import Artist, Release
from mylabel.core.directory import forget_directory_results
from mylabel.core.images import reencode_image
from mylabel.core.models import Genre
from mylabel.core.search import search_text, uses_postgres, weighted_vector
from mylabel.core.slugs import unique_slug
from mylabel.spotify.links import canonical_artist_url
from mylabel.spotify.services import sync_spotify_link

EDITABLE_FIELDS = {
    "stage_name",
    "slug",
    "bio",
    "city",
    "country",
    "website_url",
    "instagram_url",
    "youtube_url",
    "soundcloud_url",
    "spotify_url",
}
RELEASE_FIELDS = {
    "title",
    "kind",
    "release_date",
    "spotify_url",
    "apple_music_url",
    "youtube_url",
    "bandcamp_url",
}
DERIVED_FIELDS = ["search_text", "search_vector"]


def _require_owner(artist: Artist, user: User) -> None:
    if artist.user_id != user.pk:
        raise PermissionDenied(_("Only the owner can change this profile."))


@transaction.atomic
def create_artist_profile(
    *,
    user: User,
    stage_name: str,
    city: str = "",
    country: str = "",
    genres: Iterable[Genre] = (),
    slug: str = "",
) -> Artist:
    """Give ``user`` an artist profile. Raises ``ValidationError`` if they already have one or
    if ``slug`` is taken."""
    if Artist.objects.filter(user=user).exists():
        raise ValidationError(_("You already have an artist profile."))
    artist = Artist(
        user=user,
        stage_name=stage_name.strip(),
        slug=slug or unique_slug(Artist, stage_name, fallback="artist"),
        city=city.strip(),
        country=country,
    )
    artist.full_clean(exclude=DERIVED_FIELDS)
    artist.save()
    artist.genres.set(genres)
    refresh_artist_search(artist)
    return artist


@transaction.atomic
def update_artist_profile(
    *, artist: Artist, by: User, genres: Iterable[Genre] | None = None, **changes: Any
) -> Artist:
    """Change the owner's own profile; ``changes`` are fields of ``EDITABLE_FIELDS``."""
    _require_owner(artist, by)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    if "spotify_url" in changes:
        # Only an artist's page (stored in one canonical form) can be fetched from Spotify.
        try:
            changes["spotify_url"] = canonical_artist_url(changes["spotify_url"])
        except ValidationError as error:
            raise ValidationError({"spotify_url": error.messages}) from error
    for field, value in changes.items():
        setattr(artist, field, value.strip() if isinstance(value, str) else value)
    artist.full_clean(exclude=DERIVED_FIELDS)
    artist.save()
    if genres is not None:
        artist.genres.set(genres)
    refresh_artist_search(artist)
    if "spotify_url" in changes:
        sync_spotify_link(artist)
    return artist


@transaction.atomic
def set_roster_status(*, artist: Artist, by: User, on_roster: bool) -> Artist:
    """Sign an artist to the label's roster, or take them off it. Label admins only."""
    if not (by.is_active and by.has_perm("artists.manage_roster")):
        raise PermissionDenied(_("Only label admins can change the roster."))
    artist.is_on_roster = on_roster
    artist.save(update_fields=["is_on_roster", "updated_at"])
    return artist


def refresh_artist_search(artist: Artist) -> None:
    """Recompute the derived search columns from the profile as saved."""
    genre_names = [genre.name for genre in artist.genres.all()]
    location = [artist.city, countries.name(artist.country) if artist.country else ""]
    text = search_text([artist.stage_name, *genre_names, *location, artist.bio])
    updates: dict[str, Any] = {"search_text": text}
    if uses_postgres():
        updates["search_vector"] = weighted_vector(
            {"A": [artist.stage_name], "B": genre_names, "C": location, "D": [artist.bio]}
        )
    Artist.objects.filter(pk=artist.pk).update(**updates)
    forget_directory_results()


def _save_cover(release: Release, cover: UploadedFile | None) -> None:
    if cover is not None:
        release.cover.save("cover.jpg", reencode_image(cover, max_side=1200), save=False)


@transaction.atomic
def add_release(
    *,
    artist: Artist,
    by: User,
    title: str,
    kind: str,
    release_date: date,
    cover: UploadedFile | None = None,
    **links: str,
) -> Release:
    """``cover`` must already be validated with ``validate_image_upload``."""
    _require_owner(artist, by)
    release = Release(artist=artist, title=title.strip(), kind=kind, release_date=release_date)
    return _save_release(release, cover=cover, changes=links)


@transaction.atomic
def update_release(
    *, release: Release, by: User, cover: UploadedFile | None = None, **changes: Any
) -> Release:
    """``cover``, if given, replaces the current one, whose file is deleted after the commit."""
    _require_owner(release.artist, by)
    old_cover = release.cover.name if release.cover else ""
    storage = release.cover.storage
    release = _save_release(release, cover=cover, changes=changes)
    if old_cover and old_cover != release.cover.name:
        transaction.on_commit(lambda: storage.delete(old_cover))
    return release


def _save_release(release: Release, *, cover: UploadedFile | None, changes: dict) -> Release:
    unknown = set(changes) - RELEASE_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    for field, value in changes.items():
        setattr(release, field, value.strip() if isinstance(value, str) else value)
    release.full_clean(exclude=["cover"])
    _save_cover(release, cover)
    release.save()
    return release


@transaction.atomic
def delete_release(*, release: Release, by: User) -> None:
    _require_owner(release.artist, by)
    cover = release.cover.name if release.cover else ""
    storage = release.cover.storage
    release.delete()
    if cover:
        transaction.on_commit(lambda: storage.delete(cover))
