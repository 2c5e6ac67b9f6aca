"""``/api/v1/me/``: the signed-in account with both its profiles, and its settings."""

from typing import cast

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from mylabel.accounts import services
from mylabel.accounts.api.serializers import AccountSettingsSerializer, MeSerializer
from mylabel.accounts.models import User


def _me(user: User) -> Response:
    return Response(MeSerializer(User.objects.with_profiles().get(pk=user.pk)).data)


@extend_schema(
    methods=["GET"],
    summary="Get your account",
    description="The signed-in account, with its artist and professional profiles (null when "
    "it has none).",
    responses={200: MeSerializer},
)
@extend_schema(
    methods=["PATCH"],
    summary="Change your account settings",
    description="Display name, time zone, language, read receipts and avatar, as on the "
    "settings page; fields left out are unchanged. Send an avatar as multipart form data.",
    request={
        "application/json": AccountSettingsSerializer,
        "multipart/form-data": AccountSettingsSerializer,
    },
    responses={200: MeSerializer},
)
@api_view(["GET", "PATCH"])
def me(request: Request) -> Response:
    user = cast(User, request.user)
    if request.method == "PATCH":
        serializer = AccountSettingsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = serializer.validated_data
        services.update_account_settings(
            user=user,
            display_name=changes.get("display_name", user.display_name).strip(),
            time_zone=changes.get("time_zone", user.time_zone),
            language=changes.get("language", user.language),
            avatar=changes.get("avatar"),
            remove_avatar=changes["remove_avatar"],
            share_read_receipts=changes.get("share_read_receipts"),
        )
    return _me(user)
