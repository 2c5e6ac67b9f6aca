from django.urls import path

from mylabel.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("metrics", views.metrics, name="metrics"),
    path("dashboard/kpis/", views.kpis, name="kpis"),
]
