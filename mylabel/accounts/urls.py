from django.urls import path

from mylabel.accounts import views

urlpatterns = [
    path("settings/", views.account_settings, name="account_settings"),
    path("settings/tokens/", views.create_api_token, name="create_api_token"),
    path("settings/tokens/<int:pk>/revoke/", views.revoke_api_token, name="revoke_api_token"),
]
