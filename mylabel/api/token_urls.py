from django.urls import path

from mylabel.api import token_views

urlpatterns = [
    path("", token_views.api_tokens, name="api_tokens"),
    path("<int:pk>/revoke/", token_views.revoke_api_token, name="revoke_api_token"),
]
