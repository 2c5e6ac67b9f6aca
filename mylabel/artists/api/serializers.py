"""Artist profiles in the API: what the directory card and the profile page show, and the
fields their owner may change (``services.EDITABLE_FIELDS`` and genres)."""

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mylabel.accounts.api.serializers import NULLABLE_URL, OutputModelSerializer, file_url
from mylabel.api.serializers import StrictFieldsMixin
from mylabel.artists.models import Artist, Release
from mylabel.core.models import Genre


class GenreSerializer(serializers.ModelSerializer[Genre]):
    class Meta:
        model = Genre
        fields = ["slug", "name"]


class ArtistSummarySerializer(OutputModelSerializer[Artist]):
    """A directory card (``Artist.objects.for_directory()``: no bio)."""

    country = serializers.CharField(source="country.code", read_only=True)
    genres = GenreSerializer(many=True, read_only=True)
    avatar_url = serializers.SerializerMethodField()
    page_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Artist
        fields = [
            "slug",
            "stage_name",
            "city",
            "country",
            "genres",
            "is_on_roster",
            "rating_average",
            "rating_count",
            "avatar_url",
            "page_url",
        ]
        read_only_fields = fields

    @extend_schema_field(NULLABLE_URL)
    def get_avatar_url(self, artist: Artist) -> str | None:
        return file_url(artist.user.avatar)


class ReleaseSerializer(OutputModelSerializer[Release]):
    cover_url = serializers.SerializerMethodField()

    class Meta:
        model = Release
        fields = [
            "id",
            "title",
            "kind",
            "release_date",
            "cover_url",
            "spotify_url",
            "apple_music_url",
            "youtube_url",
            "bandcamp_url",
        ]
        read_only_fields = fields

    @extend_schema_field(NULLABLE_URL)
    def get_cover_url(self, release: Release) -> str | None:
        return file_url(release.cover)


class ArtistSerializer(ArtistSummarySerializer):
    """The profile page (``Artist.objects.for_profile()``)."""

    releases = ReleaseSerializer(many=True, read_only=True)

    class Meta(ArtistSummarySerializer.Meta):
        fields = [
            *ArtistSummarySerializer.Meta.fields,
            "bio",
            "website_url",
            "instagram_url",
            "youtube_url",
            "soundcloud_url",
            "spotify_url",
            "releases",
            "created_at",
        ]
        read_only_fields = fields


class ArtistUpdateSerializer(StrictFieldsMixin, serializers.Serializer[Artist]):
    """The owner's changes. Only types are checked here: the rules (lengths, the links' hosts, a
    free address, a known country) are the model's, applied by ``update_artist_profile``."""

    stage_name = serializers.CharField(required=False, allow_blank=True)
    slug = serializers.CharField(required=False, allow_blank=True)
    bio = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    city = serializers.CharField(required=False, allow_blank=True)
    country = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("ISO 3166-1 alpha-2 code, e.g. IT."),
    )
    website_url = serializers.CharField(required=False, allow_blank=True)
    instagram_url = serializers.CharField(required=False, allow_blank=True)
    youtube_url = serializers.CharField(required=False, allow_blank=True)
    soundcloud_url = serializers.CharField(required=False, allow_blank=True)
    spotify_url = serializers.CharField(required=False, allow_blank=True)
    genres = serializers.SlugRelatedField(
        many=True,
        required=False,
        slug_field="slug",
        queryset=Genre.objects.only("slug"),
        help_text=gettext_lazy("Genre slugs; replaces the profile's genres."),
    )

    def validate_slug(self, value: str) -> str:
        return value.lower()  # as the profile form does: addresses are lower-case


class RosterSerializer(StrictFieldsMixin, serializers.Serializer[Any]):
    on_roster = serializers.BooleanField()
