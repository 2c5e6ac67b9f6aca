"""Every change to associate profiles goes through here (CONVENTIONS.md "Layers")."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries

from mylabel.accounts.models import User
from mylabel.associates.models import LANGUAGE_NAMES, Associate, Profession
from mylabel.core.models import Genre
from mylabel.core.search import search_text, uses_postgres, weighted_vector
from mylabel.core.slugs import unique_slug

EDITABLE_FIELDS = {
    "display_name",
    "slug",
    "headline",
    "bio",
    "city",
    "country",
    "works_remotely",
    "years_experience",
    "languages",
    "website_url",
}
DERIVED_FIELDS = ["search_text", "search_vector"]


def _require_owner(associate: Associate, user: User) -> None:
    if associate.user_id != user.pk:
        raise PermissionDenied(_("Only the owner can change this profile."))


def _require_professions(professions: list[Profession]) -> None:
    if not professions:
        raise ValidationError({"professions": _("Choose at least one profession.")})


@transaction.atomic
def create_associate_profile(
    *,
    user: User,
    display_name: str,
    headline: str,
    professions: Iterable[Profession],
    genres: Iterable[Genre] = (),
    city: str = "",
    country: str = "",
    works_remotely: bool = False,
    slug: str = "",
) -> Associate:
    """Give ``user`` a professional profile. Raises ``ValidationError`` if they already have
    one, if ``slug`` is taken or if no profession is given."""
    if Associate.objects.filter(user=user).exists():
        raise ValidationError(_("You already have a professional profile."))
    professions = list(professions)
    _require_professions(professions)
    associate = Associate(
        user=user,
        display_name=display_name.strip(),
        slug=slug or unique_slug(Associate, display_name, fallback="pro"),
        headline=headline.strip(),
        city=city.strip(),
        country=country,
        works_remotely=works_remotely,
    )
    associate.full_clean(exclude=DERIVED_FIELDS)
    associate.save()
    associate.professions.set(professions)
    associate.genres.set(genres)
    refresh_associate_search(associate)
    return associate


@transaction.atomic
def update_associate_profile(
    *,
    associate: Associate,
    by: User,
    professions: Iterable[Profession] | None = None,
    genres: Iterable[Genre] | None = None,
    **changes: Any,
) -> Associate:
    """Change the owner's own profile; ``changes`` are fields of ``EDITABLE_FIELDS``."""
    _require_owner(associate, by)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    if "languages" in changes:
        unknown_languages = set(changes["languages"]) - set(LANGUAGE_NAMES)
        if unknown_languages:
            raise ValidationError({"languages": _("Unknown language.")})
    for field, value in changes.items():
        setattr(associate, field, value.strip() if isinstance(value, str) else value)
    associate.full_clean(exclude=DERIVED_FIELDS)
    associate.save()
    if professions is not None:
        professions = list(professions)
        _require_professions(professions)
        associate.professions.set(professions)
    if genres is not None:
        associate.genres.set(genres)
    refresh_associate_search(associate)
    return associate


def refresh_associate_search(associate: Associate) -> None:
    """Recompute the derived search columns from the profile as saved."""
    professions = [profession.name for profession in associate.professions.all()]
    genres = [genre.name for genre in associate.genres.all()]
    location = [associate.city, countries.name(associate.country) if associate.country else ""]
    text = search_text(
        [
            associate.display_name,
            associate.headline,
            *professions,
            *genres,
            *location,
            associate.bio,
        ]
    )
    updates: dict[str, Any] = {"search_text": text}
    if uses_postgres():
        updates["search_vector"] = weighted_vector(
            {
                "A": [associate.display_name, associate.headline],
                "B": [*professions, *genres],
                "C": location,
                "D": [associate.bio],
            }
        )
    Associate.objects.filter(pk=associate.pk).update(**updates)
