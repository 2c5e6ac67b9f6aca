"""The signed-in account in the API (``/api/v1/me/``) and its settings."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mylabel.accounts.models import User, validate_time_zone
from mylabel.api.serializers import StrictFieldsMixin
from mylabel.core.images import validate_image_upload

# A file's URL (relative to the site for local storage), or null when there is no file.
NULLABLE_URL = serializers.CharField(allow_null=True)


class OutputModelSerializer[M: models.Model](serializers.ModelSerializer[M]):
    """A read-only model serializer whose link fields are plain strings: a link left empty is
    "", which is not a URI, so documenting them with ``format: uri`` would be untrue."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.URLField: serializers.CharField,
    }


def file_url(file: FieldFile | None) -> str | None:
    """The public URL of a stored file, or None when there is none."""
    return file.url if file else None


class OwnProfileSerializer(serializers.Serializer[Any]):
    """One of the account's profiles: where it is on the site and in the API."""

    slug = serializers.CharField()
    name = serializers.CharField()
    page_url = serializers.CharField(source="get_absolute_url")
    api_url = serializers.SerializerMethodField()

    def __init__(self, *args: Any, api_route: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.api_route = api_route

    def get_api_url(self, profile: Any) -> str:
        return reverse(self.api_route, kwargs={"slug": profile.slug})


def _profile(user: User, accessor: str, api_route: str) -> dict[str, Any] | None:
    try:
        profile = getattr(user, accessor)
    except ObjectDoesNotExist:
        return None
    return OwnProfileSerializer(profile, api_route=api_route).data


class MeSerializer(serializers.ModelSerializer[User]):
    """The account, from ``User.objects.with_profiles()`` (no query per profile)."""

    name = serializers.CharField(read_only=True, help_text=gettext_lazy("What other people see."))
    avatar_url = serializers.SerializerMethodField()
    is_label_admin = serializers.BooleanField(read_only=True)
    artist = serializers.SerializerMethodField()
    associate = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "display_name",
            "name",
            "time_zone",
            "language",
            "share_read_receipts",
            "avatar_url",
            "is_label_admin",
            "artist",
            "associate",
        ]
        read_only_fields = fields

    @extend_schema_field(NULLABLE_URL)
    def get_avatar_url(self, user: User) -> str | None:
        return file_url(user.avatar)

    @extend_schema_field(OwnProfileSerializer(allow_null=True))
    def get_artist(self, user: User) -> dict[str, Any] | None:
        return _profile(user, "artist_profile", "api:artist-detail")

    @extend_schema_field(OwnProfileSerializer(allow_null=True))
    def get_associate(self, user: User) -> dict[str, Any] | None:
        return _profile(user, "associate_profile", "api:associate-detail")


class AccountSettingsSerializer(StrictFieldsMixin, serializers.Serializer[User]):
    """What the settings page changes, with its rules (``AccountSettingsForm``); fields left out
    are unchanged. An avatar is sent as multipart form data."""

    display_name = serializers.CharField(required=False, allow_blank=True, max_length=80)
    time_zone = serializers.CharField(
        required=False,
        validators=[validate_time_zone],
        help_text=gettext_lazy("An IANA zone, e.g. Europe/Rome."),
    )
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)
    share_read_receipts = serializers.BooleanField(required=False)
    avatar = serializers.FileField(
        required=False, help_text=gettext_lazy("JPEG, PNG, GIF or WebP.")
    )
    remove_avatar = serializers.BooleanField(required=False, default=False)

    def validate_avatar(self, avatar: Any) -> Any:
        validate_image_upload(avatar, max_bytes=settings.AVATAR_MAX_BYTES)
        return avatar


class DeleteAccountSerializer(StrictFieldsMixin, serializers.Serializer[User]):
    """The confirmation of an account's deletion."""

    password = serializers.CharField(
        trim_whitespace=False, help_text=gettext_lazy("Your current password.")
    )
