"""WebSocket routes of every app, gathered in one place like config.urls."""

from django.urls import path, re_path

from mylabel.core.consumers import PingConsumer, UnknownRouteConsumer
from mylabel.messaging.consumers import ConversationConsumer
from mylabel.notifications.consumers import NotificationConsumer

websocket_urlpatterns = [
    path("ws/ping/", PingConsumer.as_asgi()),
    path("ws/notifications/", NotificationConsumer.as_asgi()),
    path("ws/conversations/<int:conversation_id>/", ConversationConsumer.as_asgi()),
    # Last: any other path is refused cleanly.
    re_path(r"", UnknownRouteConsumer.as_asgi()),
]
