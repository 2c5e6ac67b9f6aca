from django.urls import path

from mylabel.notifications import push_views, views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.notification_read_all, name="read-all"),
    path("preferences/", views.notification_preferences, name="preferences"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("<int:pk>/read/", views.notification_read, name="read"),
    path("push/subscribe/", push_views.subscribe, name="push-subscribe"),
    path("push/unsubscribe/", push_views.unsubscribe, name="push-unsubscribe"),
]
