"""``{% user_profiles user as profiles %}``: which profiles an account has, for templates that
show "My profile" or "Add a … profile" links.

A tag the page loads on purpose rather than a context processor on every page: it costs one
query where it is used (the account settings page) and nothing anywhere else. The navigation
needs no query at all: its "My profile" link points at ``onboarding:mine``, which looks the
profile up only when followed.
"""

from django import template
from django.contrib.auth.models import AnonymousUser

from mylabel.accounts.models import User
from mylabel.onboarding.profiles import UserProfiles

register = template.Library()


@register.simple_tag
def user_profiles(user: User | AnonymousUser) -> UserProfiles:
    return UserProfiles.of(user)
