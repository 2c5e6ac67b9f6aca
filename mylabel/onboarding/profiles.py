"""Which profiles an account has, read in one query.

Roles come from profiles (DESIGN.md §1), so onboarding, the navigation and the settings page all
need to know whether the user has an artist profile, a professional profile, both or neither.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from mylabel.accounts.models import User


@dataclass(frozen=True)
class UserProfiles:
    artist_slug: str | None = None
    associate_slug: str | None = None

    @classmethod
    def of(cls, user: User | AnonymousUser) -> "UserProfiles":
        """The profiles of ``user``: one query (two LEFT JOINs on the reverse one-to-ones)."""
        if not user.is_authenticated:
            return cls()
        row = (
            User.objects.filter(pk=user.pk)
            .values_list("artist_profile__slug", "associate_profile__slug")
            .first()
        )
        return cls(*row) if row else cls()

    @property
    def has_artist(self) -> bool:
        return self.artist_slug is not None

    @property
    def has_associate(self) -> bool:
        return self.associate_slug is not None

    @property
    def has_any(self) -> bool:
        return self.has_artist or self.has_associate

    @property
    def has_both(self) -> bool:
        return self.has_artist and self.has_associate

    @property
    def artist_url(self) -> str:
        return (
            reverse("artists:detail", kwargs={"slug": self.artist_slug}) if self.artist_slug else ""
        )

    @property
    def associate_url(self) -> str:
        if not self.associate_slug:
            return ""
        return reverse("associates:detail", kwargs={"slug": self.associate_slug})

    @property
    def home_url(self) -> str:
        """Where "My profile" leads: the artist profile first, else the professional one, else
        onboarding."""
        return self.artist_url or self.associate_url or reverse("onboarding:start")
