from typing import Any

from django.apps import AppConfig


class AssociatesConfig(AppConfig):
    name = "mylabel.associates"
    label = "associates"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from mylabel.accounts.signals import account_deleted
        from mylabel.associates.models import Associate, Service
        from mylabel.core.directory import forget_directory_results

        # What a directory card shows: the profile, its genres and professions, its prices.
        for model in (Associate, Service):
            post_save.connect(forget_directory_results, sender=model, weak=False)
            post_delete.connect(forget_directory_results, sender=model, weak=False)
        for through in (Associate.genres.through, Associate.professions.through):
            m2m_changed.connect(forget_directory_results, sender=through, weak=False)

        account_deleted.connect(
            _anonymise_associate_profile, dispatch_uid="associates.anonymise_deleted_account"
        )


def _anonymise_associate_profile(sender: Any, user: Any, **kwargs: Any) -> None:
    """The deleted account's profile: hidden (``listed()`` needs an active account, so its
    page answers 404), services closed, personal text and calendar address cleared, its name
    "Former member" where bookings and reviews still show it. Its rating stays: the reviews
    behind it are other people's."""
    from mylabel.accounts.deletion import FORMER_MEMBER_NAME
    from mylabel.associates.models import Associate, Service
    from mylabel.associates.services import refresh_associate_search

    associate = Associate.objects.filter(user=user).select_related("user").first()
    if associate is None:
        return
    for field in ("headline", "bio", "city", "country", "website_url", "external_calendar_url"):
        setattr(associate, field, "")
    associate.display_name = FORMER_MEMBER_NAME
    associate.languages = []
    associate.save()
    associate.genres.clear()
    Service.objects.filter(associate=associate).update(is_active=False)
    refresh_associate_search(associate)
