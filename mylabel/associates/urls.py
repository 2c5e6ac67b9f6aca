from django.urls import path

from mylabel.associates.views import availability, directory, profile

app_name = "associates"
urlpatterns = [
    path("", directory.associate_list, name="list"),
    path("<slug:slug>/", profile.associate_detail, name="detail"),
    # Profile editing routes (owned by the profile views) go below.
    path("<slug:slug>/sections/<slug:section>/", profile.associate_section, name="section"),
    path("<slug:slug>/edit/<slug:section>/", profile.associate_edit_section, name="edit-section"),
    # The owner's availability page and its inline forms (views/availability.py).
    path("<slug:slug>/availability/", availability.availability_page, name="availability"),
    path(
        "<slug:slug>/availability/weekly/",
        availability.weekly_rule_add,
        name="availability-weekly-add",
    ),
    path(
        "<slug:slug>/availability/weekly/<int:pk>/delete/",
        availability.weekly_rule_delete,
        name="availability-weekly-delete",
    ),
    path(
        "<slug:slug>/availability/dates/",
        availability.date_exception_add,
        name="availability-exception-add",
    ),
    path(
        "<slug:slug>/availability/dates/<int:pk>/delete/",
        availability.date_exception_delete,
        name="availability-exception-delete",
    ),
    path(
        "<slug:slug>/availability/rules/",
        availability.booking_rules_update,
        name="availability-rules",
    ),
    path(
        "<slug:slug>/availability/calendar/",
        availability.external_calendar_update,
        name="availability-calendar",
    ),
    path(
        "<slug:slug>/availability/calendar/sync/",
        availability.external_calendar_sync,
        name="availability-calendar-sync",
    ),
    path("<slug:slug>/services/", profile.associate_services, name="services"),
    path("<slug:slug>/services/edit/", profile.associate_services_edit, name="services-edit"),
    path("<slug:slug>/services/add/", profile.service_add, name="service-add"),
    path("<slug:slug>/services/<int:pk>/edit/", profile.service_edit, name="service-edit"),
    path(
        "<slug:slug>/services/<int:pk>/up/",
        profile.service_move,
        {"offset": -1},
        name="service-move-up",
    ),
    path(
        "<slug:slug>/services/<int:pk>/down/",
        profile.service_move,
        {"offset": 1},
        name="service-move-down",
    ),
    path("<slug:slug>/services/<int:pk>/remove/", profile.service_remove, name="service-remove"),
]
