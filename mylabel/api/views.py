from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import status
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from mylabel.api import services
from mylabel.api.models import ApiToken
from mylabel.api.serializers import TokenRequestSerializer, TokenSerializer
from mylabel.api.throttling import PerIpThrottle, PerUserThrottle, TokenIssueThrottle


@extend_schema(
    methods=["POST"],
    request=TokenRequestSerializer,
    responses={201: TokenSerializer},
    auth=[],
    summary="Create a token",
    description="Exchange an e-mail address and password for a new API token.",
)
@extend_schema(
    methods=["DELETE"],
    request=None,
    responses={204: OpenApiResponse(description="The token sent with the request is revoked.")},
    summary="Revoke the token used",
)
@api_view(["POST", "DELETE"])
@permission_classes([AllowAny])
@throttle_classes([TokenIssueThrottle, PerIpThrottle, PerUserThrottle])
def token(request: Request) -> Response:
    if request.method == "DELETE":
        if not isinstance(request.auth, ApiToken):
            return Response(
                {
                    "detail": _("Send the token to revoke as `Authorization: Token <token>`."),
                    "code": "not_authenticated",
                    "fields": {},
                },
                status=status.HTTP_401_UNAUTHORIZED,
                headers={"WWW-Authenticate": "Token"},
            )
        services.revoke_api_token(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)
    serializer = TokenRequestSerializer(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    api_token, key = services.create_api_token(
        user=serializer.validated_data["user"], name=serializer.validated_data["name"]
    )
    return Response(
        TokenSerializer(
            {"token": key, "name": api_token.name, "expires_at": api_token.expires_at}
        ).data,
        status=status.HTTP_201_CREATED,
    )


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI under the site's CSP, with no exception to it (see the template)."""

    template_name = "api/swagger_ui.html"
