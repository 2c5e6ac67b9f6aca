import zoneinfo
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

LABEL_ADMIN_GROUP = "Label admins"
LABEL_ADMIN_PERMISSION = "accounts.access_label_admin"


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


def validate_time_zone(value: str) -> None:
    # Validated against the running tzdata rather than stored as model choices, so a tzdata
    # update never needs a migration.
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


def avatar_upload_to(user: "User", filename: str) -> str:
    # Re-encoded avatars are always JPEG; the user's own file name never reaches storage.
    return f"avatars/{user.pk}/{timezone.now():%Y%m%d%H%M%S}.jpg"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def with_profiles(self) -> models.QuerySet["User"]:
        """Users with their artist and professional profiles (either may be missing) in the
        same query."""
        return self.select_related("artist_profile", "associate_profile")

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """An account. Whether it is an artist, an associate or both comes from its profiles, never
    from a column here (DESIGN.md §1)."""

    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    avatar = models.ImageField(_("avatar"), upload_to=avatar_upload_to, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, validators=[validate_time_zone], default=settings.TIME_ZONE
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    share_read_receipts = models.BooleanField(
        _("share read receipts"),
        default=True,
        help_text=_("Let the people you message see when you have read their messages."),
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [("access_label_admin", _("Can use the label admin tools"))]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """What other people see: the display name, else the part of the e-mail before the @."""
        return self.display_name or self.email.split("@", 1)[0]

    @property
    def is_label_admin(self) -> bool:
        return self.is_active and self.has_perm(LABEL_ADMIN_PERMISSION)
