from django.urls import path

from mylabel.accounts import views

urlpatterns = [
    path("settings/", views.account_settings, name="account_settings"),
    path("delete/", views.delete_account, name="account_delete"),
]
