"""Every change to associate profiles goes through here (CONVENTIONS.md "Layers")."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django_countries import countries

from mylabel.accounts.models import User
from mylabel.associates.models import (
    LANGUAGE_NAMES,
    Associate,
    AssociateSearchEntry,
    Profession,
    Service,
)
from mylabel.associates.money import CURRENCY_CODES
from mylabel.core.directory import forget_directory_results
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
DERIVED_FIELDS = ["search_text"]


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
    Associate.objects.filter(pk=associate.pk).update(search_text=text)
    forget_directory_results()
    vector = None
    if uses_postgres():
        vector = weighted_vector(
            {
                "A": [associate.display_name, associate.headline],
                "B": [*professions, *genres],
                "C": location,
                "D": [associate.bio],
            }
        )
    # One statement whether the row exists or not (INSERT … ON CONFLICT DO UPDATE).
    AssociateSearchEntry.objects.bulk_create(
        [
            AssociateSearchEntry(
                associate=associate,
                listed=associate.user.is_active,
                display_name=associate.display_name,
                vector=vector,
            )
        ],
        update_conflicts=True,
        unique_fields=["associate"],
        update_fields=["listed", "display_name", "vector"],
    )


# --- Services an associate sells (DESIGN.md §2.4) -----------------------------------------------

SERVICE_FIELDS = {
    "name",
    "description",
    "price",
    "currency",
    "pricing_unit",
    "duration_minutes",
    "deposit_percent",
    "free_cancellation_hours",
    "late_cancellation_refund_percent",
    "is_active",
}


def _require_service_owner(service: Service, user: User) -> None:
    if service.associate.user_id != user.pk:
        raise PermissionDenied(_("Only the owner can change these services."))


def _apply_service_fields(service: Service, fields: dict[str, Any]) -> None:
    """Set ``fields`` on ``service`` and validate it as the model does, plus what the model
    cannot say: the currency is one we settle, and the price is a ``Decimal``, never a float."""
    unknown = set(fields) - SERVICE_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    if isinstance(fields.get("price"), float):
        raise TypeError("Prices are Decimal, never float.")
    for field, value in fields.items():
        setattr(service, field, value.strip() if isinstance(value, str) else value)
    if service.currency not in CURRENCY_CODES:
        raise ValidationError({"currency": _("Choose one of the listed currencies.")})
    service.full_clean(exclude=["associate"])  # the caller passed a real associate


@transaction.atomic
def add_service(*, associate: Associate, by: User, **fields: Any) -> Service:
    """Add a service at the end of ``associate``'s list. ``fields`` are ``SERVICE_FIELDS``;
    ``name`` and ``price`` are required. Raises ``ValidationError`` for bad values."""
    _require_owner(associate, by)
    service = Service(associate=associate)
    _apply_service_fields(service, fields)
    last = Service.objects.filter(associate=associate).aggregate(Max("position"))
    service.position = (last["position__max"] or 0) + 1
    service.save()
    return service


@transaction.atomic
def update_service(*, service: Service, by: User, **changes: Any) -> Service:
    """Change the owner's ``service``; ``changes`` are ``SERVICE_FIELDS``. Bookings already made
    keep the price and terms they were made at (they copy them)."""
    _require_service_owner(service, by)
    _apply_service_fields(service, changes)
    service.save()
    return service


@transaction.atomic
def delete_or_deactivate_service(*, service: Service, by: User) -> bool:
    """Delete ``service``, or, when it has bookings (whatever their state), only make it
    unbookable so their history stays whole. Returns True when it was deleted."""
    _require_service_owner(service, by)
    # Lock first: a booking requested meanwhile must either see the service gone or be counted.
    Service.objects.select_for_update().filter(pk=service.pk).first()
    if service.bookings.exists():  # the reverse FK of bookings.Booking
        if service.is_active:
            service.is_active = False
            service.save(update_fields=["is_active"])
        return False
    service.delete()
    return True


@transaction.atomic
def move_service(*, service: Service, by: User, offset: int) -> None:
    """Move ``service`` ``offset`` places (-1 up, +1 down) in its associate's list; at either
    end it stays where it is."""
    _require_service_owner(service, by)
    services = list(Service.objects.filter(associate_id=service.associate_id).select_for_update())
    index = next(i for i, other in enumerate(services) if other.pk == service.pk)
    target = index + offset
    if not 0 <= target < len(services):
        return
    services.insert(target, services.pop(index))
    # Renumbering the whole (short) list also mends duplicate positions.
    for position, other in enumerate(services, start=1):
        other.position = position
    Service.objects.bulk_update(services, ["position"])
