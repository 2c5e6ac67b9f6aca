from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from mylabel.api.filters import StrictBooleanFilter
from mylabel.notifications.models import NotificationQuerySet


class NotificationFilter(filters.FilterSet):
    unread = StrictBooleanFilter(
        method="by_unread", help_text=_("true: only unread notifications; false: only read ones.")
    )

    def by_unread(
        self, notifications: NotificationQuerySet, name: str, unread: bool
    ) -> NotificationQuerySet:
        if unread:
            return notifications.unread()
        return notifications.filter(read_at__isnull=False)
