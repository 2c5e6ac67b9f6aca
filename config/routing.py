"""WebSocket routes of every app, gathered in one place like config.urls."""

from django.urls import path

from mylabel.core.consumers import PingConsumer

websocket_urlpatterns = [
    path("ws/ping/", PingConsumer.as_asgi()),
]
