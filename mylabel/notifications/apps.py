from typing import Any

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Observes domain events (DESIGN.md §3) and tells people about them; never imported by
    the domain apps it observes."""

    name = "mylabel.notifications"
    label = "notifications"

    def ready(self) -> None:
        from mylabel.bookings.signals import booking_status_changed
        from mylabel.notifications import receivers

        booking_status_changed.connect(
            receivers.schedule_booking_status_email,
            dispatch_uid="notifications.booking_status_email",
        )

        from mylabel.reviews.signals import review_published

        review_published.connect(
            receivers.schedule_review_published_email,
            dispatch_uid="notifications.review_published_email",
        )

        # The notification centre (in-app lines, the bell): one receiver per domain event.
        from mylabel.messaging.signals import conversation_read, message_sent
        from mylabel.notifications import in_app

        booking_status_changed.connect(
            in_app.schedule_booking_notifications,
            dispatch_uid="notifications.booking_status_in_app",
        )
        review_published.connect(
            in_app.schedule_review_notification,
            dispatch_uid="notifications.review_published_in_app",
        )
        message_sent.connect(
            in_app.schedule_message_notifications,
            dispatch_uid="notifications.message_sent_in_app",
        )
        conversation_read.connect(
            in_app.clear_conversation_notification,
            dispatch_uid="notifications.conversation_read_in_app",
        )

        # Message e-mails, batched per reader and conversation (email_batching.py).
        from mylabel.notifications import email_batching

        message_sent.connect(
            email_batching.schedule_message_emails,
            dispatch_uid="notifications.message_sent_email",
        )
        conversation_read.connect(
            email_batching.close_batch_on_read,
            dispatch_uid="notifications.conversation_read_email",
        )

        from mylabel.accounts.signals import account_deleted

        account_deleted.connect(
            _forget_deleted_account, dispatch_uid="notifications.forget_deleted_account"
        )


def _forget_deleted_account(sender: Any, user: Any, **kwargs: Any) -> None:
    """Nothing more may reach a deleted account: its browsers and its notification centre go."""
    from mylabel.notifications.models import Notification, PushSubscription

    PushSubscription.objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user).delete()
