from typing import Any

from django.apps import AppConfig


class ArtistsConfig(AppConfig):
    name = "mylabel.artists"
    label = "artists"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from mylabel.accounts.signals import account_deleted
        from mylabel.artists.models import Artist, Release
        from mylabel.core.directory import forget_directory_results
        from mylabel.core.page_cache import forget_public_pages_on_change

        # What a directory card shows: the profile (roster badge included) and its genres.
        post_save.connect(forget_directory_results, sender=Artist, weak=False)
        post_delete.connect(forget_directory_results, sender=Artist, weak=False)
        m2m_changed.connect(forget_directory_results, sender=Artist.genres.through, weak=False)
        # The profile page shows the releases too.
        forget_public_pages_on_change(Release)

        account_deleted.connect(
            _anonymise_artist_profile, dispatch_uid="artists.anonymise_deleted_account"
        )


def _anonymise_artist_profile(sender: Any, user: Any, **kwargs: Any) -> None:
    """The deleted account's profile: hidden (``listed()`` needs an active account, so its
    page answers 404), its personal text cleared, its name "Former member" where bookings and
    reviews still show it."""
    from mylabel.accounts.deletion import FORMER_MEMBER_NAME
    from mylabel.artists.models import Artist
    from mylabel.artists.services import refresh_artist_search

    artist = Artist.objects.filter(user=user).first()
    if artist is None:
        return
    for field in ("bio", "city", "country", "website_url", "instagram_url", "youtube_url"):
        setattr(artist, field, "")
    artist.soundcloud_url = artist.spotify_url = ""
    artist.stage_name = FORMER_MEMBER_NAME
    artist.is_on_roster = False
    artist.save()
    artist.genres.clear()
    refresh_artist_search(artist)
