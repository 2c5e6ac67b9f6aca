from django.urls import path

from mylabel.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("dashboard/kpis/", views.kpis, name="kpis"),
]
