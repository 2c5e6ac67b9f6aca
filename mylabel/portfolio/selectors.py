"""The permission-checked ways to fetch a portfolio and its items (CONVENTIONS.md "Layers").

Portfolio sits below the profile apps and never imports them (DESIGN.md §3): it reaches the
owner's profile of a kind through the reverse one-to-one accessor those apps declare on the user.
"""

from typing import Protocol

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import get_object_or_404

from mylabel.portfolio.models import PortfolioItem, ProfileKind

# ProfileKind → the related_name of that profile's one-to-one to the user.
PROFILE_ACCESSORS: dict[str, str] = {
    ProfileKind.ARTIST: "artist_profile",
    ProfileKind.ASSOCIATE: "associate_profile",
}


class Profile(Protocol):
    """What the portfolio pages need of a profile, whichever kind it is."""

    @property
    def name(self) -> str: ...

    def get_absolute_url(self) -> str: ...


def get_own_profile(user: AbstractBaseUser | AnonymousUser, profile_kind: str) -> Profile:
    """The signed-in ``user``'s own profile of ``profile_kind``, whose portfolio they may edit;
    ``Http404`` for an unknown kind, for anonymous users and for users without that profile."""
    accessor = PROFILE_ACCESSORS.get(profile_kind)
    if accessor is None or not user.is_authenticated:
        raise Http404
    try:
        profile: Profile = getattr(user, accessor)
    except ObjectDoesNotExist:
        raise Http404 from None
    return profile


def get_portfolio_item_for(
    user: AbstractBaseUser | AnonymousUser, pk: int, *, write: bool = False
) -> PortfolioItem:
    """The item ``pk`` if ``user`` may see it (its owner's account is active); with
    ``write=True`` only if it is theirs. Anyone else gets ``Http404``."""
    items = PortfolioItem.objects.filter(owner__is_active=True)
    if write:
        if not user.is_authenticated:
            raise Http404
        items = items.filter(owner_id=user.pk)
    return get_object_or_404(items, pk=pk)
