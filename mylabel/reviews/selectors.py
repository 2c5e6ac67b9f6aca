"""The one permission-checked way to fetch a review (CONVENTIONS.md "Layers")."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from mylabel.accounts.models import User
from mylabel.reviews.models import Direction, Moderation, Review


def get_review_for(user: AbstractBaseUser | AnonymousUser, pk: int) -> Review:
    """Review ``pk`` if ``user`` may see it: anyone sees a published review that is not hidden;
    its author sees it always; the person it is about sees it hidden, but never while blind
    (double-blind: nobody reads a review of themselves before writing theirs). Otherwise
    ``Http404``, exactly as for a review that does not exist. What the user may *do* with it
    (reply, report) is the services' decision.

    The artist and the professional come with it (``review.subject`` costs no query).
    """
    visible = Q(published_at__isnull=False) & ~Q(moderation=Moderation.HIDDEN)
    if user.is_authenticated and isinstance(user, User):
        about_user = Q(direction=Direction.OF_ASSOCIATE, associate__user=user) | Q(
            direction=Direction.OF_ARTIST, artist__user=user
        )
        visible |= Q(author=user) | (Q(published_at__isnull=False) & about_user)
    reviews = Review.objects.select_related("artist", "associate", "author").filter(visible)
    try:
        return get_object_or_404(reviews, pk=int(pk))
    except (TypeError, ValueError) as error:
        raise Http404 from error
