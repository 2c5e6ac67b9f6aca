"""Portfolio items in the API: the owner's list, a new item (an upload or a link), changes."""

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mylabel.accounts.api.serializers import NULLABLE_URL, OutputModelSerializer, file_url
from mylabel.api.serializers import StrictFieldsMixin
from mylabel.portfolio.embeds import embed_url
from mylabel.portfolio.models import PortfolioItem, ProfileKind


class PortfolioItemSerializer(OutputModelSerializer[PortfolioItem]):
    file_url = serializers.SerializerMethodField()
    embed_url = serializers.SerializerMethodField()

    class Meta:
        model = PortfolioItem
        fields = [
            "id",
            "profile_kind",
            "kind",
            "title",
            "description",
            "file_url",
            "url",
            "embed_url",
            "position",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(NULLABLE_URL)
    def get_file_url(self, item: PortfolioItem) -> str | None:
        return file_url(item.file)

    @extend_schema_field(NULLABLE_URL)
    def get_embed_url(self, item: PortfolioItem) -> str | None:
        """The player to show a link item in."""
        return embed_url(item.url) if item.url else None


class PortfolioItemCreateSerializer(StrictFieldsMixin, serializers.Serializer[PortfolioItem]):
    """A new item. Its rules are the portfolio form's (``PortfolioItemForm``), applied after
    these types are checked: a link item has a YouTube, SoundCloud or Spotify ``url`` and no
    file; any other kind a ``file`` of that kind (multipart) and no url."""

    profile_kind = serializers.ChoiceField(
        choices=ProfileKind.choices, help_text=gettext_lazy("Which of your profiles shows it.")
    )
    kind = serializers.ChoiceField(choices=PortfolioItem.Kind.choices)
    title = serializers.CharField(allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False)
    url = serializers.CharField(required=False, allow_blank=True, default="")


class PortfolioItemUpdateSerializer(StrictFieldsMixin, serializers.Serializer[PortfolioItem]):
    title = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)


class PortfolioMoveSerializer(StrictFieldsMixin, serializers.Serializer[Any]):
    offset = serializers.ChoiceField(
        choices=[(-1, "-1"), (1, "1")], help_text=gettext_lazy("-1 moves it up one place, 1 down.")
    )
