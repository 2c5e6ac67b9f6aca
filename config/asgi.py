"""ASGI entry point: HTTP through Django, WebSocket through Channels' router.

Served by daphne's ``runserver`` in development and by uvicorn workers in production (Procfile).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Django must be set up before anything imports models (consumers do).
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402
from mylabel.core import gc_tuning  # noqa: E402
from mylabel.core.outage import WebSocketOutageMiddleware  # noqa: E402  # --- C --- (see below)
from mylabel.monitoring.middleware import WebSocketMetricsMiddleware  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # Outermost, so refused handshakes are seen too (they count as not accepted).
        "websocket": WebSocketMetricsMiddleware(
            # --- C: an unreachable Redis/PostgreSQL refuses sockets with 503/1013, not 500 ---
            WebSocketOutageMiddleware(
                AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))
            )
            # --- end C ---
        ),
    }
)

# The server's long-lived heap is complete now that the application is built: freezing it and
# collecting less often takes the full collections' 100 ms pauses out of message delivery
# (mylabel/core/gc_tuning.py, measured by bench/chat.py).
gc_tuning.tune_for_server()
