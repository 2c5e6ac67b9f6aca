from django.urls import URLPattern, URLResolver, path
from rest_framework.routers import SimpleRouter

from mylabel.messaging.api.views import ConversationViewSet, MessageViewSet, attachment_download

router = SimpleRouter()
router.register("conversations", ConversationViewSet, basename="conversation")

urlpatterns: list[URLPattern | URLResolver] = [
    *router.urls,
    path(
        "conversations/<int:conversation_pk>/messages/",
        MessageViewSet.as_view({"get": "list", "post": "create"}),
        name="conversation-messages",
    ),
    path("attachments/<int:pk>/", attachment_download, name="attachment-download"),
]
