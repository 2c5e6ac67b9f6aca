"""The one permission-checked way to fetch a professional's profile (CONVENTIONS.md "Layers")."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import get_object_or_404

from mylabel.associates.models import Associate


def get_associate_for(
    user: AbstractBaseUser | AnonymousUser, slug: str, *, write: bool = False
) -> Associate:
    """The listed professional at ``slug`` with everything their page shows (``for_profile``).

    With ``write=True`` only the profile's owner gets it; anyone else, signed in or not, gets
    ``Http404``, exactly as for a profile that does not exist, so edit URLs reveal nothing.
    """
    associates = Associate.objects.listed().for_profile()
    if write:
        if not user.is_authenticated:
            raise Http404
        associates = associates.filter(user_id=user.pk)
    return get_object_or_404(associates, slug=slug)
