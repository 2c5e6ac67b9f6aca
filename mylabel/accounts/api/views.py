"""``/api/v1/me/``: the signed-in account with both its profiles, and its settings."""

from typing import cast

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from mylabel.accounts import deletion, services
from mylabel.accounts.api.serializers import (
    AccountSettingsSerializer,
    DeleteAccountSerializer,
    MeSerializer,
)
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
@extend_schema(
    methods=["DELETE"],
    summary="Delete your account",
    description="As on the settings page: your password confirms it. Refused (400) while you "
    "have bookings in progress. Your messages and reviews stay, shown as by “Former member”; "
    "every API token of the account stops working.",
    request=DeleteAccountSerializer,
    responses={204: None},
)
@api_view(["GET", "PATCH", "DELETE"])
def me(request: Request) -> Response:
    user = cast(User, request.user)
    if request.method == "DELETE":
        confirmation = DeleteAccountSerializer(data=request.data)
        confirmation.is_valid(raise_exception=True)
        try:
            deletion.delete_account(user=user, password=confirmation.validated_data["password"])
        except ValidationError as error:
            raise serializers.ValidationError(serializers.as_serializer_error(error)) from error
        return Response(status=status.HTTP_204_NO_CONTENT)
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
