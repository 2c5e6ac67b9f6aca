from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from mylabel.accounts.security import LoginView  # R: log-in lockout answers 429
from mylabel.core import views as core_views
from mylabel.notifications import push_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    # At the root, so the Web Push service worker may control every page (notifications/push.py).
    path("push-sw.js", push_views.service_worker, name="push-service-worker"),
    # Before bookings: /bookings/<pk>/review/ would otherwise match the booking actions'
    # /bookings/<pk>/<action>/. Before the profile apps: /associates/<slug>/reviews/.
    path("", include("mylabel.reviews.urls")),
    # Before the profile apps: it also serves /associates/<slug>/book/.
    path("", include("mylabel.bookings.urls")),
    path("messages/", include("mylabel.messaging.urls")),
    path("notifications/", include("mylabel.notifications.urls")),
    path("payments/", include("mylabel.payments.urls")),
    path("artists/", include("mylabel.artists.urls")),
    path("associates/", include("mylabel.associates.urls")),
    path("portfolio/", include("mylabel.portfolio.urls")),
    path("welcome/", include("mylabel.onboarding.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # --- R: the log-in page answers 429 while the account or address is locked ---
    path("accounts/login/", LoginView.as_view(), name="account_login"),
    # --- end R ---
    path("accounts/", include("allauth.urls")),
    path("account/", include("mylabel.accounts.urls")),
    path("account/api-tokens/", include("mylabel.api.token_urls")),
    path("api/", include("mylabel.api.urls")),
    # /dashboard/… and /reports/…
    path("", include("mylabel.analytics.urls")),
    path("roster/", include("mylabel.roster.urls")),
    path("spotify/", include("mylabel.spotify.urls")),
    path("recommendations/", include("mylabel.recommendations.urls")),
    # /metrics (Prometheus) and the KPI pages' data.
    path("", include("mylabel.monitoring.urls")),
    path("admin/", admin.site.urls),
]

# Under /api/ these answer in the API's JSON error shape, elsewhere with the site's pages.
handler400 = "mylabel.api.error_handlers.bad_request"
handler403 = "mylabel.api.error_handlers.permission_denied"
handler404 = "mylabel.api.error_handlers.page_not_found"
handler500 = "mylabel.api.error_handlers.server_error"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
if settings.DEBUG_TOOLBAR:
    from debug_toolbar.toolbar import debug_toolbar_urls

    urlpatterns += debug_toolbar_urls()
