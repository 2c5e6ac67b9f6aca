from django.urls import path

from mylabel.portfolio import views

app_name = "portfolio"
urlpatterns = [
    path("<slug:profile_kind>/edit/", views.portfolio_edit, name="edit"),
    path("<slug:profile_kind>/section/", views.portfolio_section, name="section"),
    path("<slug:profile_kind>/add/", views.portfolio_item_add, name="add"),
    path("items/<int:pk>/up/", views.portfolio_item_move, {"offset": -1}, name="move-up"),
    path("items/<int:pk>/down/", views.portfolio_item_move, {"offset": 1}, name="move-down"),
    path("items/<int:pk>/delete/", views.portfolio_item_delete, name="delete"),
]
